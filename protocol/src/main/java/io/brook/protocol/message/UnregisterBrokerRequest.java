package io.brook.protocol.message;

/**
 * Decommission broker {@code nodeId} for good (Kafka's UnregisterBroker): it must be stopped, and,
 * unless {@code force}, host no partition replica; it leaves the metadata quorum's voters and the
 * cluster's registrations. Answered with the request.
 */
public record UnregisterBrokerRequest(int nodeId, boolean force) {}
