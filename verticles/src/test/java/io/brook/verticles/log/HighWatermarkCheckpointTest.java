package io.brook.verticles.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.storage.MockTime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint that cannot be written (here its temporary file's name is taken by a directory, as
 * good as a full disk and portable) is retried on every tick, but logged once when the failures
 * start, at most once a minute while they go on, and once at INFO when a write succeeds again.
 */
class HighWatermarkCheckpointTest {
  @TempDir
  Path dir;
  final MockTime time = new MockTime(1_000_000);
  final List<LogRecord> lines = new CopyOnWriteArrayList<>();
  final Logger logger = Logger.getLogger(HighWatermarkCheckpoint.class.getName());
  final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      lines.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void captureLog() {
    capture.setLevel(Level.ALL);
    logger.addHandler(capture);
  }

  @AfterEach
  void stopCapture() {
    logger.removeHandler(capture);
  }

  @Test
  void failingWritesAreReportedOnceThenOnceAMinuteAndTheRecoveryOnce() throws IOException {
    HighWatermarkCheckpoint checkpoint = new HighWatermarkCheckpoint(dir, time);
    checkpoint.update(5);
    checkpoint.write(10);
    assertThat(Files.readString(dir.resolve("high-watermark-checkpoint"))).isEqualTo("5");
    assertThat(lines).isEmpty();

    Path blocker = Files.createDirectory(dir.resolve("high-watermark-checkpoint.tmp"));
    checkpoint.update(7);
    for (int tick = 0; tick < 200; tick++) { // 200 flush ticks of 100 ms: 20 s
      checkpoint.write(10);
      time.sleep(100);
    }
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).getLevel()).isEqualTo(Level.WARNING);
    assertThat(lines.get(0).getMessage()).startsWith("Cannot checkpoint the high watermark");

    for (int tick = 0; tick <= 1000; tick++) { // up to 120 s after the first: two reports, with their counts
      checkpoint.write(10);
      time.sleep(100);
    }
    assertThat(lines).hasSize(3);
    assertThat(lines.subList(1, 3)).allSatisfy(r -> {
      assertThat(r.getLevel()).isEqualTo(Level.WARNING);
      assertThat(r.getMessage()).startsWith("Still cannot checkpoint").contains("(600 since the last report)");
    });
    assertThat(Files.readString(dir.resolve("high-watermark-checkpoint"))).isEqualTo("5");

    Files.delete(blocker);
    checkpoint.write(10);
    checkpoint.write(10);
    assertThat(Files.readString(dir.resolve("high-watermark-checkpoint"))).isEqualTo("7");
    assertThat(lines).hasSize(4);
    assertThat(lines.get(3).getLevel()).isEqualTo(Level.INFO);
    assertThat(lines.get(3).getMessage()).contains("again after 1201 failed attempts");

    Files.createDirectory(blocker); // a new run of failures is reported afresh
    checkpoint.update(8);
    checkpoint.write(10);
    checkpoint.write(10);
    assertThat(lines).hasSize(5);
    assertThat(lines.get(4).getMessage()).startsWith("Cannot checkpoint the high watermark");
  }
}
