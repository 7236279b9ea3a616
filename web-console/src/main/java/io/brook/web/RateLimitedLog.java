package io.brook.web;

import java.util.function.LongSupplier;

/**
 * One line per event, at most {@code linesPerWindow} lines per {@code windowMs}: what a listener logs
 * about a client's bad input, so a flood of garbage cannot flood the log. Lines dropped in a window
 * are counted and reported by the next line written. Never logs a stack trace: bad input is the
 * client's fault, not a bug. Owned by one event loop (not thread-safe).
 */
public final class RateLimitedLog {
  private final System.Logger log;
  private final int linesPerWindow;
  private final long windowMs;
  private final LongSupplier clockMs;
  private long windowStartMs;
  private int linesInWindow;
  private long suppressed;

  public RateLimitedLog(System.Logger log, int linesPerWindow, long windowMs, LongSupplier clockMs) {
    this.log = log;
    this.linesPerWindow = linesPerWindow;
    this.windowMs = windowMs;
    this.clockMs = clockMs;
    this.windowStartMs = clockMs.getAsLong();
  }

  /** Ten lines a second on the wall clock. */
  public static RateLimitedLog of(Class<?> owner) {
    return new RateLimitedLog(System.getLogger(owner.getName()), 10, 1000, System::currentTimeMillis);
  }

  /** Logs {@code line} at {@code level} unless this window's lines are spent; answers whether it did. */
  public boolean log(System.Logger.Level level, String line) {
    long nowMs = clockMs.getAsLong();
    if (nowMs - windowStartMs >= windowMs || nowMs < windowStartMs) {
      windowStartMs = nowMs;
      linesInWindow = 0;
    }
    if (linesInWindow >= linesPerWindow) {
      suppressed++;
      return false;
    }
    linesInWindow++;
    if (suppressed > 0) {
      line = line + " (" + suppressed + " similar lines suppressed)";
      suppressed = 0;
    }
    log.log(level, line);
    return true;
  }
}
