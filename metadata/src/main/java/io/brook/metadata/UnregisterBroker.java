package io.brook.metadata;

/**
 * Broker {@code nodeId} is decommissioned: its registration is forgotten. Partitions still listing
 * it as a replica keep doing so until they are reassigned.
 */
public record UnregisterBroker(int nodeId) implements MetadataRecord {

    public UnregisterBroker {
        RecordChecks.nodeId(nodeId, "nodeId");
    }

    @Override
    public MetadataRecordType type() {
        return MetadataRecordType.UNREGISTER_BROKER;
    }
}
