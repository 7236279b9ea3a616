package io.brook.verticles;

import static io.brook.verticles.BrokerHarness.NODE_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.protocol.Addresses;
import io.brook.protocol.message.FetchResponse;
import io.brook.protocol.message.ProduceRequest;
import io.brook.storage.Time;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker's log scheduler drives compaction: a compacted topic's log is cleaned on a worker by its
 * own log verticle (lent the broker's offset map), consumers then read the latest value per key at
 * its original offset, and a keyless record is refused at produce time.
 */
class BrokerCompactionTest {
  @TempDir
  Path dataDir;

  @Test
  void theSchedulerCompactsACompactedTopicAndConsumersReadTheLatestValuePerKey() {
    // the cleaner's own timer runs (every 50 ms); the logs' clock only stamps the records
    Map<String, Object> cleanerEvery50Ms = Map.of("log.cleaner.backoff.ms", 50, "log.cleaner.dedupe.buffer.size", 1 << 20);
    try (BrokerHarness broker = new BrokerHarness(dataDir, cleanerEvery50Ms, Time.SYSTEM)) {
      broker.calls.createTopic("table", 1, Map.of("cleanup.policy", "compact", "segment.bytes", "1024",
          "min.cleanable.dirty.ratio", "0.1"));
      for (int i = 0; i < 60; i++) {
        produce(broker, "k" + (i % 5), "value-" + i + "-" + "x".repeat(40));
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> readAll(broker).size() < 30);
      List<String> records = readAll(broker);
      for (int key = 0; key < 5; key++) {
        assertThat(records).contains((55 + key) + ":k" + key + "=value-" + (55 + key) + "-" + "x".repeat(40));
      }
      assertThat(records.stream().map(r -> r.substring(r.indexOf(':') + 1, r.indexOf('='))).distinct().count())
          .isEqualTo(5);
      assertThat(broker.calls.errorOf(Addresses.produce(NODE_ID), new ProduceRequest("table", 0, (short) 1, 30_000,
          MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(1L, null, "v".getBytes())).buffer())))
          .isEqualTo(Errors.INVALID_RECORD);
    }
  }

  private static void produce(BrokerHarness broker, String key, String value) {
    broker.calls.request(Addresses.produce(NODE_ID), new ProduceRequest("table", 0, (short) 1, 30_000,
        MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(System.currentTimeMillis(),
            key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8))).buffer()));
  }

  /** Every record up to the high watermark as "offset:key=value", following batches by their next offset. */
  private static List<String> readAll(BrokerHarness broker) {
    List<String> all = new ArrayList<>();
    long next = 0;
    while (true) {
      FetchResponse response = broker.calls.fetch("table", 0, next);
      long before = next;
      for (RecordBatch batch : response.memoryRecords().batches()) {
        for (Record record : batch) {
          if (record.offset() >= next) {
            all.add(record.offset() + ":" + StandardCharsets.UTF_8.decode(record.key()) + "="
                + StandardCharsets.UTF_8.decode(record.value()));
          }
        }
        next = batch.nextOffset();
      }
      if (next == before || next >= response.highWatermark()) {
        return all;
      }
    }
  }
}
