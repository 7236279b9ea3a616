package io.brook.verticles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.storage.Time;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader tells its log the high watermark with the next append, so the last one of a burst reaches
 * the checkpoint another way: on the next flush tick, or when the leader stops.
 */
class BrokerHighWatermarkCheckpointTest {
  @TempDir
  Path dataDir;

  @Test
  void anIdlePartitionsHighWatermarkIsCheckpointedOnTheNextFlushTick() {
    try (BrokerHarness broker = new BrokerHarness(dataDir, Map.of("log.flush.scheduler.interval.ms", 50L), Time.SYSTEM)) {
      broker.calls.createTopic("idle", 1, Map.of());
      broker.calls.produce("idle", 0, "a", "b", "c");

      // the append carried the high watermark from before it (0): only the tick brings 3
      await().atMost(Duration.ofSeconds(10)).until(() -> checkpoint("idle") == 3);
    }
  }

  @Test
  void aStoppingLeaderHandsItsHighWatermarkToTheLogBeforeItCloses() throws IOException {
    try (BrokerHarness broker = new BrokerHarness(dataDir, Map.of("log.flush.scheduler.interval.ms", 3_600_000L),
        Time.SYSTEM)) {
      broker.calls.createTopic("stopping", 1, Map.of());
      broker.calls.produce("stopping", 0, "a", "b");

      broker.stop(); // no flush tick in an hour: the clean shutdown's checkpoint is the only one

      assertThat(checkpoint("stopping")).isEqualTo(2);
    }
  }

  private long checkpoint(String topic) throws IOException {
    Path file = dataDir.resolve(topic + "-0").resolve("high-watermark-checkpoint");
    return Files.exists(file) ? Long.parseLong(Files.readString(file).trim()) : -1;
  }
}
