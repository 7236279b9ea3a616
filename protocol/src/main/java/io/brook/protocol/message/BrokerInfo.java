package io.brook.protocol.message;

/**
 * A broker as clients see it: its {@code node.id} (which names its {@code brook.api.broker.<id>.*}
 * addresses), its host, the ports of its HTTP API and TCP event bus bridge (-1 when disabled), the
 * cluster manager's id of its event bus node (null if unknown): a client whose request waits on a
 * broker whose node left the cluster gives up on it at once rather than at its timeout; and the host
 * and port its Kafka listener advertises ("" and -1 without one).
 */
public record BrokerInfo(int nodeId, String host, int httpPort, int bridgePort, String eventBusNodeId,
                         String kafkaHost, int kafkaPort) {
  public BrokerInfo(int nodeId, String host, int httpPort, int bridgePort, String eventBusNodeId) {
    this(nodeId, host, httpPort, bridgePort, eventBusNodeId, "", -1);
  }

  public BrokerInfo(int nodeId, String host, int httpPort, int bridgePort) {
    this(nodeId, host, httpPort, bridgePort, null);
  }

  public BrokerInfo {
    kafkaHost = kafkaHost == null ? "" : kafkaHost;
  }
}
