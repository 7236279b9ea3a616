package io.brook.protocol.message;

/**
 * Every {@code broker.heartbeat.interval.ms}: the broker is alive, has applied metadata up to
 * {@code metadataOffset}, and knows controller epoch {@code knownControllerEpoch} (a controller that
 * learns of a higher one than its own steps down).
 */
public record BrokerHeartbeatRequest(int nodeId, long brokerEpoch, long metadataOffset, long knownControllerEpoch) {}
