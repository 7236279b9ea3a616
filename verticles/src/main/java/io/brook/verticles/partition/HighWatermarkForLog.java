package io.brook.verticles.partition;

import io.brook.verticles.log.LogHandle;
import io.brook.verticles.log.LogRequests;

/**
 * A partition role's high watermark on its way to the log, which keeps it for its checkpoint (written on
 * flush ticks and on close). The next write to the log carries it; a role that has nothing more to write
 * sends it alone on the next flush tick, and when it stops, before the log's next role asks the log where
 * the partition stands. Sending it every time it moved would wake the log's worker thread a second time
 * for most writes, for a checkpoint taken seconds later.
 *
 * <p>Plain Java, owned by the role's event loop.
 */
final class HighWatermarkForLog {
  private final LogHandle log;
  private boolean moved;

  HighWatermarkForLog(LogHandle log) {
    this.log = log;
  }

  /** The high watermark moved since the log last had it. */
  void moved() {
    moved = true;
  }

  /** {@code highWatermark}, for a write to the log to carry: the log has it then. */
  long carried(long highWatermark) {
    moved = false;
    return highWatermark;
  }

  /** Sends {@code highWatermark} alone if it moved since the log last had it (a flush tick, a stop). */
  void sendIfMoved(long highWatermark) {
    if (moved) {
      moved = false;
      log.tell(new LogRequests.UpdateHighWatermark(highWatermark));
    }
  }
}
