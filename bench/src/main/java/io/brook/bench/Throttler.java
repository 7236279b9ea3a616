package io.brook.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * Holds a sender to a target rate, as Kafka's ThroughputThrottler: after each send it checks the
 * average rate so far and parks the thread just long enough to bring it back to the target.
 * A negative target means unlimited. Used by one thread.
 */
final class Throttler {
  private static final long NS_PER_S = 1_000_000_000L;
  private static final long MIN_SLEEP_NS = 2_000_000L;

  private final long targetPerSec;
  private final long startNs;
  private final long sleepTimeNs;
  private long sleepDeficitNs;

  Throttler(long targetPerSec, long startNs) {
    this.targetPerSec = targetPerSec;
    this.startNs = startNs;
    this.sleepTimeNs = targetPerSec > 0 ? NS_PER_S / targetPerSec : 0;
  }

  /** Parks if {@code sentSoFar} is ahead of the target rate at {@code nowNs}. */
  void maybeThrottle(long sentSoFar, long nowNs) {
    if (targetPerSec < 0) {
      return;
    }
    double elapsedS = (nowNs - startNs) / (double) NS_PER_S;
    if (elapsedS <= 0 || sentSoFar / elapsedS <= targetPerSec) {
      return;
    }
    sleepDeficitNs += sleepTimeNs;
    if (sleepDeficitNs >= MIN_SLEEP_NS) {
      long sleepStartNs = System.nanoTime();
      long remainingNs = sleepDeficitNs;
      while (remainingNs > 0) {
        LockSupport.parkNanos(remainingNs);
        remainingNs = sleepDeficitNs - (System.nanoTime() - sleepStartNs);
      }
      sleepDeficitNs = 0;
    }
  }
}
