package io.brook.replication;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The leader's half of DeleteRecords (Kafka's {@code Partition.lowWatermarkIfLeader} and
 * {@code DelayedDeleteRecords}): the log start offset each follower last reported in its fetch, the
 * partition's low watermark (the lowest log start offset of the local log and of every replica in
 * the maximal ISR), and the requests waiting for it to reach their offset. A purge is answered once
 * every replica the controller may elect has dropped the records, so a failover cannot bring them
 * back; a follower whose log start is not known yet (no fetch in this epoch) holds the low
 * watermark at 0.
 *
 * <p>Each waiter completes exactly once: when the low watermark reaches its offset
 * ({@link #completeReached}), at its deadline ({@link #expire}: REQUEST_TIMED_OUT) or when
 * leadership is lost ({@link #removeAll}). At most {@code capacity} wait.
 *
 * <p>Not thread-safe: owned by the partition leader's verticle, which hands it the time.
 *
 * @param <T> what the caller needs to reply
 */
public final class DeleteRecordsWaiters<T> {

    private record Waiter<T>(long requiredOffset, long deadlineMs, T request) {}

    private final int localId;
    private final int capacity;
    private final Map<Integer, Long> followerLogStartOffsets = new HashMap<>();
    private final List<Waiter<T>> waiting = new ArrayList<>();

    public DeleteRecordsWaiters(int localId, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.localId = localId;
        this.capacity = capacity;
    }

    /** A follower's fetch told its log start offset ({@code -1}: it did not say, which counts as unknown). */
    public void onFollowerLogStart(int replicaId, long logStartOffset) {
        if (replicaId != localId && logStartOffset >= 0) {
            followerLogStartOffsets.put(replicaId, logStartOffset);
        }
    }

    /**
     * The lowest log start offset of the local log ({@code localLogStartOffset}) and of every other
     * member of {@code isr} (the maximal ISR: every replica the controller may elect).
     */
    public long lowWatermark(long localLogStartOffset, Set<Integer> isr) {
        long low = localLogStartOffset;
        for (int replica : isr) {
            if (replica != localId) {
                low = Math.min(low, followerLogStartOffsets.getOrDefault(replica, 0L));
            }
        }
        return low;
    }

    /**
     * Adds a purge to {@code requiredOffset}, to be answered by {@code deadlineMs}.
     *
     * @return false when {@code capacity} wait already (the caller refuses this one)
     */
    public boolean add(long requiredOffset, long deadlineMs, T request) {
        if (waiting.size() >= capacity) {
            return false;
        }
        waiting.add(new Waiter<>(requiredOffset, deadlineMs, request));
        return true;
    }

    /** Removes and returns every request whose offset the low watermark has reached. */
    public List<T> completeReached(long lowWatermark) {
        return removeIf(waiter -> waiter.requiredOffset() <= lowWatermark);
    }

    /** Removes and returns every request whose deadline is at or before {@code nowMs}. */
    public List<T> expire(long nowMs) {
        return removeIf(waiter -> waiter.deadlineMs() <= nowMs);
    }

    /** Removes and returns every waiting request. */
    public List<T> removeAll() {
        return removeIf(waiter -> true);
    }

    private List<T> removeIf(java.util.function.Predicate<Waiter<T>> done) {
        List<T> removed = new ArrayList<>();
        Iterator<Waiter<T>> it = waiting.iterator();
        while (it.hasNext()) {
            Waiter<T> waiter = it.next();
            if (done.test(waiter)) {
                it.remove();
                removed.add(waiter.request());
            }
        }
        return removed;
    }

    /** The earliest deadline, for the verticle's timer; {@link Long#MAX_VALUE} when none wait. */
    public long nextDeadlineMs() {
        long next = Long.MAX_VALUE;
        for (Waiter<T> waiter : waiting) {
            next = Math.min(next, waiter.deadlineMs());
        }
        return next;
    }

    public int size() {
        return waiting.size();
    }

    public boolean isEmpty() {
        return waiting.isEmpty();
    }
}
