package io.brook.protocol.message;

/**
 * A broker as clients see it: its {@code node.id} (which names its {@code brook.api.broker.<id>.*}
 * addresses), its host, and the ports of its HTTP API and TCP event bus bridge (-1 when disabled).
 */
public record BrokerInfo(int nodeId, String host, int httpPort, int bridgePort) {}
