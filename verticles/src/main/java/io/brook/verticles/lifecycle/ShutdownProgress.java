package io.brook.verticles.lifecycle;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far a node's stop has got, for its shutdown line and for the line it logs when
 * {@code shutdown.timeout.ms} runs out: the step it is in, and what the partition logs did as they
 * closed (each log fsyncs what it had not flushed yet, then writes its clean-shutdown marker).
 *
 * <p>One per Vert.x instance ({@link #of}), found by the node and by every log verticle without
 * being passed down the deployment tree. Written from the log verticles' worker threads and the
 * node's stop path at once: every field is atomic, and the counters only count once
 * {@link #begin} has been called (a log closed because its topic was deleted or moved away is not
 * part of a shutdown).
 */
public final class ShutdownProgress implements Shareable {
  private static final String LOCAL_MAP = "brook.node";
  private static final String KEY = "shutdown.progress";

  private volatile long beganNs = -1;
  private volatile String step = "running";
  private final AtomicInteger logsClosed = new AtomicInteger();
  private final AtomicInteger logsFlushed = new AtomicInteger();
  private final AtomicInteger logsFailed = new AtomicInteger();
  private final AtomicLong recordsFlushed = new AtomicLong();

  /** This Vert.x instance's progress, created on first use. */
  public static ShutdownProgress of(Vertx vertx) {
    return (ShutdownProgress) vertx.sharedData().getLocalMap(LOCAL_MAP).computeIfAbsent(KEY, key -> new ShutdownProgress());
  }

  /** The node starts stopping: from now on closed logs are counted. */
  public void begin(String firstStep) {
    beganNs = System.nanoTime();
    step = firstStep;
  }

  public boolean stopping() {
    return beganNs >= 0;
  }

  /** Milliseconds since {@link #begin}; 0 before. */
  public long elapsedMs() {
    long began = beganNs;
    return began < 0 ? 0 : (System.nanoTime() - began) / 1_000_000;
  }

  /** What the node is doing now, in an operator's words ("closing the partition logs"). */
  public void step(String now) {
    step = now;
  }

  public String step() {
    return step;
  }

  /** A partition log closed cleanly; {@code unflushedRecords} were fsynced by its close. */
  public void logClosed(long unflushedRecords) {
    if (!stopping()) {
      return;
    }
    logsClosed.incrementAndGet();
    if (unflushedRecords > 0) {
      logsFlushed.incrementAndGet();
      recordsFlushed.addAndGet(unflushedRecords);
    }
  }

  /** A partition log could not be closed cleanly: its next open recovers it. */
  public void logFailedToClose() {
    if (stopping()) {
      logsFailed.incrementAndGet();
    }
  }

  /** "12 partition logs closed, 3 of them fsynced 4512 records at close", plus failures if any. */
  public String logsSummary() {
    String summary = String.format(Locale.ROOT, "%d partition log%s closed", logsClosed.get(),
        logsClosed.get() == 1 ? "" : "s");
    if (logsFlushed.get() > 0) {
      summary += String.format(Locale.ROOT, " (%d fsynced %d unflushed record%s at close)", logsFlushed.get(),
          recordsFlushed.get(), recordsFlushed.get() == 1 ? "" : "s");
    } else if (logsClosed.get() > 0) {
      summary += " (all already flushed)";
    }
    if (logsFailed.get() > 0) {
      summary += String.format(Locale.ROOT, ", %d not closed cleanly (recovered at the next start)", logsFailed.get());
    }
    return summary;
  }
}
