package io.brook.protocol.message;

/** A topic-partition in a message body. */
public record TopicPartitionRef(String topic, int partition) {}
