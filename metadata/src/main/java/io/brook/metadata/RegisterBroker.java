package io.brook.metadata;

import java.util.Objects;

/**
 * A broker (re-)registers: its endpoints, its event bus node (how cluster-manager membership events
 * are mapped to it) and a new broker epoch, which is the offset of this record in the metadata log
 * (see {@link ControllerState#registerBroker}). Replaying it replaces any earlier registration of
 * {@code nodeId}; the broker starts {@linkplain BrokerState#REGISTERED fenced} until it has caught up.
 */
public record RegisterBroker(int nodeId, long brokerEpoch, String host, int httpPort, int bridgePort,
                             String eventBusNodeId) implements MetadataRecord {

    public RegisterBroker {
        RecordChecks.nodeId(nodeId, "nodeId");
        RecordChecks.nonNegative(brokerEpoch, "brokerEpoch");
        RecordChecks.name(host, "host");
        throwIfBadPort(httpPort, "httpPort");
        throwIfBadPort(bridgePort, "bridgePort");
        Objects.requireNonNull(eventBusNodeId, "eventBusNodeId");
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
