package io.brook.metadata;

import java.util.List;

/**
 * The new full state of an existing partition (not a diff, so replay is a plain replace): leader,
 * ISR, replicas, epochs, and the replicas being added or removed by an ongoing reassignment (both
 * empty when none is in progress). {@code partitionEpoch} goes up with every change;
 * {@code leaderEpoch} goes up when the leader changes or replicas are removed. {@code directories}
 * (version 1): see {@link Partition}.
 */
public record PartitionChange(String topic, int partition, int leader, List<Integer> isr, List<Integer> replicas,
                              int leaderEpoch, int partitionEpoch, List<Integer> addingReplicas,
                              List<Integer> removingReplicas, List<String> directories) implements MetadataRecord {

    /** A change that does not say where the replicas' data is (version 0). */
    public PartitionChange(String topic, int partition, int leader, List<Integer> isr, List<Integer> replicas,
                           int leaderEpoch, int partitionEpoch, List<Integer> addingReplicas,
                           List<Integer> removingReplicas) {
        this(topic, partition, leader, isr, replicas, leaderEpoch, partitionEpoch, addingReplicas, removingReplicas,
            List.of());
    }

    public PartitionChange {
        RecordChecks.name(topic, "topic");
        RecordChecks.nonNegative(partition, "partition");
        RecordChecks.leader(leader);
        isr = RecordChecks.nodeIds(isr, "isr");
        replicas = RecordChecks.nodeIds(replicas, "replicas");
        RecordChecks.nonNegative(leaderEpoch, "leaderEpoch");
        RecordChecks.nonNegative(partitionEpoch, "partitionEpoch");
        addingReplicas = RecordChecks.nodeIds(addingReplicas, "addingReplicas");
        removingReplicas = RecordChecks.nodeIds(removingReplicas, "removingReplicas");
        directories = RecordChecks.directories(directories, replicas);
    }

    @Override
    public MetadataRecordType type() {
        return MetadataRecordType.PARTITION_CHANGE;
    }
}
