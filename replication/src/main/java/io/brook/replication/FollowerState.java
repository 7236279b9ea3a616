package io.brook.replication;

import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.RecordBatch;

import java.util.Iterator;
import java.util.Optional;

/**
 * One follower replica's fetch loop for one leader and leader epoch (a new leader or epoch means a
 * new object): the next fetch offset (its log end offset), the epoch of its last batch, and its
 * high watermark, min(leader's high watermark, own log end offset). It decides what to do with
 * each fetch response ({@link FetchDecision}); the owner does the log work and reports back.
 *
 * <p>Phases: READY (may fetch at {@code nextFetchAtMs}) -> FETCHING (one fetch in flight: the
 * window) -> APPLYING (log work handed out) -> READY, or BACKING_OFF after an error. A fetch with no
 * answer within {@code replica.socket.timeout.ms} is abandoned and its late answer ignored.
 *
 * <p>Invariants: at most one fetch in flight and none while log work is pending; a response is
 * used only if it answers the fetch in flight; records are appended only if they start exactly at
 * the log end (or, after a DeleteRecords, their first batch holds it and the leader's log start); the high watermark never exceeds the log end and only decreases with a truncation.
 *
 * <p>Not thread-safe: owned by the follower verticle of the partition.
 */
public final class FollowerState {

    public enum Phase { READY, FETCHING, APPLYING, BACKING_OFF }

    /** A fetch to send, with the id its response must be reported with. */
    public record FetchAttempt(long id, FollowerFetch request) {}

    private final int localId;
    private final int leaderId;
    private final int leaderEpoch;
    private final long fetchBackoffMs;
    private final long socketTimeoutMs;
    private final long idleBackoffMs;
    private long logEndOffset;
    private int lastFetchedEpoch;
    private long highWatermark;
    private Phase phase = Phase.READY;
    private long nextFetchAtMs;
    private long inFlightId = -1L;
    private long inFlightSentMs;
    private long lastAttemptId;
    private FetchDecision applying;
    private long applyingLeaderHighWatermark;

    /**
     * @param logEndOffset     the local log's end offset
     * @param lastFetchedEpoch the local log's latest epoch, -1 if none
     * @param highWatermark    the high watermark known so far (capped by the log end)
     */
    public FollowerState(int localId, int leaderId, int leaderEpoch, long logEndOffset, int lastFetchedEpoch,
                         long highWatermark, ReplicationConfig config) {
        if (leaderId == localId || leaderId < 0 || leaderEpoch < 0 || logEndOffset < 0) {
            throw new IllegalArgumentException("Invalid follower " + localId + " of leader " + leaderId + " epoch "
                + leaderEpoch + " at " + logEndOffset);
        }
        this.localId = localId;
        this.leaderId = leaderId;
        this.leaderEpoch = leaderEpoch;
        this.fetchBackoffMs = config.replicaFetchBackoffMs();
        this.socketTimeoutMs = config.replicaSocketTimeoutMs();
        this.idleBackoffMs = config.replicaFetchIdleBackoffMs();
        this.logEndOffset = logEndOffset;
        this.lastFetchedEpoch = lastFetchedEpoch;
        this.highWatermark = Math.max(0L, Math.min(highWatermark, logEndOffset));
    }

    // ---------------------------------------------------------------- fetching

    /** The fetch to send now, if one is due: READY or backing off past its time, or the one in flight timed out. */
    public Optional<FetchAttempt> maybeFetch(long nowMs) {
        boolean due = switch (phase) {
            case APPLYING -> false;
            case FETCHING -> nowMs - inFlightSentMs >= socketTimeoutMs;
            case READY, BACKING_OFF -> nowMs >= nextFetchAtMs;
        };
        if (!due) {
            return Optional.empty();
        }
        inFlightId = ++lastAttemptId;
        inFlightSentMs = nowMs;
        phase = Phase.FETCHING;
        return Optional.of(new FetchAttempt(inFlightId,
            new FollowerFetch(localId, leaderEpoch, logEndOffset, lastFetchedEpoch)));
    }

    /** When {@link #maybeFetch} may next return a fetch (for the owner's timer); MAX_VALUE while applying. */
    public long nextWakeupMs() {
        return switch (phase) {
            case APPLYING -> Long.MAX_VALUE;
            case FETCHING -> inFlightSentMs + socketTimeoutMs;
            case READY, BACKING_OFF -> nextFetchAtMs;
        };
    }

    /** The fetch {@code attemptId} failed without a response (transport error): back off. */
    public void onFetchFailed(long attemptId, long nowMs) {
        if (phase == Phase.FETCHING && attemptId == inFlightId) {
            backoff(nowMs);
        }
    }

    /** Decides what to do with the response to fetch {@code attemptId}. */
    public FetchDecision onFetchResponse(long attemptId, FollowerFetchResult response, long nowMs) {
        if (phase != Phase.FETCHING || attemptId != inFlightId) {
            return new FetchDecision.Stale();
        }
        inFlightId = -1L;
        if (response.error() != Errors.NONE) {
            return onError(response, nowMs);
        }
        if (response.divergingEpoch().isPresent()) {
            return apply(new FetchDecision.TruncateDiverged(response.divergingEpoch().get()), response);
        }
        if (response.records().sizeInBytes() == 0) {
            raiseHighWatermark(response.highWatermark());
            phase = Phase.READY;
            nextFetchAtMs = nowMs + idleBackoffMs;
            return new FetchDecision.NoRecords();
        }
        if (!continuesLog(response)) {
            // the leader must answer from the fetch offset; anything else would corrupt the log
            return backoff(Errors.CORRUPT_MESSAGE, nowMs);
        }
        return apply(new FetchDecision.AppendRecords(response.records()), response);
    }

    private FetchDecision onError(FollowerFetchResult response, long nowMs) {
        if (response.error() == Errors.OFFSET_OUT_OF_RANGE) {
            if (response.logStartOffset() > logEndOffset) {
                return apply(new FetchDecision.TruncateFullyAndStartAt(response.logStartOffset()), response);
            }
            if (response.logEndOffset() >= 0 && response.logEndOffset() < logEndOffset) {
                return apply(new FetchDecision.TruncateTo(response.logEndOffset()), response);
            }
        }
        return backoff(response.error(), nowMs);
    }

    private FetchDecision apply(FetchDecision decision, FollowerFetchResult response) {
        phase = Phase.APPLYING;
        applying = decision;
        applyingLeaderHighWatermark = response.highWatermark();
        return decision;
    }

    private FetchDecision backoff(Errors error, long nowMs) {
        backoff(nowMs);
        return new FetchDecision.Backoff(error, nextFetchAtMs);
    }

    private void backoff(long nowMs) {
        inFlightId = -1L;
        phase = Phase.BACKING_OFF;
        nextFetchAtMs = nowMs + fetchBackoffMs;
    }

    /**
     * The first batch starts at the log end; or it holds the log end and the leader's log start is at
     * or past it: a DeleteRecords put the leader's log start inside that batch and this log was
     * restarted there, so the owner takes the batch whole (Kafka's follower does the same).
     */
    private boolean continuesLog(FollowerFetchResult response) {
        Iterator<? extends RecordBatch> batches = response.records().batches().iterator();
        if (!batches.hasNext()) {
            return false;
        }
        RecordBatch first = batches.next();
        return first.baseOffset() == logEndOffset
            || first.baseOffset() < logEndOffset && first.lastOffset() >= logEndOffset
                && response.logStartOffset() >= logEndOffset;
    }

    // ---------------------------------------------------------------- log work done

    /** The records of the last decision were appended: the log now ends at {@code newLogEndOffset}. */
    public void onAppended(long newLogEndOffset, int newLastEpoch, long nowMs) {
        requireApplying(FetchDecision.AppendRecords.class);
        if (newLogEndOffset <= logEndOffset) {
            throw new IllegalArgumentException("An append must grow the log: " + logEndOffset + " -> " + newLogEndOffset);
        }
        logEndOffset = newLogEndOffset;
        lastFetchedEpoch = newLastEpoch;
        raiseHighWatermark(applyingLeaderHighWatermark);
        ready(nowMs);
    }

    /** The truncation of the last decision was done: the log now ends at {@code newLogEndOffset}. */
    public void onTruncated(long newLogEndOffset, int newLatestEpoch, long nowMs) {
        if (phase != Phase.APPLYING || applying instanceof FetchDecision.AppendRecords) {
            throw new IllegalStateException("No truncation pending (" + phase + ", " + applying + ")");
        }
        boolean restarted = applying instanceof FetchDecision.TruncateFullyAndStartAt;
        logEndOffset = newLogEndOffset;
        lastFetchedEpoch = newLatestEpoch;
        // a restarted log starts at the leader's log start, which the leader had committed
        highWatermark = restarted ? newLogEndOffset : Math.min(highWatermark, newLogEndOffset);
        ready(nowMs);
    }

    /** The log work failed (a storage error): nothing changed; try again after the fetch backoff. */
    public void onLogWorkFailed(long nowMs) {
        if (phase == Phase.APPLYING) {
            applying = null;
            backoff(nowMs);
        }
    }

    private void requireApplying(Class<? extends FetchDecision> kind) {
        if (phase != Phase.APPLYING || !kind.isInstance(applying)) {
            throw new IllegalStateException("No " + kind.getSimpleName() + " pending (" + phase + ", " + applying + ")");
        }
    }

    private void ready(long nowMs) {
        applying = null;
        phase = Phase.READY;
        nextFetchAtMs = nowMs;
    }

    private void raiseHighWatermark(long leaderHighWatermark) {
        highWatermark = Math.max(highWatermark, Math.min(leaderHighWatermark, logEndOffset));
    }

    // ---------------------------------------------------------------- state

    public int localId() {
        return localId;
    }

    public int leaderId() {
        return leaderId;
    }

    public int leaderEpoch() {
        return leaderEpoch;
    }

    /** The next fetch offset: the local log end offset as this state knows it. */
    public long fetchOffset() {
        return logEndOffset;
    }

    public int lastFetchedEpoch() {
        return lastFetchedEpoch;
    }

    public long highWatermark() {
        return highWatermark;
    }

    public Phase phase() {
        return phase;
    }

    @Override
    public String toString() {
        return "Follower(" + localId + " of " + leaderId + ", epoch " + leaderEpoch + ", leo " + logEndOffset
            + ", lastEpoch " + lastFetchedEpoch + ", hw " + highWatermark + ", " + phase + ")";
    }
}
