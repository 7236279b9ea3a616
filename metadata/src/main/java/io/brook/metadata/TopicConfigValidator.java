package io.brook.metadata;

import java.util.Map;

/**
 * Validates a topic's full config override map (after a create or an alter) for the keys the
 * controller does not own: the broker plugs in storage's {@code LogConfig} validation here, so that
 * this module needs no dependency on storage. Any runtime exception it throws becomes an
 * {@link org.apache.kafka.common.errors.InvalidConfigurationException} carrying its message.
 */
@FunctionalInterface
public interface TopicConfigValidator {

    /** Accepts every key and value (for tests and tools that validate elsewhere). */
    TopicConfigValidator ACCEPT_ALL = overrides -> { };

    /**
     * @param overrides the topic's overrides without the controller's own keys
     *     ({@link TopicConfigRules#CONTROLLER_KEYS})
     */
    void validate(Map<String, String> overrides);

    /** Whether {@code key} is a topic config key it knows: deleting an unknown key is refused, as in Kafka. */
    default boolean knows(String key) {
        return true;
    }
}
