package io.brook.replication;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * acks=all produce requests appended by the leader and waiting for the high watermark to pass
 * their last offset. Each waiter completes exactly once: when the high watermark passes it
 * ({@link #completeBelow}), when its deadline passes ({@link #expire}), or when leadership is lost
 * ({@link #removeAll}). The caller replies; this class only decides who is done.
 *
 * <p>Invariants: waiters are held in append order, so their last offsets never decrease and
 * completion takes a prefix; at most {@code capacity} wait (a limit, like {@code queued.max.requests}).
 *
 * <p>Not thread-safe: owned by the partition leader's verticle.
 *
 * @param <T> what the caller needs to reply (the request message)
 */
public final class AcksAllWaiters<T> {

    private record Waiter<T>(long lastOffset, long deadlineMs, T request) {}

    private final ArrayDeque<Waiter<T>> waiting = new ArrayDeque<>();
    private final int capacity;

    public AcksAllWaiters(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Adds a request whose records end at {@code lastOffset}, to be answered by {@code deadlineMs}. Appends
     * come in offset order; an idempotent producer's batch sent again ends where it was first written, below
     * later appends, and is put in its place.
     *
     * @return false when {@code capacity} requests wait already (the caller fails this one)
     */
    public boolean add(long lastOffset, long deadlineMs, T request) {
        if (waiting.size() >= capacity) {
            return false;
        }
        Waiter<T> waiter = new Waiter<>(lastOffset, deadlineMs, request);
        if (waiting.isEmpty() || waiting.peekLast().lastOffset() <= lastOffset) {
            waiting.addLast(waiter);
            return true;
        }
        ArrayDeque<Waiter<T>> later = new ArrayDeque<>();
        while (!waiting.isEmpty() && waiting.peekLast().lastOffset() > lastOffset) {
            later.addFirst(waiting.pollLast());
        }
        waiting.addLast(waiter);
        waiting.addAll(later);
        return true;
    }

    /** Removes and returns, in append order, every request whose last offset is below {@code highWatermark}. */
    public List<T> completeBelow(long highWatermark) {
        List<T> done = new ArrayList<>();
        while (!waiting.isEmpty() && waiting.peekFirst().lastOffset() < highWatermark) {
            done.add(waiting.pollFirst().request());
        }
        return done;
    }

    /** Removes and returns every request whose deadline is at or before {@code nowMs} (REQUEST_TIMED_OUT). */
    public List<T> expire(long nowMs) {
        List<T> expired = new ArrayList<>();
        Iterator<Waiter<T>> it = waiting.iterator();
        while (it.hasNext()) {
            Waiter<T> waiter = it.next();
            if (waiter.deadlineMs() <= nowMs) {
                it.remove();
                expired.add(waiter.request());
            }
        }
        return expired;
    }

    /** Removes and returns every waiting request (leadership lost: NOT_LEADER_OR_FOLLOWER). */
    public List<T> removeAll() {
        List<T> all = new ArrayList<>(waiting.size());
        waiting.forEach(waiter -> all.add(waiter.request()));
        waiting.clear();
        return all;
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
