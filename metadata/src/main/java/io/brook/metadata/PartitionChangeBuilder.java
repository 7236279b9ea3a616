package io.brook.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 *       replicas and the old leader are fenced); {@code partitionEpoch} goes up on every change.</li>
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
    PartitionChangeBuilder(String topic, int partition, PartitionRegistration current, IntPredicate unfenced) {
        this.topic = topic;
        this.partition = partition;
        this.current = current;
        this.unfenced = unfenced;
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

    /** Makes {@code nodeId} leader; the caller has checked that it is an unfenced ISR member. */
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
            next.isr = next.isr.stream().filter(unfenced::test).toList();
        } else if (uncleanAllowed) {
            next.replicas.stream().filter(unfenced::test).findFirst().ifPresent(unclean -> {
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
        if (leader != PartitionRegistration.NO_LEADER && next.isr.contains(leader) && unfenced.test(leader)) {
            return leader;
        }
        return next.isr.stream().filter(unfenced::test).findFirst().orElse(PartitionRegistration.NO_LEADER);
    }

    private Optional<PartitionChange> toChange(State next) {
        boolean leaderChanged = next.leader != current.leader();
        boolean replicasRemoved = !next.replicas.containsAll(current.replicas());
        boolean changed = leaderChanged || !next.isr.equals(current.isr()) || !next.replicas.equals(current.replicas())
            || !next.adding.equals(current.addingReplicas()) || !next.removing.equals(current.removingReplicas());
        if (!changed) {
            return Optional.empty();
        }
        int leaderEpoch = current.leaderEpoch() + (leaderChanged || replicasRemoved ? 1 : 0);
        return Optional.of(new PartitionChange(topic, partition, next.leader, next.isr, next.replicas, leaderEpoch,
            current.partitionEpoch() + 1, next.adding, next.removing));
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
