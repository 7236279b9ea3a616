package io.brook.replication.sim;

import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The simulated world's clock, event queue and randomness. Everything happens in events ordered by
 * (time, sequence number), all randomness comes from one seeded generator, and nothing depends on
 * the host's clock or hash order: one seed, one history.
 *
 * <p>Single-threaded.
 */
final class SimWorld {

    private record Event(long timeMs, long seq, Runnable action) {}

    private static final int TRACE_LINES = 400;

    final SplittableRandom random;
    private final PriorityQueue<Event> events = new PriorityQueue<>((a, b) ->
        a.timeMs != b.timeMs ? Long.compare(a.timeMs, b.timeMs) : Long.compare(a.seq, b.seq));
    private final ArrayDeque<String> trace;
    private long nowMs;
    private long nextSeq;
    private long eventCount;

    SimWorld(long seed, boolean tracing) {
        this.random = new SplittableRandom(seed);
        this.trace = tracing ? new ArrayDeque<>() : null;
    }

    long nowMs() {
        return nowMs;
    }

    void at(long timeMs, Runnable action) {
        events.add(new Event(Math.max(timeMs, nowMs), nextSeq++, action));
    }

    void after(long delayMs, Runnable action) {
        at(nowMs + delayMs, action);
    }

    /** Runs events up to {@code endMs}, calling {@code afterEach} after every one (the invariant checks). */
    void runUntil(long endMs, Runnable afterEach) {
        while (!events.isEmpty() && events.peek().timeMs <= endMs) {
            Event event = events.poll();
            nowMs = event.timeMs;
            eventCount++;
            event.action.run();
            afterEach.run();
        }
        nowMs = Math.max(nowMs, endMs);
    }

    long eventCount() {
        return eventCount;
    }

    /** A uniform long in [min, max]. */
    long between(long min, long max) {
        return min + random.nextLong(max - min + 1);
    }

    boolean chance(double probability) {
        return probability > 0 && random.nextDouble() < probability;
    }

    boolean tracing() {
        return trace != null;
    }

    void trace(Supplier<String> line) {
        if (trace == null) {
            return;
        }
        if (trace.size() == TRACE_LINES) {
            trace.pollFirst();
        }
        trace.addLast(String.format("%7d ", nowMs) + line.get());
    }

    String traceDump() {
        return trace == null ? "(run with tracing for the event trail)" : String.join("\n", trace);
    }
}
