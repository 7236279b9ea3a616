package io.brook.metadata;

/**
 * Broker {@code nodeId} has caught up with the metadata log since it registered in epoch
 * {@code brokerEpoch}: it may now lead partitions, join ISRs and receive new replicas.
 */
public record UnfenceBroker(int nodeId, long brokerEpoch) implements MetadataRecord {

    public UnfenceBroker {
        RecordChecks.nodeId(nodeId, "nodeId");
        RecordChecks.nonNegative(brokerEpoch, "brokerEpoch");
    }

    @Override
    public MetadataRecordType type() {
        return MetadataRecordType.UNFENCE_BROKER;
    }
}
