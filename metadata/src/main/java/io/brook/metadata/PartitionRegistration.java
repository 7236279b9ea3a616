package io.brook.metadata;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One partition's replicated state in the image. Immutable.
 *
 * <p>Invariants, checked on construction: replicas are non-empty and distinct, in preference order
 * (the first is the preferred leader); the ISR is a non-empty subset of the replicas; the leader is
 * -1 (none) or an ISR member; adding and removing replicas are disjoint subsets of the replicas.
 * While a reassignment is in progress the replicas are the target replicas followed by the ones
 * being removed; {@link #targetReplicas()} is what the partition will have when it completes.
 *
 * <p>{@code directories} say, per replica, the id of the data directory that replica's log was in
 * when it last joined the ISR or was created (Kafka's KIP-858 directory assignment): a broker that
 * comes back on another directory (a wrong {@code data.dir}, a replaced disk) has not got that
 * data, so its replica is offline until it has fetched it again ({@link MetadataImage#isOffline}).
 * Empty (or an empty id) means unknown, as in records written before directories existed.
 */
public record PartitionRegistration(List<Integer> replicas, List<Integer> isr, int leader, int leaderEpoch,
                                    int partitionEpoch, List<Integer> addingReplicas,
                                    List<Integer> removingReplicas, List<String> directories) {

    /** A partition whose replicas' directories are unknown. */
    public PartitionRegistration(List<Integer> replicas, List<Integer> isr, int leader, int leaderEpoch,
                                 int partitionEpoch, List<Integer> addingReplicas, List<Integer> removingReplicas) {
        this(replicas, isr, leader, leaderEpoch, partitionEpoch, addingReplicas, removingReplicas, List.of());
    }

    /** The leader id of a partition that has none. */
    public static final int NO_LEADER = -1;

    public PartitionRegistration {
        replicas = RecordChecks.nodeIds(replicas, "replicas");
        isr = RecordChecks.nodeIds(isr, "isr");
        addingReplicas = RecordChecks.nodeIds(addingReplicas, "addingReplicas");
        removingReplicas = RecordChecks.nodeIds(removingReplicas, "removingReplicas");
        RecordChecks.leader(leader);
        RecordChecks.nonNegative(leaderEpoch, "leaderEpoch");
        RecordChecks.nonNegative(partitionEpoch, "partitionEpoch");
        directories = RecordChecks.directories(directories, replicas);
        throwIfInconsistent(replicas, isr, leader, addingReplicas, removingReplicas);
    }

    private static void throwIfInconsistent(List<Integer> replicas, List<Integer> isr, int leader,
                                            List<Integer> adding, List<Integer> removing) {
        if (replicas.isEmpty() || isr.isEmpty()) {
            throw new IllegalArgumentException("replicas and isr must not be empty: " + replicas + ", " + isr);
        }
        if (!replicas.containsAll(isr) || !replicas.containsAll(adding) || !replicas.containsAll(removing)) {
            throw new IllegalArgumentException("isr " + isr + ", adding " + adding + " and removing " + removing
                + " must be subsets of the replicas " + replicas);
        }
        if (leader != NO_LEADER && !isr.contains(leader)) {
            throw new IllegalArgumentException("leader " + leader + " is not in the isr " + isr);
        }
        Set<Integer> both = new HashSet<>(adding);
        both.retainAll(removing);
        if (!both.isEmpty()) {
            throw new IllegalArgumentException("replicas both added and removed: " + both);
        }
    }

    static PartitionRegistration from(Partition record) {
        return new PartitionRegistration(record.replicas(), record.isr(), record.leader(), record.leaderEpoch(),
            record.partitionEpoch(), List.of(), List.of(), record.directories());
    }

    static PartitionRegistration from(PartitionChange record) {
        return new PartitionRegistration(record.replicas(), record.isr(), record.leader(), record.leaderEpoch(),
            record.partitionEpoch(), record.addingReplicas(), record.removingReplicas(), record.directories());
    }

    /** The data directory id of {@code nodeId}'s replica, empty when unknown. */
    public String directory(int nodeId) {
        int index = replicas.indexOf(nodeId);
        return index < 0 || directories.isEmpty() ? "" : directories.get(index);
    }

    /** The first replica: the leader this partition should have when all is well. */
    public int preferredLeader() {
        return replicas.get(0);
    }

    public boolean hasLeader() {
        return leader != NO_LEADER;
    }

    public boolean isReplica(int nodeId) {
        return replicas.contains(nodeId);
    }

    public boolean isInIsr(int nodeId) {
        return isr.contains(nodeId);
    }

    public boolean isReassigning() {
        return !addingReplicas.isEmpty() || !removingReplicas.isEmpty();
    }

    /** The replicas the partition will have once its reassignment completes (its replicas if none). */
    public List<Integer> targetReplicas() {
        if (removingReplicas.isEmpty()) {
            return replicas;
        }
        return replicas.stream().filter(id -> !removingReplicas.contains(id)).toList();
    }
}
