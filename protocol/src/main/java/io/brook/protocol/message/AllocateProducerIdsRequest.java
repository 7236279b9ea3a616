package io.brook.protocol.message;

/** A broker asks the controller for its next block of {@code size} producer ids (internal: Kafka's AllocateProducerIds). */
public record AllocateProducerIdsRequest(int nodeId, int size) {}
