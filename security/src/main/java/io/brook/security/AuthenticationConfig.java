package io.brook.security;

import io.brook.metadata.UserNames;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * How a broker checks who a client is: bearer token lifetime, and the first user (the way into a
 * cluster that refuses anonymous clients before any user exists, as Kafka's {@code kafka-storage
 * format --add-scram}). Keys of other modules are ignored. Immutable.
 */
public final class AuthenticationConfig extends AbstractConfig {

    public static final String TOKEN_LIFETIME_MS = "security.token.lifetime.ms";
    public static final String INITIAL_USER = "security.initial.user";
    public static final String INITIAL_PASSWORD_FILE = "security.initial.password.file";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
        .define(TOKEN_LIFETIME_MS, Type.LONG, 3_600_000L, Range.between(1_000L, 7L * 24 * 3_600_000L),
            Importance.MEDIUM, "How long a bearer token from POST /api/session is valid. Tokens are kept in "
                + "memory by the node that issued them and are valid on that node only (the console's own node).")
        .define(INITIAL_USER, Type.STRING, "", Importance.MEDIUM,
            "A user (SCRAM-SHA-256, 4096 iterations) created from security.initial.password.file when the "
                + "cluster has no user at all, so that a cluster refusing anonymous clients can be administered "
                + "from the start; list it in super.users. Empty: none. Once any user exists it is not "
                + "touched again (change its password with `brook users passwd`).")
        .define(INITIAL_PASSWORD_FILE, Type.STRING, "", Importance.MEDIUM,
            "File whose first line is security.initial.user's password (keep it readable by the broker only).");

    public AuthenticationConfig(Map<String, ?> props) {
        super(CONFIG_DEF, props, false);
        String user = getString(INITIAL_USER);
        if (!user.isEmpty()) {
            String problem = UserNames.problem(user);
            if (problem != null) {
                throw new ConfigException(INITIAL_USER, user, problem);
            }
            if (getString(INITIAL_PASSWORD_FILE).isEmpty()) {
                throw new ConfigException(INITIAL_PASSWORD_FILE, "", "needed with " + INITIAL_USER);
            }
        }
    }

    public long tokenLifetimeMs() {
        return getLong(TOKEN_LIFETIME_MS);
    }

    /** The initial user's name, if one is configured. */
    public Optional<String> initialUser() {
        String user = getString(INITIAL_USER);
        return user.isEmpty() ? Optional.empty() : Optional.of(user);
    }

    public String initialPasswordFile() {
        return getString(INITIAL_PASSWORD_FILE);
    }
}
