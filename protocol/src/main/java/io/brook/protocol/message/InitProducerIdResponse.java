package io.brook.protocol.message;

/** A producer id never given before, and its epoch. */
public record InitProducerIdResponse(long producerId, short producerEpoch) {}
