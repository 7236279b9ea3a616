package io.brook.verticles;

import static io.brook.verticles.BrokerHarness.NODE_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.protocol.Addresses;
import io.brook.protocol.message.DescribeTopicRequest;
import io.brook.protocol.message.FetchRequest;
import io.brook.protocol.message.ListOffsetsRequest;
import io.brook.protocol.message.ListOffsetsResponse;
import io.brook.protocol.message.PartitionDescription;
import io.brook.protocol.message.TopicDescription;
import io.brook.storage.MockTime;
import io.brook.verticles.log.LogRequests;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker's scheduler drives retention and flush in every log: old segments go, the log start
 * moves, and the leader's view follows; flush.ms advances the recovery point. Time is a MockTime.
 */
class BrokerRetentionTest {
  @TempDir
  Path dataDir;

  @Test
  void retentionDeletesOldSegmentsAndMovesTheLogStart() {
    MockTime time = new MockTime(System.currentTimeMillis());
    // the scheduler's own timers are far away: the test publishes the ticks itself
    try (BrokerHarness broker = new BrokerHarness(dataDir, Map.of("log.retention.check.interval.ms", 3_600_000,
        "log.flush.scheduler.interval.ms", 3_600_000), time)) {
      broker.calls.createTopic("old", 1, Map.of("segment.bytes", "1024", "retention.ms", "60000"));
      for (int i = 0; i < 40; i++) {
        broker.calls.produce("old", 0, "record-" + i + "-" + "x".repeat(100));
      }
      assertThat(describe(broker).segments()).isGreaterThan(3);

      time.sleep(120_000);
      broker.calls.produce("old", 0, "fresh"); // the active segment is never deleted
      broker.vertx.eventBus().publish(Addresses.LOCAL_RETENTION_TICK, 1L);

      await().atMost(Duration.ofSeconds(10)).until(() -> describe(broker).logStartOffset() > 0);
      PartitionDescription after = describe(broker);
      assertThat(after.logEndOffset()).isEqualTo(41);
      assertThat(after.segments()).isEqualTo(1);
      await().atMost(Duration.ofSeconds(10)).until(() -> earliest(broker) == after.logStartOffset());
      assertThat(broker.calls.errorOf(Addresses.fetch(NODE_ID), FetchRequest.consumer("old", 0, 0, 1000, 1, 0)))
          .isEqualTo(Errors.OFFSET_OUT_OF_RANGE);
    }
  }

  @Test
  void flushMsAdvancesTheRecoveryPointOnTheSchedulersTick() {
    MockTime time = new MockTime(System.currentTimeMillis());
    try (BrokerHarness broker = new BrokerHarness(dataDir, Map.of("log.flush.scheduler.interval.ms", 3_600_000), time)) {
      broker.calls.createTopic("f", 1, Map.of("flush.ms", "1000"));
      broker.calls.produce("f", 0, "a", "b", "c");
      assertThat(recoveryPoint(broker)).isZero();

      broker.vertx.eventBus().publish(Addresses.LOCAL_FLUSH_TICK, 1L);
      assertThat(recoveryPoint(broker)).as("not yet flush.ms old").isZero();

      time.sleep(5_000);
      broker.vertx.eventBus().publish(Addresses.LOCAL_FLUSH_TICK, 2L);
      await().atMost(Duration.ofSeconds(10)).until(() -> recoveryPoint(broker) == 3);
    }
  }

  private static long recoveryPoint(BrokerHarness broker) {
    LogRequests.LogOffsets offsets = broker.calls.request(Addresses.localLog("f", 0), new LogRequests.Describe());
    return offsets.recoveryPoint();
  }

  private static PartitionDescription describe(BrokerHarness broker) {
    TopicDescription description = broker.calls.request(Addresses.DESCRIBE_TOPIC, new DescribeTopicRequest("old"));
    return description.partitions().get(0);
  }

  private static long earliest(BrokerHarness broker) {
    ListOffsetsResponse response = broker.calls.request(Addresses.listOffsets(NODE_ID),
        new ListOffsetsRequest("old", 0, ListOffsetsRequest.EARLIEST));
    return response.offset();
  }
}
