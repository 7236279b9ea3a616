package io.brook.metadata;

import java.util.List;

/**
 * A partition is created (with its topic, or by adding partitions), in its full initial state:
 * replicas in preference order (the first is the preferred leader), ISR, leader and epochs.
 * Partitions of a topic are created in order, {@code partition} being the topic's partition count
 * so far. {@code directories} (version 1) are, per replica, the id of the data directory its log
 * is in, empty when unknown (see {@link PartitionRegistration#directories()}).
 */
public record Partition(String topic, int partition, List<Integer> replicas, List<Integer> isr, int leader,
                        int leaderEpoch, int partitionEpoch, List<String> directories) implements MetadataRecord {

    /** A partition whose replicas' directories are unknown (version 0). */
    public Partition(String topic, int partition, List<Integer> replicas, List<Integer> isr, int leader,
                     int leaderEpoch, int partitionEpoch) {
        this(topic, partition, replicas, isr, leader, leaderEpoch, partitionEpoch, List.of());
    }

    public Partition {
        RecordChecks.name(topic, "topic");
        RecordChecks.nonNegative(partition, "partition");
        replicas = RecordChecks.nodeIds(replicas, "replicas");
        isr = RecordChecks.nodeIds(isr, "isr");
        RecordChecks.leader(leader);
        RecordChecks.nonNegative(leaderEpoch, "leaderEpoch");
        RecordChecks.nonNegative(partitionEpoch, "partitionEpoch");
        directories = RecordChecks.directories(directories, replicas);
    }

    @Override
    public MetadataRecordType type() {
        return MetadataRecordType.PARTITION;
    }
}
