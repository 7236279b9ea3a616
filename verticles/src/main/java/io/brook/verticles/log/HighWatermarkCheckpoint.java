package io.brook.verticles.log;

import io.brook.storage.Time;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The last high watermark a partition's role reported, kept in memory and checkpointed to
 * {@code <partition dir>/high-watermark-checkpoint} (one decimal number) on flush ticks and on close,
 * as Kafka's replication-offset-checkpoint. A leader elected after failover or a restart starts from
 * it: records below it were committed, so they stay readable even when the in-sync replicas are
 * fewer than {@code min.insync.replicas} now. Only moves up; a missing or unreadable file is 0.
 * Owned by the log verticle's thread.
 *
 * <p>A write that fails (a full disk) is retried on every flush tick, but reported once when writes
 * start failing, then at most once per {@link #REPEAT_WARNING_MS} with the count of failures since,
 * and once at INFO when a write succeeds again: a full disk must not flood the log with a line per
 * partition per tick.
 */
final class HighWatermarkCheckpoint {
  private static final System.Logger LOG = System.getLogger(HighWatermarkCheckpoint.class.getName());
  static final long REPEAT_WARNING_MS = 60_000;
  private final Path file;
  private final Time time;
  private long value;
  private long written;
  private long failingSinceMs = -1;
  private long lastWarningMs;
  private long failures;
  private long failuresSinceWarning;

  HighWatermarkCheckpoint(Path dir, Time time) {
    this.file = dir.resolve("high-watermark-checkpoint");
    this.time = time;
    this.value = read(file);
    this.written = value;
  }

  long value() {
    return value;
  }

  void update(long highWatermark) {
    value = Math.max(value, highWatermark);
  }

  /** Writes when it moved; never beyond the log end (a truncated log's tail is not committed). */
  void write(long logEndOffset) {
    long toWrite = Math.min(value, logEndOffset);
    if (toWrite == written) {
      return;
    }
    try {
      Path temp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(temp, Long.toString(toWrite), StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      written = toWrite;
      onWritten();
    } catch (IOException e) {
      onFailed(e);
    }
  }

  private void onFailed(IOException e) {
    long nowMs = time.milliseconds();
    failures++;
    if (failingSinceMs < 0) {
      failingSinceMs = nowMs;
      lastWarningMs = nowMs;
      LOG.log(System.Logger.Level.WARNING, "Cannot checkpoint the high watermark to " + file + ": " + e
          + "; retrying on every flush tick, reported again at most once a minute");
    } else if (nowMs - lastWarningMs >= REPEAT_WARNING_MS) {
      LOG.log(System.Logger.Level.WARNING, "Still cannot checkpoint the high watermark to " + file + " after "
          + failures + " attempts over " + (nowMs - failingSinceMs) / 1000 + " s (" + (failuresSinceWarning + 1)
          + " since the last report): " + e);
      lastWarningMs = nowMs;
      failuresSinceWarning = 0;
    } else {
      failuresSinceWarning++;
    }
  }

  private void onWritten() {
    if (failingSinceMs < 0) {
      return;
    }
    LOG.log(System.Logger.Level.INFO, "Checkpointed the high watermark to " + file + " again after " + failures
        + " failed attempts over " + (time.milliseconds() - failingSinceMs) / 1000 + " s");
    failingSinceMs = -1;
    failures = 0;
    failuresSinceWarning = 0;
  }

  private static long read(Path file) {
    try {
      return Files.exists(file) ? Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).trim()) : 0L;
    } catch (IOException | NumberFormatException e) {
      LOG.log(System.Logger.Level.WARNING, "Ignoring an unreadable high watermark checkpoint " + file + ": " + e);
      return 0L;
    }
  }
}
