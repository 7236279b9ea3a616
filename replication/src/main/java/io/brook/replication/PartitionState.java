package io.brook.replication;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One partition as the controller committed it: leader, epochs, replicas and ISR. The replication
 * state machines are built from it and updated by newer ones; the broker maps its metadata image's
 * partition record to it.
 *
 * <p>Invariants (checked here): epochs are not negative, the ISR is a non-empty subset of the
 * replicas, and the leader (when there is one) is in the ISR. Immutable.
 *
 * @param leaderId       the leader's broker id, or {@link #NO_LEADER}
 * @param leaderEpoch    bumped by the controller on every leader change
 * @param partitionEpoch bumped by the controller on every change of this partition (leader or ISR)
 * @param replicas       the assigned replicas, preferred leader first
 * @param isr            the in-sync replicas, sorted
 */
public record PartitionState(int leaderId, int leaderEpoch, int partitionEpoch, List<Integer> replicas,
                             Set<Integer> isr) {

    public static final int NO_LEADER = -1;

    public PartitionState {
        replicas = List.copyOf(replicas);
        isr = Collections.unmodifiableSet(new TreeSet<>(isr));
        if (leaderEpoch < 0 || partitionEpoch < 0) {
            throw new IllegalArgumentException("Negative epoch in " + leaderEpoch + "/" + partitionEpoch);
        }
        if (isr.isEmpty() || !replicas.containsAll(isr)) {
            throw new IllegalArgumentException("ISR " + isr + " must be a non-empty subset of the replicas " + replicas);
        }
        if (leaderId != NO_LEADER && !isr.contains(leaderId)) {
            throw new IllegalArgumentException("Leader " + leaderId + " is not in the ISR " + isr);
        }
    }

    public boolean hasLeader() {
        return leaderId != NO_LEADER;
    }
}
