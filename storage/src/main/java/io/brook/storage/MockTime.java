package io.brook.storage;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A manual {@link Time} for tests: it only moves when told to. It lives in {@code src/main} so that
 * the other modules' tests can use it without depending on this module's test jar.
 *
 * <p>Thread-safe: the readings are atomics, so a test thread may advance the clock while another
 * thread reads it.
 */
public final class MockTime implements Time {

    private final AtomicLong currentMs;
    private final AtomicLong currentNs;

    /** A clock that starts at {@code startMs} (wall clock) and at an arbitrary monotonic value. */
    public MockTime(long startMs) {
        this.currentMs = new AtomicLong(startMs);
        this.currentNs = new AtomicLong(TimeUnit.MILLISECONDS.toNanos(startMs));
    }

    /** A clock that starts at a fixed, recognisable instant (2020-09-13T12:26:40Z). */
    public MockTime() {
        this(1_600_000_000_000L);
    }

    @Override
    public long milliseconds() {
        return currentMs.get();
    }

    @Override
    public long nanoseconds() {
        return currentNs.get();
    }

    /** Advances both clocks by {@code durationMs}; returns immediately (nothing actually sleeps). */
    public void sleep(long durationMs) {
        if (durationMs < 0) {
            throw new IllegalArgumentException("cannot move a clock backwards by sleeping: " + durationMs);
        }
        currentMs.addAndGet(durationMs);
        currentNs.addAndGet(TimeUnit.MILLISECONDS.toNanos(durationMs));
    }

    /**
     * Sets the wall clock. Moving it backwards is allowed (wall clocks do that); the monotonic
     * clock only ever moves forward, by the same amount when the wall clock advances.
     */
    public void setCurrentTimeMs(long newMs) {
        long oldMs = currentMs.getAndSet(newMs);
        if (newMs > oldMs) {
            currentNs.addAndGet(TimeUnit.MILLISECONDS.toNanos(newMs - oldMs));
        }
    }

    @Override
    public String toString() {
        return "MockTime(" + currentMs.get() + " ms)";
    }
}
