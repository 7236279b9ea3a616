package io.brook.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/** At most N lines per window on a manual clock; what was dropped is counted in the next line. */
class RateLimitedLogTest {
  @Test
  void boundsLinesPerWindowAndCountsTheRest() {
    AtomicLong nowMs = new AtomicLong(1_000);
    RateLimitedLog log = new RateLimitedLog(System.getLogger("rate-limited-log-test"), 2, 1000, nowMs::get);
    try (LogCapture capture = new LogCapture()) {
      assertThat(log.log(System.Logger.Level.INFO, "a")).isTrue();
      assertThat(log.log(System.Logger.Level.INFO, "b")).isTrue();
      assertThat(log.log(System.Logger.Level.INFO, "c")).isFalse();
      assertThat(log.log(System.Logger.Level.INFO, "d")).isFalse();
      nowMs.addAndGet(1000);
      assertThat(log.log(System.Logger.Level.INFO, "e")).isTrue();
      assertThat(capture.atLeast(Level.INFO).stream().filter(r -> r.getLoggerName().equals("rate-limited-log-test"))
          .map(r -> r.getMessage())).containsExactly("a", "b", "e (2 similar lines suppressed)");
    }
  }
}
