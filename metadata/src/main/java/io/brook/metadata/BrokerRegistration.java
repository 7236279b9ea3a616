package io.brook.metadata;

import java.util.Objects;

/**
 * A broker as the metadata image knows it: its current registration and its state. Immutable.
 * {@code kafkaHost}/{@code kafkaPort}: what its first Kafka listener advertises ("" and -1 without one);
 * {@code kafkaListeners}: all of them ({@link RegisterBroker}).
 */
public record BrokerRegistration(int nodeId, long brokerEpoch, String host, int httpPort, int bridgePort,
                                 String eventBusNodeId, String directoryId, String logDir, String kafkaHost,
                                 int kafkaPort, String kafkaListeners, BrokerState state) {

    /** A registration with one Kafka listener, or none. */
    public BrokerRegistration(int nodeId, long brokerEpoch, String host, int httpPort, int bridgePort,
                              String eventBusNodeId, String directoryId, String logDir, String kafkaHost,
                              int kafkaPort, BrokerState state) {
        this(nodeId, brokerEpoch, host, httpPort, bridgePort, eventBusNodeId, directoryId, logDir, kafkaHost, kafkaPort,
            "", state);
    }

    /** A registration without a Kafka listener. */
    public BrokerRegistration(int nodeId, long brokerEpoch, String host, int httpPort, int bridgePort,
                              String eventBusNodeId, String directoryId, String logDir, BrokerState state) {
        this(nodeId, brokerEpoch, host, httpPort, bridgePort, eventBusNodeId, directoryId, logDir, "", -1, state);
    }

    /** A registration without its data directory (unknown: every replica on it counts as online). */
    public BrokerRegistration(int nodeId, long brokerEpoch, String host, int httpPort, int bridgePort,
                              String eventBusNodeId, BrokerState state) {
        this(nodeId, brokerEpoch, host, httpPort, bridgePort, eventBusNodeId, "", "", state);
    }

    public BrokerRegistration {
        RecordChecks.nodeId(nodeId, "nodeId");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(eventBusNodeId, "eventBusNodeId");
        Objects.requireNonNull(directoryId, "directoryId");
        Objects.requireNonNull(logDir, "logDir");
        Objects.requireNonNull(kafkaHost, "kafkaHost");
        Objects.requireNonNull(kafkaListeners, "kafkaListeners");
        Objects.requireNonNull(state, "state");
    }

    static BrokerRegistration from(RegisterBroker record) {
        return new BrokerRegistration(record.nodeId(), record.brokerEpoch(), record.host(), record.httpPort(),
            record.bridgePort(), record.eventBusNodeId(), record.directoryId(), record.logDir(), record.kafkaHost(),
            record.kafkaPort(), record.kafkaListeners(), BrokerState.REGISTERED);
    }

    public boolean fenced() {
        return state != BrokerState.UNFENCED;
    }

    BrokerRegistration withState(BrokerState newState) {
        return new BrokerRegistration(nodeId, brokerEpoch, host, httpPort, bridgePort, eventBusNodeId, directoryId, logDir,
            kafkaHost, kafkaPort, kafkaListeners, newState);
    }
}
