package io.brook.metadata;

/** Topic {@code name} and all its partitions are deleted; brokers delete their replicas. */
public record RemoveTopic(String name) implements MetadataRecord {

    public RemoveTopic {
        RecordChecks.name(name, "name");
    }

    @Override
    public MetadataRecordType type() {
        return MetadataRecordType.REMOVE_TOPIC;
    }
}
