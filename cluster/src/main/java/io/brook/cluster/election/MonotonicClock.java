package io.brook.cluster.election;

/**
 * The monotonic clock the election measures leases, pauses and quarantines with. Injected so that
 * tests move time by hand; never the wall clock, which NTP may step.
 *
 * <p>Implementations must be safe to call from any thread ({@link ControllerElection#mayAct()} reads
 * it from whichever thread asks).
 */
@FunctionalInterface
public interface MonotonicClock {

  /** Nanoseconds from an arbitrary origin; only differences of two readings mean anything. */
  long nanoTime();

  /** {@link System#nanoTime()}: keeps counting while the JVM is frozen (SIGSTOP, a long GC), which is what pause detection needs. */
  MonotonicClock SYSTEM = System::nanoTime;
}
