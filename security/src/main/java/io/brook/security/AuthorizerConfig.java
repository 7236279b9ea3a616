package io.brook.security;

import io.brook.metadata.UserNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The authorizer's configuration, every key declared once in {@link #CONFIG_DEF} with Kafka's name,
 * type, default and doc. Keys of other modules are ignored. Immutable.
 */
public final class AuthorizerConfig extends AbstractConfig {

    public static final String AUTHORIZER_ENABLED = "authorizer.enabled";
    public static final String SUPER_USERS = "super.users";
    public static final String ALLOW_EVERYONE_IF_NO_ACL_FOUND = "allow.everyone.if.no.acl.found";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
        .define(AUTHORIZER_ENABLED, Type.BOOLEAN, false, Importance.HIGH,
            "Check every client request (HTTP API, bridge) against the ACLs, on the broker that serves it. "
                + "False, as Kafka without authorizer.class.name: every client that got in (authenticated, or "
                + "anonymous where security.allow.anonymous lets it) may do everything. Cluster members "
                + "(brokers, event bus clients with the cluster's certificate) are never checked.")
        .define(SUPER_USERS, Type.STRING, "", new SuperUsersValidator(), Importance.MEDIUM,
            "Principals allowed every operation on every resource whatever the ACLs say, separated by ';' "
                + "(as in Kafka, since certificate names contain commas), e.g. User:admin;User:ops.")
        .define(ALLOW_EVERYONE_IF_NO_ACL_FOUND, Type.BOOLEAN, false, Importance.MEDIUM,
            "Whether a resource with no ACL at all (none whose pattern matches it, for any principal or "
                + "operation) is open to everyone. False: only super users and explicit ALLOW ACLs grant access.");

    private static final AuthorizerConfig DEFAULTS = new AuthorizerConfig(Map.of());

    /** Parses and validates {@code props}; unknown keys are ignored (other modules own them). */
    public AuthorizerConfig(Map<String, ?> props) {
        super(CONFIG_DEF, props, false);
    }

    public static AuthorizerConfig defaults() {
        return DEFAULTS;
    }

    /** The super users' principals ({@code User:name}). */
    public Set<String> superUsers() {
        return Set.copyOf(parseSuperUsers(getString(SUPER_USERS)));
    }

    public boolean enabled() {
        return getBoolean(AUTHORIZER_ENABLED);
    }

    public boolean allowEveryoneIfNoAclFound() {
        return getBoolean(ALLOW_EVERYONE_IF_NO_ACL_FOUND);
    }

    /** Named, so that the generated docs/CONFIG.md shows what it accepts. */
    private static final class SuperUsersValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            for (String principal : parseSuperUsers((String) value)) {
                String problem = UserNames.principalProblem(principal);
                if (problem != null || principal.equals(UserNames.WILDCARD_PRINCIPAL)) {
                    throw new ConfigException(name, value, problem != null ? problem
                        : "User:* as a super user would switch authorization off; leave it out of " + name);
                }
            }
        }

        @Override
        public String toString() {
            return "User:NAME principals separated by ';', not User:*";
        }
    }

    private static List<String> parseSuperUsers(String value) {
        List<String> principals = new ArrayList<>();
        if (value != null) {
            for (String part : value.split(";")) {
                if (!part.isBlank()) {
                    principals.add(part.trim());
                }
            }
        }
        return principals;
    }
}
