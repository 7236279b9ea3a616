package io.brook.metadata;

/**
 * A block of producer ids the controller gave broker {@code brokerId}: {@code firstProducerId} to
 * {@code firstProducerId + size - 1}, handed out by that broker to idempotent producers
 * (InitProducerId). Blocks follow each other in the log, so an id is never given twice, across
 * controller failovers and full restarts (Kafka's {@code ProducerIdsRecord}).
 */
public record ProducerIds(int brokerId, long firstProducerId, int size) implements MetadataRecord {

    public ProducerIds {
        RecordChecks.nodeId(brokerId, "brokerId");
        if (firstProducerId < 0 || size < 1 || firstProducerId > Long.MAX_VALUE - size) {
            throw new IllegalArgumentException("a producer id block is [" + firstProducerId + ", +" + size + ")");
        }
    }

    /** The first id after this block. */
    public long nextProducerId() {
        return firstProducerId + size;
    }

    @Override
    public MetadataRecordType type() {
        return MetadataRecordType.PRODUCER_IDS;
    }
}
