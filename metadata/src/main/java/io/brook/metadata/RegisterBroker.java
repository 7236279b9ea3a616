package io.brook.metadata;

import java.util.Objects;

/**
 * A broker (re-)registers: its endpoints, its event bus node (how cluster-manager membership events
 * are mapped to it) and a new broker epoch, which is the offset of this record in the metadata log
 * (see {@link ControllerState#registerBroker}). Replaying it replaces any earlier registration of
 * {@code nodeId}; the broker starts {@linkplain BrokerState#REGISTERED fenced} until it has caught up.
 * {@code directoryId} is the id of the broker's {@code data.dir} (its {@code meta.properties}) and
 * {@code logDir} that directory's path, both empty when unknown (records written before version 1):
 * replicas whose data is in another directory are offline ({@link MetadataImage#isOffline}).
 * {@code kafkaHost} and {@code kafkaPort} are what its first Kafka listener advertises ("" and -1 without one,
 * and in records written before version 2); {@code kafkaListeners} every listener it advertises, as Kafka's
 * {@code advertised.listeners} writes them ({@code SASL_SSL://host:9093,PLAINTEXT://127.0.0.1:9092}; "" for
 * the first one alone, and in records written before version 3).
 */
public record RegisterBroker(int nodeId, long brokerEpoch, String host, int httpPort, int bridgePort,
                             String eventBusNodeId, String directoryId, String logDir, String kafkaHost, int kafkaPort,
                             String kafkaListeners)
    implements MetadataRecord {

    /** A registration with one Kafka listener, or none (version 2). */
    public RegisterBroker(int nodeId, long brokerEpoch, String host, int httpPort, int bridgePort,
                          String eventBusNodeId, String directoryId, String logDir, String kafkaHost, int kafkaPort) {
        this(nodeId, brokerEpoch, host, httpPort, bridgePort, eventBusNodeId, directoryId, logDir, kafkaHost, kafkaPort, "");
    }

    /** A registration without a Kafka listener (version 1). */
    public RegisterBroker(int nodeId, long brokerEpoch, String host, int httpPort, int bridgePort,
                          String eventBusNodeId, String directoryId, String logDir) {
        this(nodeId, brokerEpoch, host, httpPort, bridgePort, eventBusNodeId, directoryId, logDir, "", -1);
    }

    /** A registration that does not say which data directory the broker runs on (version 0). */
    public RegisterBroker(int nodeId, long brokerEpoch, String host, int httpPort, int bridgePort, String eventBusNodeId) {
        this(nodeId, brokerEpoch, host, httpPort, bridgePort, eventBusNodeId, "", "");
    }

    public RegisterBroker {
        RecordChecks.nodeId(nodeId, "nodeId");
        RecordChecks.nonNegative(brokerEpoch, "brokerEpoch");
        RecordChecks.name(host, "host");
        throwIfBadPort(httpPort, "httpPort");
        throwIfBadPort(bridgePort, "bridgePort");
        Objects.requireNonNull(eventBusNodeId, "eventBusNodeId");
        Objects.requireNonNull(directoryId, "directoryId");
        Objects.requireNonNull(logDir, "logDir");
        Objects.requireNonNull(kafkaHost, "kafkaHost");
        throwIfBadPort(kafkaPort, "kafkaPort");
        Objects.requireNonNull(kafkaListeners, "kafkaListeners");
    }

    private static void throwIfBadPort(int port, String what) {
        if (port < -1 || port > 65_535) { // -1: the listener is disabled
            throw new IllegalArgumentException(what + " must be in [-1, 65535], was " + port);
        }
    }

    @Override
    public MetadataRecordType type() {
        return MetadataRecordType.REGISTER_BROKER;
    }
}
