package io.brook.protocol.message;

/** Raise a topic's partition count to {@code count}; answered with its {@link TopicMetadata}. */
public record CreatePartitionsRequest(String name, int count) {}
