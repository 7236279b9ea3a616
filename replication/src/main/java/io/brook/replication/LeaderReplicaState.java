package io.brook.replication;

import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.protocol.Errors;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The leader's view of one partition for one leader epoch: the followers' log end offsets, the ISR
 * (committed by the controller) and at most one pending ISR change, and the high watermark. Built
 * when the broker becomes leader ({@link #becomeLeader}); a new leader epoch means a new object.
 *
 * <p>Invariants:
 * <ul>
 *   <li>the high watermark never decreases, never exceeds the leader's log end offset, and is at most
 *       the log end offset of every member of the maximal ISR (committed ISR plus a pending change),
 *       so every offset below it is on every replica the controller may elect;</li>
 *   <li>the high watermark does not advance past the start of this leader epoch while the
 *       committed ISR is smaller than {@code min.insync.replicas} (below it lie records of earlier
 *       epochs, possibly acknowledged already);</li>
 *   <li>a follower's log end offset is counted only from fetches the caller accepted (epoch and
 *       divergence checked by {@link FetchValidation}), and it is unknown until its first fetch in
 *       this epoch, which holds the high watermark back;</li>
 *   <li>a follower joins the ISR only once its log reaches both the high watermark and the start of
 *       this leader epoch (so it holds every record the previous leader may have committed);</li>
 *   <li>at most one ISR change is pending; after the controller refuses it the maximal ISR is kept
 *       until newer metadata arrives ({@link #onPartitionChange}), because the controller may have
 *       applied another send of it after all (a lost response, then a retry refused as stale).</li>
 * </ul>
 *
 * <p>Not thread-safe: owned by the partition leader's verticle, which hands it the time.
 */
public final class LeaderReplicaState {

    private final int localId;
    private final int leaderEpoch;
    private final long leaderEpochStartOffset;
    private final int minInsyncReplicas;
    private final long replicaLagTimeMaxMs;
    private final long alterPartitionRetryBackoffMs;
    private final Map<Integer, FollowerProgress> followers = new TreeMap<>();
    private int partitionEpoch;
    private List<Integer> replicas;
    private Set<Integer> isr;
    private PendingIsrChange pending;
    private long logEndOffset;
    private long highWatermark;
    private boolean fenced;

    private LeaderReplicaState(int localId, PartitionState state, long logEndOffset, long highWatermark,
                               ReplicationConfig config) {
        this.localId = localId;
        this.leaderEpoch = state.leaderEpoch();
        this.leaderEpochStartOffset = logEndOffset;
        this.minInsyncReplicas = config.minInsyncReplicas();
        this.replicaLagTimeMaxMs = config.replicaLagTimeMaxMs();
        this.alterPartitionRetryBackoffMs = config.alterPartitionRetryBackoffMs();
        this.logEndOffset = logEndOffset;
        this.highWatermark = Math.min(highWatermark, logEndOffset);
    }

    /**
     * The state of a broker that has just become leader of {@code state} with its log ending at
     * {@code logEndOffset}. {@code highWatermark} is what it knew as a follower (the previous leader's
     * high watermark, capped by its own log end); it only goes up from there. ISR followers count as
     * caught up now, so they are not shrunk before they had a chance to fetch.
     */
    public static LeaderReplicaState becomeLeader(int localId, PartitionState state, long logEndOffset,
                                                  long highWatermark, ReplicationConfig config, long nowMs) {
        if (state.leaderId() != localId) {
            throw new IllegalArgumentException("Broker " + localId + " is not the leader of " + state);
        }
        if (logEndOffset < 0 || highWatermark < 0) {
            throw new IllegalArgumentException("Negative offsets: log end " + logEndOffset + ", hw " + highWatermark);
        }
        LeaderReplicaState leader = new LeaderReplicaState(localId, state, logEndOffset, highWatermark, config);
        leader.applyCommitted(state.partitionEpoch(), state.replicas(), state.isr(), nowMs);
        leader.maybeAdvanceHighWatermark();
        return leader;
    }

    // ---------------------------------------------------------------- appends and fetches

    /**
     * Throws when an acks=all write must be refused before it is appended: this broker learned it
     * is no longer leader ({@link NotLeaderOrFollowerException}) or the committed ISR is smaller
     * than {@code min.insync.replicas} ({@link NotEnoughReplicasException}).
     */
    public void checkAcksAll() {
        throwIfFenced();
        if (isr.size() < minInsyncReplicas) {
            throw new NotEnoughReplicasException("The ISR " + isr + " of leader " + localId + " (epoch " + leaderEpoch
                + ") is smaller than min.insync.replicas=" + minInsyncReplicas);
        }
    }

    /** Throws {@link NotLeaderOrFollowerException} once the controller told this leader it was replaced. */
    public void throwIfFenced() {
        if (fenced) {
            throw new NotLeaderOrFollowerException("Broker " + localId + " was leader in epoch " + leaderEpoch
                + " but the controller refused it as stale");
        }
    }

    /**
     * The local log now ends at {@code newLogEndOffset} (after an append as leader).
     *
     * @return whether the high watermark advanced (a lone in-sync leader commits at once)
     */
    public boolean onLocalAppend(long newLogEndOffset) {
        if (newLogEndOffset < logEndOffset) {
            throw new IllegalArgumentException("A leader's log does not shrink: " + logEndOffset + " -> " + newLogEndOffset);
        }
        logEndOffset = newLogEndOffset;
        return maybeAdvanceHighWatermark();
    }

    /**
     * A follower's fetch at {@code fetchOffset} was accepted (epoch current, no divergence, offset
     * within the log): that is its log end offset. Proposes adding it to the ISR when it has caught
     * up, if no other change is pending.
     *
     * @return whether the high watermark advanced
     * @throws NotLeaderOrFollowerException if {@code replicaId} is not a follower of this partition
     * @throws IllegalArgumentException     if {@code fetchOffset} is beyond the leader's log end (the
     *                                      caller must refuse such a fetch, see {@link FetchValidation})
     */
    public boolean onFollowerFetch(int replicaId, long fetchOffset, long nowMs) {
        FollowerProgress follower = followers.get(replicaId);
        if (follower == null) {
            throw new NotLeaderOrFollowerException("Broker " + replicaId + " is not a follower of this partition "
                + "(replicas " + replicas + ")");
        }
        if (fetchOffset < 0 || fetchOffset > logEndOffset) {
            throw new IllegalArgumentException("Fetch offset " + fetchOffset + " of follower " + replicaId
                + " is outside the leader's log [0, " + logEndOffset + "]");
        }
        follower.onFetch(fetchOffset, logEndOffset, nowMs);
        maybeProposeExpansion(replicaId, follower);
        return maybeAdvanceHighWatermark();
    }

    private void maybeProposeExpansion(int replicaId, FollowerProgress follower) {
        if (pending != null || fenced || maximalIsr().contains(replicaId)) {
            return;
        }
        long followerEnd = follower.logEndOffset();
        if (followerEnd >= highWatermark && followerEnd >= leaderEpochStartOffset) {
            Set<Integer> proposed = new TreeSet<>(isr);
            proposed.add(replicaId);
            pending = new PendingIsrChange(proposed, partitionEpoch);
        }
    }

    /**
     * Proposes removing the ISR followers that have not caught up for longer than
     * {@code replica.lag.time.max.ms}, if no other change is pending. The high watermark still
     * counts them until the controller commits the change.
     *
     * @return whether a change was proposed (send it with {@link #isrChangeToSend})
     */
    public boolean maybeShrinkIsr(long nowMs) {
        if (pending != null || fenced) {
            return false;
        }
        Set<Integer> proposed = new TreeSet<>(isr);
        proposed.removeIf(id -> id != localId && followers.get(id).isLagging(nowMs, replicaLagTimeMaxMs));
        if (proposed.size() == isr.size()) {
            return false;
        }
        pending = new PendingIsrChange(proposed, partitionEpoch);
        return true;
    }

    // ---------------------------------------------------------------- the controller's answers

    /**
     * The ISR change to send to the controller now: a new proposal, or a resend once
     * {@code alter.partition.retry.backoff.ms} passed without an answer. Empty when there is nothing
     * to send.
     */
    public Optional<IsrChangeProposal> isrChangeToSend(long nowMs) {
        if (pending == null || !pending.isDue(nowMs, alterPartitionRetryBackoffMs)) {
            return Optional.empty();
        }
        pending.markSent(nowMs);
        return Optional.of(new IsrChangeProposal(localId, leaderEpoch, pending.basePartitionEpoch(),
            pending.proposedIsr()));
    }

    /**
     * The controller committed an ISR change: {@code newIsr} at {@code newPartitionEpoch}. A stale or
     * duplicate answer (not newer than what this leader knows) is ignored.
     *
     * @return whether the high watermark advanced (a shrink can unblock it)
     */
    public boolean onIsrCommitted(Set<Integer> newIsr, int newPartitionEpoch, long nowMs) {
        if (newPartitionEpoch <= partitionEpoch) {
            return false;
        }
        if (!newIsr.contains(localId) || !replicas.containsAll(newIsr)) {
            throw new IllegalArgumentException("The committed ISR " + newIsr + " must hold the leader " + localId
                + " and only replicas " + replicas);
        }
        applyCommitted(newPartitionEpoch, replicas, newIsr, nowMs);
        return maybeAdvanceHighWatermark();
    }

    /**
     * The controller refused {@code request} with {@code error}. Ignored unless {@code request} is
     * the pending change: a late answer to an earlier send must not decide the fate of a later
     * proposal. For the pending change:
     * <ul>
     *   <li>{@code INVALID_UPDATE_VERSION} (this leader's partition epoch is stale),
     *       {@code INELIGIBLE_REPLICA}, {@code OPERATION_NOT_ATTEMPTED}: the maximal ISR is kept
     *       until {@link #onPartitionChange} brings a newer committed state. Even a refusal that
     *       says "not applied" only speaks for one send: an earlier send of the same proposal,
     *       delayed in the network, may still be applied afterwards (the simulation found this), so
     *       dropping the proposal could leave the controller with an ISR member the high watermark
     *       does not wait for. The controller must therefore answer every non-stale proposal by
     *       committing a change (see README.md), so newer metadata always follows;</li>
     *   <li>{@code FENCED_LEADER_EPOCH}, {@code NOT_LEADER_OR_FOLLOWER}: a newer leader exists; as
     *       above, and this leader is fenced (acks=all writes fail with NOT_LEADER_OR_FOLLOWER);</li>
     *   <li>anything else is transient: the change is sent again after the retry backoff.</li>
     * </ul>
     */
    public void onIsrRejected(IsrChangeProposal request, Errors error) {
        if (pending == null || !isPending(request)) {
            return;
        }
        switch (error) {
            case INVALID_UPDATE_VERSION, INELIGIBLE_REPLICA, OPERATION_NOT_ATTEMPTED -> pending.awaitMetadata();
            case FENCED_LEADER_EPOCH, NOT_LEADER_OR_FOLLOWER -> {
                pending.awaitMetadata();
                fenced = true;
            }
            case NONE -> throw new IllegalArgumentException("NONE is not a rejection");
            default -> {
                // transient (timeout, controller moving): isrChangeToSend resends after the backoff
            }
        }
    }

    private boolean isPending(IsrChangeProposal request) {
        return request.leaderId() == localId && request.leaderEpoch() == leaderEpoch
            && request.partitionEpoch() == pending.basePartitionEpoch() && request.newIsr().equals(pending.proposedIsr());
    }

    /**
     * Newer metadata for this partition with the same leader epoch (an ISR change by the controller
     * or by this leader's own proposal, a reassignment). Replaces the committed state and drops the
     * pending change. Older or equal partition epochs are ignored.
     *
     * @return whether the high watermark advanced
     * @throws IllegalArgumentException if the metadata is for another leader or leader epoch: the
     *                                  caller must step down or build a new state
     */
    public boolean onPartitionChange(PartitionState state, long nowMs) {
        if (state.leaderId() != localId || state.leaderEpoch() != leaderEpoch) {
            throw new IllegalArgumentException("Leader " + localId + " in epoch " + leaderEpoch
                + " cannot apply " + state + ": step down or become leader again");
        }
        if (state.partitionEpoch() <= partitionEpoch) {
            return false;
        }
        applyCommitted(state.partitionEpoch(), state.replicas(), state.isr(), nowMs);
        return maybeAdvanceHighWatermark();
    }

    private void applyCommitted(int newPartitionEpoch, List<Integer> newReplicas, Set<Integer> newIsr, long nowMs) {
        partitionEpoch = newPartitionEpoch;
        replicas = List.copyOf(newReplicas);
        isr = Collections.unmodifiableSet(new TreeSet<>(newIsr));
        pending = null;
        followers.keySet().retainAll(replicas);
        for (int id : replicas) {
            if (id != localId) {
                // a follower already in the ISR gets a full lag period to fetch from this leader
                followers.computeIfAbsent(id, k -> new FollowerProgress(isr.contains(k) ? nowMs : 0L));
            }
        }
    }

    // ---------------------------------------------------------------- high watermark

    private boolean maybeAdvanceHighWatermark() {
        long candidate = logEndOffset;
        for (int id : maximalIsr()) {
            if (id != localId) {
                candidate = Math.min(candidate, followers.get(id).logEndOffset());
            }
        }
        if (isr.size() < minInsyncReplicas) {
            // Writes of this epoch need min.insync.replicas in sync before consumers see them. What the
            // log held at election may have been acknowledged by the previous leader (its followers
            // learn the high watermark one fetch late), and this leader is its only in-sync copy: it
            // stays readable, as it must when two of three replicas are lost.
            candidate = Math.min(candidate, leaderEpochStartOffset);
        }
        if (candidate <= highWatermark) {
            return false;
        }
        highWatermark = candidate;
        return true;
    }

    // ---------------------------------------------------------------- state

    /** The committed ISR plus the pending change's proposal: every replica the controller may elect. */
    public Set<Integer> maximalIsr() {
        if (pending == null) {
            return isr;
        }
        Set<Integer> union = new TreeSet<>(isr);
        union.addAll(pending.proposedIsr());
        return Collections.unmodifiableSet(union);
    }

    public long highWatermark() {
        return highWatermark;
    }

    public long logEndOffset() {
        return logEndOffset;
    }

    public int localId() {
        return localId;
    }

    public int leaderEpoch() {
        return leaderEpoch;
    }

    public int partitionEpoch() {
        return partitionEpoch;
    }

    /** The log end offset when this epoch began: followers must reach it before they join the ISR. */
    public long leaderEpochStartOffset() {
        return leaderEpochStartOffset;
    }

    public List<Integer> replicas() {
        return replicas;
    }

    /** The ISR the controller committed. */
    public Set<Integer> isr() {
        return isr;
    }

    /** The proposed ISR of the pending change, if any. */
    public Optional<Set<Integer>> pendingIsr() {
        return pending == null ? Optional.empty() : Optional.of(pending.proposedIsr());
    }

    /** Whether the controller said a newer leader exists; the verticle steps down and waits for metadata. */
    public boolean isFenced() {
        return fenced;
    }

    /** A follower's log end offset as of its last accepted fetch; empty before its first fetch. */
    public OptionalLong followerLogEndOffset(int replicaId) {
        FollowerProgress follower = followers.get(replicaId);
        if (follower == null) {
            throw new IllegalArgumentException("Broker " + replicaId + " is not a follower (replicas " + replicas + ")");
        }
        long end = follower.logEndOffset();
        return end == FollowerProgress.UNKNOWN_OFFSET ? OptionalLong.empty() : OptionalLong.of(end);
    }

    public int minInsyncReplicas() {
        return minInsyncReplicas;
    }

    @Override
    public String toString() {
        return "Leader(" + localId + ", epoch " + leaderEpoch + "/" + partitionEpoch + ", isr " + isr
            + (pending == null ? "" : ", pending " + pending) + ", hw " + highWatermark + ", leo " + logEndOffset
            + ", followers " + followers + (fenced ? ", FENCED" : "") + ")";
    }
}
