package io.brook.verticles;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.protocol.Addresses;
import io.brook.protocol.message.AlterConfigsRequest;
import io.brook.protocol.message.FetchResponse;
import io.brook.protocol.message.ProduceRequest;
import io.brook.protocol.message.ProduceResponse;
import io.brook.storage.Time;
import io.vertx.core.eventbus.ReplyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker whose disk fills up (a real 4 MiB tmpfs) answers KAFKA_STORAGE_ERROR, keeps serving
 * reads, takes appends again once space is back, and keeps every acknowledged record across a
 * restart; lowering {@code retention.bytes} on the full disk frees it without any other help.
 * Needs root to mount the tmpfs; skipped otherwise.
 */
@Tag("tmpfs")
class BrokerDiskFullTest {
  @TempDir
  Path mountPoint;
  SmallTmpfs disk;

  @BeforeEach
  void mountSmallDisk() throws Exception {
    disk = SmallTmpfs.mount(mountPoint);
  }

  @AfterEach
  void unmount() throws Exception {
    if (disk != null) {
      disk.close();
    }
  }

  @Test
  void fullDiskFailsAppendsCleanlyAndLosesNothing() throws IOException {
    Path filler = mountPoint.resolve("filler");
    Files.write(filler, new byte[1024 * 1024]);
    Path dataDir = mountPoint.resolve("data");
    List<String> acked = new ArrayList<>();
    try (BrokerHarness broker = new BrokerHarness(dataDir)) {
      broker.calls.createTopic("full", 1, Map.of("segment.index.bytes", "65536", "segment.bytes", "1048576"));
      String value = "x".repeat(1000);
      Errors failure = null;
      for (int i = 0; i < 10_000 && failure == null; i++) {
        try {
          ProduceResponse response = broker.calls.produce("full", 0, i + ":" + value);
          assertThat(response.baseOffset()).isEqualTo(acked.size());
          acked.add(i + ":" + value);
        } catch (ReplyException e) {
          failure = Errors.forCode((short) e.failureCode());
        }
      }
      assertThat(failure).isEqualTo(Errors.KAFKA_STORAGE_ERROR);
      assertThat(acked).hasSizeGreaterThan(100);
      assertThat(broker.calls.errorOf(Addresses.produce(BrokerHarness.NODE_ID),
          new ProduceRequest("full", 0, (short) 1, 5000, ProtocolCalls.batch("still full " + value))))
          .isEqualTo(Errors.KAFKA_STORAGE_ERROR);
      assertThat(broker.calls.readAll("full", 0, 0)).hasSize(acked.size()); // reads keep working

      Files.delete(filler); // space is back
      ProduceResponse after = broker.calls.produce("full", 0, "after");
      assertThat(after.baseOffset()).isEqualTo(acked.size());
      acked.add("after");

      broker.restart();
      List<String> log = broker.calls.readAll("full", 0, 0);
      assertThat(log).hasSize(acked.size());
      for (int offset = 0; offset < acked.size(); offset++) {
        assertThat(log.get(offset)).isEqualTo(offset + ":" + acked.get(offset));
      }
    }
  }

  @Test
  void loweringRetentionBytesOnAFullDiskFreesSpaceAndThePartitionRecoversByItself() throws IOException {
    // proves: retention can free a full disk (its checkpoint needs no space first), the partition takes
    // appends again by itself, every acknowledged record retention was not asked to remove stays
    // readable, and a restart keeps the log start offset where retention put it
    Path dataDir = mountPoint.resolve("data");
    String value = "x".repeat(1000);
    int batchBytes = ProtocolCalls.batch("00000:" + value).remaining();
    long retentionBytes = 1024 * 1024;
    List<String> acked = new ArrayList<>();
    try (BrokerHarness broker = new BrokerHarness(dataDir, Map.of("log.retention.check.interval.ms", 100L,
        "log.flush.scheduler.interval.ms", 100L), Time.SYSTEM)) {
      broker.calls.createTopic("full", 1, Map.of("segment.index.bytes", "65536", "segment.bytes", "262144"));
      Errors failure = null;
      for (int i = 0; i < 10_000 && failure == null; i++) {
        String record = String.format("%05d:%s", i, value);
        try {
          assertThat(broker.calls.produce("full", 0, record).baseOffset()).isEqualTo(acked.size());
          acked.add(record);
        } catch (ReplyException e) {
          failure = Errors.forCode((short) e.failureCode());
        }
      }
      assertThat(failure).isEqualTo(Errors.KAFKA_STORAGE_ERROR);
      assertThat(Files.getFileStore(mountPoint).getUsableSpace()).isLessThan(64 * 1024);

      broker.calls.request(Addresses.ALTER_CONFIGS,
          new AlterConfigsRequest("full", Map.of("retention.bytes", Long.toString(retentionBytes)), List.of()));

      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
          .until(() -> Files.getFileStore(mountPoint).getUsableSpace() > 1024 * 1024);
      String after = String.format("%05d:%s", 99_999, "after");
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
          .ignoreException(ReplyException.class)
          .untilAsserted(() -> assertThat(broker.calls.produce("full", 0, after).baseOffset()).isEqualTo(acked.size()));
      acked.add(after);

      long logStartOffset = fetchLogStartOffset(broker, acked.size() - 1);
      assertThat(logStartOffset).as("retention removed something").isPositive();
      assertThat((acked.size() - 1 - logStartOffset) * batchBytes)
          .as("retention keeps at least retention.bytes").isGreaterThanOrEqualTo(retentionBytes);
      assertReadableFrom(broker, logStartOffset, acked);

      broker.restart();
      assertThat(fetchLogStartOffset(broker, acked.size() - 1)).as("no resurrected offsets").isEqualTo(logStartOffset);
      assertReadableFrom(broker, logStartOffset, acked);
      assertThat(broker.calls.errorOf(Addresses.fetch(BrokerHarness.NODE_ID),
          io.brook.protocol.message.FetchRequest.consumer("full", 0, logStartOffset - 1, 1 << 20, 1, 0)))
          .isEqualTo(Errors.OFFSET_OUT_OF_RANGE);
    }
  }

  private static long fetchLogStartOffset(BrokerHarness broker, long offset) {
    FetchResponse response = broker.calls.fetch("full", 0, offset);
    return response.logStartOffset();
  }

  private static void assertReadableFrom(BrokerHarness broker, long logStartOffset, List<String> acked) {
    List<String> log = broker.calls.readAll("full", 0, logStartOffset);
    assertThat(log).hasSize(acked.size() - (int) logStartOffset);
    for (int i = 0; i < log.size(); i++) {
      long offset = logStartOffset + i;
      assertThat(log.get(i)).isEqualTo(offset + ":" + acked.get((int) offset));
    }
  }
}
