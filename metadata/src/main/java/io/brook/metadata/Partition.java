package io.brook.metadata;

import java.util.List;

/**
 * A partition is created (with its topic, or by adding partitions), in its full initial state:
 * replicas in preference order (the first is the preferred leader), ISR, leader and epochs.
 * Partitions of a topic are created in order, {@code partition} being the topic's partition count
 * so far.
 */
public record Partition(String topic, int partition, List<Integer> replicas, List<Integer> isr, int leader,
                        int leaderEpoch, int partitionEpoch) implements MetadataRecord {

    public Partition {
        RecordChecks.name(topic, "topic");
        RecordChecks.nonNegative(partition, "partition");
        replicas = RecordChecks.nodeIds(replicas, "replicas");
        isr = RecordChecks.nodeIds(isr, "isr");
        RecordChecks.leader(leader);
        RecordChecks.nonNegative(leaderEpoch, "leaderEpoch");
        RecordChecks.nonNegative(partitionEpoch, "partitionEpoch");
    }

    @Override
    public MetadataRecordType type() {
        return MetadataRecordType.PARTITION;
    }
}
