package io.brook.storage;

/**
 * The clock the storage engine reads. Everything time-dependent in storage (segment roll by
 * {@code segment.ms}, flush by {@code flush.ms}, retention by {@code retention.ms}, delayed file
 * deletion) asks an injected {@code Time} instead of the system clock, so tests drive it with
 * {@link MockTime} and never sleep.
 *
 * <p>Implementations must be safe to call from any thread.
 */
public interface Time {

    /** Wall-clock time in milliseconds since the epoch (comparable with record timestamps). */
    long milliseconds();

    /** A monotonic clock in nanoseconds, only meaningful as a difference of two readings. */
    long nanoseconds();

    /** The real clock: {@link System#currentTimeMillis()} and {@link System#nanoTime()}. */
    Time SYSTEM = new Time() {
        @Override
        public long milliseconds() {
            return System.currentTimeMillis();
        }

        @Override
        public long nanoseconds() {
            return System.nanoTime();
        }

        @Override
        public String toString() {
            return "Time.SYSTEM";
        }
    };
}
