package io.brook.protocol.message;

/** Describe a topic: partitions, offsets, sizes and configs; answered with a {@link TopicDescription}. */
public record DescribeTopicRequest(String name) {}
