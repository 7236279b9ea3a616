package io.brook.metadata;

import java.util.Objects;

/** A broker as the metadata image knows it: its current registration and its state. Immutable. */
public record BrokerRegistration(int nodeId, long brokerEpoch, String host, int httpPort, int bridgePort,
                                 String eventBusNodeId, BrokerState state) {

    public BrokerRegistration {
        RecordChecks.nodeId(nodeId, "nodeId");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(eventBusNodeId, "eventBusNodeId");
        Objects.requireNonNull(state, "state");
    }

    static BrokerRegistration from(RegisterBroker record) {
        return new BrokerRegistration(record.nodeId(), record.brokerEpoch(), record.host(), record.httpPort(),
            record.bridgePort(), record.eventBusNodeId(), BrokerState.REGISTERED);
    }

    public boolean fenced() {
        return state != BrokerState.UNFENCED;
    }

    BrokerRegistration withState(BrokerState newState) {
        return new BrokerRegistration(nodeId, brokerEpoch, host, httpPort, bridgePort, eventBusNodeId, newState);
    }
}
