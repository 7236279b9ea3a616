package io.brook.verticles.log;

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
 */
final class HighWatermarkCheckpoint {
  private static final System.Logger LOG = System.getLogger(HighWatermarkCheckpoint.class.getName());
  private final Path file;
  private long value;
  private long written;

  HighWatermarkCheckpoint(Path dir) {
    this.file = dir.resolve("high-watermark-checkpoint");
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
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "Cannot checkpoint the high watermark to " + file + ": " + e);
    }
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
