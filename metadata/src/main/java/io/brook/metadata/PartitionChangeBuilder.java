package io.brook.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

/**
 * Computes a partition's next state from its current one and the changes a request asks for (new
 * ISR, new replica set, preferred leader), and applies the rules every change obeys:
 *
 * <ul>
 *   <li>the ISR is kept in replica order, so "first in replica order" is just "first";</li>
 *   <li>a reassignment completes as soon as every target replica is in the ISR: replicas become the
 *       targets, the ISR loses the removed replicas;</li>
 *   <li>the leader stays if it is still an unfenced ISR member; otherwise the first unfenced ISR
 *       member leads; with none, an unfenced out-of-sync replica leads with an ISR of itself if
 *       unclean election is allowed, else there is no leader (-1) and the ISR stays;</li>
 *   <li>a partition with a leader has only unfenced ISR members (fenced ones are dropped when a
 *       leader is kept or elected), so acks=all never waits on a dead broker;</li>
 *   <li>{@code leaderEpoch} goes up when the leader changes or replicas are removed (so removed
 *       replicas and the old leader are fenced); {@code partitionEpoch} goes up on every change;</li>
 *   <li>an {@linkplain MetadataImage#isOffline offline} replica (its broker is on another data
 *       directory) neither leads nor stays in the ISR, except as an unclean leader; a replica that
 *       joins the ISR, is elected unclean or is added by a reassignment is recorded in its broker's
 *       current directory.</li>
 * </ul>
 *
 * <p>{@link #build()} returns empty when nothing changes, so callers never write no-op records.
 * Single use, controller thread only.
 */
final class PartitionChangeBuilder {

    private final String topic;
    private final int partition;
    private final PartitionRegistration current;
    private final IntPredicate unfenced;
    private final IntPredicate eligible;
    private final IntFunction<String> directoryOf;
    private int uncleanLeader = PartitionRegistration.NO_LEADER;
    private boolean uncleanAllowed;
    private List<Integer> targetIsr;
    private List<Integer> targetReplicas;
    private List<Integer> targetAdding;
    private List<Integer> targetRemoving;
    private int preferredLeader = PartitionRegistration.NO_LEADER;

    /**
     * @param unfenced which brokers may lead and stay in a shrinking ISR in the new state (brokers
     *     being fenced by the same request must already answer false)
     */
    PartitionChangeBuilder(String topic, int partition, PartitionRegistration current, MetadataImage image,
                           IntPredicate unfenced) {
        this.topic = topic;
        this.partition = partition;
        this.current = current;
        this.unfenced = unfenced;
        // an ISR member that stayed in the ISR on another directory has not got the data; one that joins now
        // has just fetched it into its current directory
        this.eligible = id -> unfenced.test(id) && !(current.isInIsr(id) && image.isOffline(current, id));
        this.directoryOf = image::directoryOf;
    }

    PartitionChangeBuilder uncleanAllowed(boolean allowed) {
        this.uncleanAllowed = allowed;
        return this;
    }

    PartitionChangeBuilder isr(List<Integer> isr) {
        this.targetIsr = isr;
        return this;
    }

    PartitionChangeBuilder replicas(List<Integer> replicas, List<Integer> adding, List<Integer> removing) {
        this.targetReplicas = replicas;
        this.targetAdding = adding;
        this.targetRemoving = removing;
        return this;
    }

    /** Makes {@code nodeId} leader; the caller has checked that it is an unfenced, online ISR member. */
    PartitionChangeBuilder leader(int nodeId) {
        this.preferredLeader = nodeId;
        return this;
    }

    Optional<PartitionChange> build() {
        State next = new State();
        next.replicas = targetReplicas != null ? targetReplicas : current.replicas();
        next.adding = targetReplicas != null ? targetAdding : current.addingReplicas();
        next.removing = targetReplicas != null ? targetRemoving : current.removingReplicas();
        next.isr = inReplicaOrder(targetIsr != null ? targetIsr : current.isr(), next.replicas);
        completeReassignmentIfReady(next);
        electLeader(next);
        completeReassignmentIfReady(next); // an unclean election may have made the ISR exactly the targets
        return toChange(next);
    }

    private static void completeReassignmentIfReady(State next) {
        if (next.adding.isEmpty() && next.removing.isEmpty()) {
            return;
        }
        List<Integer> targets = next.replicas.stream().filter(id -> !next.removing.contains(id)).toList();
        if (next.isr.containsAll(targets)) {
            next.replicas = targets;
            next.isr = inReplicaOrder(next.isr, targets);
            next.adding = List.of();
            next.removing = List.of();
        }
    }

    private void electLeader(State next) {
        next.leader = chooseLeader(next);
        if (next.leader != PartitionRegistration.NO_LEADER) {
            // a partition with a leader has only live ISR members: acks=all must not wait on a fenced one
            next.isr = next.isr.stream().filter(eligible::test).toList();
        } else if (uncleanAllowed) {
            // unclean: whatever a live replica has, offline or not, is what the partition keeps
            next.replicas.stream().filter(unfenced::test).findFirst().ifPresent(unclean -> {
                uncleanLeader = unclean;
                next.leader = unclean;
                next.isr = List.of(unclean); // only the new leader's log is known to be in sync now
            });
        }
    }

    private int chooseLeader(State next) {
        if (preferredLeader != PartitionRegistration.NO_LEADER) {
            return preferredLeader;
        }
        int leader = current.leader();
        if (leader != PartitionRegistration.NO_LEADER && next.isr.contains(leader) && eligible.test(leader)) {
            return leader;
        }
        return next.isr.stream().filter(eligible::test).findFirst().orElse(PartitionRegistration.NO_LEADER);
    }

    private Optional<PartitionChange> toChange(State next) {
        boolean leaderChanged = next.leader != current.leader();
        boolean replicasRemoved = !next.replicas.containsAll(current.replicas());
        List<String> directories = directories(next);
        boolean changed = leaderChanged || !next.isr.equals(current.isr()) || !next.replicas.equals(current.replicas())
            || !next.adding.equals(current.addingReplicas()) || !next.removing.equals(current.removingReplicas())
            || !directories.equals(current.directories());
        if (!changed) {
            return Optional.empty();
        }
        int leaderEpoch = current.leaderEpoch() + (leaderChanged || replicasRemoved ? 1 : 0);
        return Optional.of(new PartitionChange(topic, partition, next.leader, next.isr, next.replicas, leaderEpoch,
            current.partitionEpoch() + 1, next.adding, next.removing, directories));
    }

    /**
     * Per replica: its broker's current directory if it joins the ISR now, is the unclean leader or is
     * new; else the directory recorded before. None at all while every one is unknown.
     */
    private List<String> directories(State next) {
        List<String> directories = new ArrayList<>(next.replicas.size());
        for (int replica : next.replicas) {
            boolean joins = next.isr.contains(replica) && (!current.isInIsr(replica) || replica == uncleanLeader);
            boolean isNew = !current.isReplica(replica);
            directories.add(joins || isNew ? directoryOf.apply(replica) : current.directory(replica));
        }
        return directories.stream().allMatch(String::isEmpty) ? List.of() : directories;
    }

    /** The members of {@code isr} that are replicas, in replica order. */
    static List<Integer> inReplicaOrder(List<Integer> isr, List<Integer> replicas) {
        List<Integer> ordered = new ArrayList<>(isr.size());
        for (int replica : replicas) {
            if (isr.contains(replica)) {
                ordered.add(replica);
            }
        }
        return ordered;
    }

    /** The partition state being computed. */
    private static final class State {
        List<Integer> replicas;
        List<Integer> adding;
        List<Integer> removing;
        List<Integer> isr;
        int leader;
    }
}
