package io.brook.protocol.message;

/** The block committed for a broker: ids {@code firstProducerId} to {@code firstProducerId + size - 1}. */
public record AllocateProducerIdsResponse(long firstProducerId, int size) {}
