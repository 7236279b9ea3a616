package io.brook.metadata;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.InvalidConfigurationException;

/**
 * Topic config overrides the controller and replication read themselves
 * ({@value #UNCLEAN_LEADER_ELECTION_ENABLE}, {@value #MIN_INSYNC_REPLICAS}), validated here, while every
 * other key goes to the pluggable {@link TopicConfigValidator} (storage's log config). Keeping the
 * split here means storage never has to know about replication keys. Stateless.
 */
public final class TopicConfigRules {

    public static final String UNCLEAN_LEADER_ELECTION_ENABLE = "unclean.leader.election.enable";
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";

    /** The keys validated here and hidden from the pluggable validator. */
    public static final Set<String> CONTROLLER_KEYS = Set.of(UNCLEAN_LEADER_ELECTION_ENABLE, MIN_INSYNC_REPLICAS);

    /** Most overrides one topic may have: a bound on what one record and one image entry hold. */
    public static final int MAX_OVERRIDES = 1000;

    private TopicConfigRules() {
    }

    /**
     * Checks a topic's full override map.
     *
     * @throws InvalidConfigurationException naming the first bad key
     */
    public static void validate(Map<String, String> overrides, TopicConfigValidator external) {
        if (overrides.size() > MAX_OVERRIDES) {
            throw new InvalidConfigurationException("a topic has at most " + MAX_OVERRIDES + " config overrides, "
                + overrides.size() + " given");
        }
        Map<String, String> others = new HashMap<>();
        for (Map.Entry<String, String> entry : overrides.entrySet()) {
            if (entry.getKey() == null || entry.getValue() == null) {
                throw new InvalidConfigurationException("null config key or value: " + entry);
            }
            if (CONTROLLER_KEYS.contains(entry.getKey())) {
                validateOwnKey(entry.getKey(), entry.getValue());
            } else {
                throwIfUnknownKey(entry.getKey(), external);
                others.put(entry.getKey(), entry.getValue());
            }
        }
        try {
            external.validate(others);
        } catch (InvalidConfigurationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InvalidConfigurationException(e.getMessage());
        }
    }

    /**
     * Refuses a key that is neither the controller's nor {@code external}'s, with one message wherever it is
     * given (create, alter, delete), before any value is looked at: "Invalid value x for configuration foo"
     * would suggest the key exists.
     */
    public static void throwIfUnknownKey(String key, TopicConfigValidator external) {
        if (!CONTROLLER_KEYS.contains(key) && !external.knows(key)) {
            throw new InvalidConfigurationException(unknownKeyMessage(key));
        }
    }

    /** The one wording of an unknown topic config key. */
    public static String unknownKeyMessage(String key) {
        return "Unknown topic config '" + key + "'";
    }

    private static void validateOwnKey(String key, String value) {
        try {
            if (key.equals(MIN_INSYNC_REPLICAS)) {
                int minIsr = (Integer) ConfigDef.parseType(key, value.trim(), ConfigDef.Type.INT);
                ConfigDef.Range.atLeast(1).ensureValid(key, minIsr);
            } else {
                ConfigDef.parseType(key, value.trim(), ConfigDef.Type.BOOLEAN);
            }
        } catch (ConfigException e) {
            throw new InvalidConfigurationException(e.getMessage());
        }
    }

    /** Whether an out-of-sync replica may lead {@code topic}'s partitions (override, else the default). */
    public static boolean uncleanLeaderElection(TopicImage topic, ControllerConfig config) {
        String value = topic.configs().get(UNCLEAN_LEADER_ELECTION_ENABLE);
        return value == null ? config.uncleanLeaderElectionEnable() : Boolean.parseBoolean(value.trim());
    }

    /** {@code topic}'s min.insync.replicas (override, else the default). */
    public static int minInsyncReplicas(TopicImage topic, ControllerConfig config) {
        String value = topic.configs().get(MIN_INSYNC_REPLICAS);
        return value == null ? config.minInsyncReplicas() : Integer.parseInt(value.trim());
    }
}
