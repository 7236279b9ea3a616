package io.brook.protocol.message;

/**
 * A broker registers with the active controller when it starts (or after it was fenced), on
 * {@code brook.internal.broker.<controller>.controller}; the controller answers with the broker epoch
 * that its heartbeats must carry. {@code directoryId} is the id in its {@code data.dir}'s
 * {@code meta.properties} and {@code logDir} that directory's absolute path: replicas recorded in
 * another directory are offline on it until they have fetched their data again. {@code kafkaHost} and
 * {@code kafkaPort} are what its first Kafka listener advertises ("" and -1 without one), {@code kafkaListeners}
 * all of them in {@code advertised.listeners} form.
 */
public record BrokerRegistrationRequest(int nodeId, String host, int httpPort, int bridgePort, String eventBusNodeId,
                                        String directoryId, String logDir, String kafkaHost, int kafkaPort,
                                        String kafkaListeners) {
  public BrokerRegistrationRequest(int nodeId, String host, int httpPort, int bridgePort, String eventBusNodeId,
                                   String directoryId, String logDir) {
    this(nodeId, host, httpPort, bridgePort, eventBusNodeId, directoryId, logDir, "", -1, "");
  }

  public BrokerRegistrationRequest {
    kafkaHost = kafkaHost == null ? "" : kafkaHost;
    kafkaListeners = kafkaListeners == null ? "" : kafkaListeners;
  }
}
