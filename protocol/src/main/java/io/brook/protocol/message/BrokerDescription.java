package io.brook.protocol.message;

/**
 * A registered broker: {@code state} is REGISTERED (catching up), UNFENCED (serving) or FENCED (dead
 * or stale); {@code lastHeartbeatAgeMs} -1 when the controller has not heard from it in this term.
 */
public record BrokerDescription(int nodeId, String host, int httpPort, int bridgePort, long brokerEpoch, String state,
    long lastHeartbeatAgeMs, int leaderCount, int replicaCount) {}
