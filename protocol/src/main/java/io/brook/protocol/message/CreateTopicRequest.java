package io.brook.protocol.message;

import java.util.Map;

/** Create a topic; answered with its {@link TopicMetadata}. {@code configs} are topic overrides. */
public record CreateTopicRequest(String name, int partitions, short replicationFactor, Map<String, String> configs) {}
