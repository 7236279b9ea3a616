package io.brook.cluster.election;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A monotonic clock that moves only when a test says so. */
final class ManualClock implements MonotonicClock {
  private final AtomicLong nanos = new AtomicLong(123_000_000_000L);

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  void advanceMs(long ms) {
    advance(Duration.ofMillis(ms));
  }
}
