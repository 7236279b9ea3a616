package io.brook.replication;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * An ISR change the leader proposed and the controller has not yet confirmed. While it is pending
 * the leader counts the union of the committed and the proposed ISR ("maximal ISR") for the high
 * watermark: if the change was a shrink the removed followers are still counted (the controller may
 * not apply it), if it was an expansion the added follower already is (the controller may have
 * applied it and may elect it).
 *
 * <p>Owned by its {@link LeaderReplicaState}.
 */
final class PendingIsrChange {

    private final Set<Integer> proposedIsr;
    private final int basePartitionEpoch;
    private long lastSentMs = -1L;
    /** The controller refused it as stale: wait for metadata rather than resend, keeping the union. */
    private boolean awaitingMetadata;

    PendingIsrChange(Set<Integer> proposedIsr, int basePartitionEpoch) {
        this.proposedIsr = Collections.unmodifiableSet(new TreeSet<>(proposedIsr));
        this.basePartitionEpoch = basePartitionEpoch;
    }

    Set<Integer> proposedIsr() {
        return proposedIsr;
    }

    int basePartitionEpoch() {
        return basePartitionEpoch;
    }

    boolean isDue(long nowMs, long retryBackoffMs) {
        return !awaitingMetadata && (lastSentMs < 0 || nowMs - lastSentMs >= retryBackoffMs);
    }

    void markSent(long nowMs) {
        lastSentMs = nowMs;
    }

    void awaitMetadata() {
        awaitingMetadata = true;
    }

    boolean isAwaitingMetadata() {
        return awaitingMetadata;
    }

    @Override
    public String toString() {
        return proposedIsr + "@" + basePartitionEpoch + (awaitingMetadata ? "(awaiting metadata)" : "");
    }
}
