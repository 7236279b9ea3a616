package io.brook.protocol.message;

/**
 * A broker registers with the active controller when it starts (or after it was fenced), on
 * {@code brook.internal.broker.<controller>.controller}; the controller answers with the broker epoch
 * that its heartbeats must carry.
 */
public record BrokerRegistrationRequest(int nodeId, String host, int httpPort, int bridgePort, String eventBusNodeId) {}
