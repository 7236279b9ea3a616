package io.brook.protocol.message;

/** A topic's name and shape. */
public record TopicListing(String name, int partitions, short replicationFactor) {}
