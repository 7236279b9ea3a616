package io.brook.replication;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * A leader's proposal to the controller to change the ISR (Kafka's AlterPartition). The controller
 * applies it only if {@code leaderEpoch} and {@code partitionEpoch} are still current, which is how
 * a stale leader learns it has been replaced and how a proposal based on an old ISR is refused.
 *
 * @param leaderId       the proposing leader
 * @param leaderEpoch    the leader epoch it leads in
 * @param partitionEpoch the partition epoch of the ISR it started from
 * @param newIsr         the proposed ISR, leader included
 */
public record IsrChangeProposal(int leaderId, int leaderEpoch, int partitionEpoch, Set<Integer> newIsr) {

    public IsrChangeProposal {
        newIsr = Collections.unmodifiableSet(new TreeSet<>(newIsr));
        if (!newIsr.contains(leaderId)) {
            throw new IllegalArgumentException("Proposed ISR " + newIsr + " lacks the leader " + leaderId);
        }
    }
}
