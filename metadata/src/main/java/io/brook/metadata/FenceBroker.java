package io.brook.metadata;

/**
 * The controller declares broker {@code nodeId} (in its epoch {@code brokerEpoch}) dead: session
 * expired, cluster-manager "node left" hint, or replaced by a new registration. The epoch ends here:
 * the broker must register again to be unfenced. Written after the leader elections it causes, so
 * that at no offset does a fenced broker lead a partition.
 */
public record FenceBroker(int nodeId, long brokerEpoch) implements MetadataRecord {

    public FenceBroker {
        RecordChecks.nodeId(nodeId, "nodeId");
        RecordChecks.nonNegative(brokerEpoch, "brokerEpoch");
    }

    @Override
    public MetadataRecordType type() {
        return MetadataRecordType.FENCE_BROKER;
    }
}
