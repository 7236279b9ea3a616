package io.brook.protocol.message;

/**
 * A broker as clients see it: its {@code node.id} (which names its {@code brook.api.broker.<id>.*}
 * addresses), its host, the ports of its HTTP API and TCP event bus bridge (-1 when disabled), the
 * cluster manager's id of its event bus node (null if unknown): a client whose request waits on a
 * broker whose node left the cluster gives up on it at once rather than at its timeout; and the host
 * and port its first Kafka listener advertises ("" and -1 without one), and all of them
 * ({@code kafkaListeners}, Kafka's {@code advertised.listeners} form; "" for the first alone).
 */
public record BrokerInfo(int nodeId, String host, int httpPort, int bridgePort, String eventBusNodeId,
                         String kafkaHost, int kafkaPort, String kafkaListeners) {
  public BrokerInfo(int nodeId, String host, int httpPort, int bridgePort, String eventBusNodeId) {
    this(nodeId, host, httpPort, bridgePort, eventBusNodeId, "", -1);
  }

  public BrokerInfo(int nodeId, String host, int httpPort, int bridgePort, String eventBusNodeId, String kafkaHost,
                    int kafkaPort) {
    this(nodeId, host, httpPort, bridgePort, eventBusNodeId, kafkaHost, kafkaPort, "");
  }

  /**
   * Where a Kafka client that came through listener {@code listenerName} (a security protocol's name) reaches
   * this broker: the advertised listener of that name; the one listener of a broker that registered only one;
   * empty when it has none of that name.
   */
  public java.util.Optional<io.brook.protocol.KafkaEndpoint> kafkaEndpoint(String listenerName) {
    if (kafkaPort < 0) {
      return java.util.Optional.empty();
    }
    if (kafkaListeners.isEmpty()) {
      return java.util.Optional.of(new io.brook.protocol.KafkaEndpoint(kafkaHost, kafkaPort));
    }
    return io.brook.protocol.KafkaEndpoint.parseAll(kafkaListeners).stream()
        .filter(endpoint -> endpoint.securityProtocol().equals(listenerName)).findFirst();
  }

  public BrokerInfo(int nodeId, String host, int httpPort, int bridgePort) {
    this(nodeId, host, httpPort, bridgePort, null);
  }

  public BrokerInfo {
    kafkaHost = kafkaHost == null ? "" : kafkaHost;
    kafkaListeners = kafkaListeners == null ? "" : kafkaListeners;
  }
}
