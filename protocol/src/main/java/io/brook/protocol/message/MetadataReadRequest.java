package io.brook.protocol.message;

/**
 * A new controller catches its metadata log up from the broker with the best copy (internal): read
 * from {@code fetchOffset}, checking divergence against {@code lastFetchedEpoch}; answered with a
 * {@link ReplicaFetchResponse} whatever the answering broker's role.
 */
public record MetadataReadRequest(long fetchOffset, int lastFetchedEpoch, int maxBytes) {}
