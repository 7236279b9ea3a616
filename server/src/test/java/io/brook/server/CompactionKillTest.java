package io.brook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.protocol.Addresses;
import io.brook.protocol.message.FetchRequest;
import io.brook.protocol.message.FetchResponse;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.ProduceRequest;
import io.brook.protocol.message.ProduceResponse;
import io.brook.server.ProcessCluster.Mode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker process killed with SIGKILL while its cleaner compacts a log (the kill is sent the moment
 * the cleaner's {@code .cleaned} or {@code .swap} files are seen in the partition directory) comes
 * back with the newest acknowledged value of every key, no offset twice and no record twice; then it
 * compacts again. The storage tests cover every crash point of the swap one by one; this is the
 * same with a real process, a real kill and the broker's own recovery.
 */
@Tag("integration")
class CompactionKillTest {
  private static final String TOPIC = "compacted";
  private static final int KEYS = 40;
  private static final int ROUNDS = 4;
  private static final String PADDING = "x".repeat(200);

  @TempDir
  Path root;

  /** The newest version acknowledged per key, and how many records were acknowledged in all. */
  private final Map<String, Integer> ackedVersion = new ConcurrentHashMap<>();
  private final AtomicInteger ackedRecords = new AtomicInteger();
  private int nextVersion;

  @Test
  void aBrokerKilledWhileItCompactsLosesNoAcknowledgedValueAndDuplicatesNothing() throws Exception {
    try (ProcessCluster cluster = new ProcessCluster(root, Mode.HAZELCAST, Map.of("log.cleaner.backoff.ms", 20))) {
      cluster.start(1);
      cluster.createTopic(TOPIC, 1, 1, Map.of("cleanup.policy", "compact", "segment.bytes", "16384",
          "min.cleanable.dirty.ratio", "0.01"));
      Path partitionDir = root.resolve("node-1").resolve(TOPIC + "-0");
      writeStableKeys(cluster); // written once, never overwritten: they stay in the first, long-compacted segment
      int killedWhileCleaning = 0;
      int cleansRecovered = 0;
      for (int round = 0; round < ROUNDS; round++) {
        cluster.awaitFullIsr(TOPIC, 0, 1);
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> write(cluster, stop), "compaction-writer");
        int before = ackedRecords.get();
        writer.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> ackedRecords.get() >= before + 1_500);
        boolean cleaning = awaitCleanerFiles(partitionDir, Duration.ofSeconds(20));
        cluster.broker(1).kill();
        stop.set(true);
        writer.join();
        if (cleaning) {
          killedWhileCleaning++;
        }
        String restart = cluster.start(1).runOutput();
        if (restart.contains("the output of an interrupted clean") || restart.contains("completed the swap")) {
          cleansRecovered++;
        }
        cluster.awaitFullIsr(TOPIC, 0, 1);
        assertNothingLostOrDuplicated(readAll(cluster), "after kill " + (round + 1));
      }
      assertThat(killedWhileCleaning).as("kills sent while the cleaner's files were there").isPositive();
      assertThat(cleansRecovered).as("restarts that found a clean the kill interrupted, and undid or completed it")
          .isPositive();
      int written = nextVersion;
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(readAll(cluster).size())
          .as("the log is compacted again after the last restart").isLessThan(written / 2));
      assertNothingLostOrDuplicated(readAll(cluster), "after the last compaction");
    }
  }

  private void writeStableKeys(ProcessCluster cluster) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      keys.add("stable-" + i);
    }
    produce(cluster, keys);
  }

  /** Batches of ten keyed records, acks=all, each key's versions rising; stops at the first failure (the kill). */
  private void write(ProcessCluster cluster, AtomicBoolean stop) {
    while (!stop.get()) {
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        keys.add("k" + ((nextVersion + i) % KEYS));
      }
      try {
        produce(cluster, keys);
      } catch (RuntimeException brokerGone) {
        return;
      }
    }
  }

  /** One record per key, each with the next version, as one acks=all batch; counted once acknowledged. */
  private void produce(ProcessCluster cluster, List<String> keys) {
    SimpleRecord[] records = new SimpleRecord[keys.size()];
    Map<String, Integer> versions = new HashMap<>();
    for (int i = 0; i < records.length; i++) {
      int version = nextVersion++;
      versions.put(keys.get(i), version);
      records[i] = new SimpleRecord(System.currentTimeMillis(), keys.get(i).getBytes(StandardCharsets.UTF_8),
          (keys.get(i) + ":" + version + ":" + PADDING).getBytes(StandardCharsets.UTF_8));
    }
    ProduceResponse answer = cluster.request(Addresses.produce(1), new ProduceRequest(TOPIC, 0, ProduceRequest.ACKS_ALL,
        5_000, MemoryRecords.withRecords(Compression.NONE, records).buffer()), 6_000);
    assertThat(answer.baseOffset()).isNotNegative();
    versions.forEach((key, version) -> ackedVersion.merge(key, version, Math::max));
    ackedRecords.addAndGet(records.length);
  }

  /** Whether the cleaner's output files appeared in the partition directory before {@code atMost}. */
  private static boolean awaitCleanerFiles(Path dir, Duration atMost) throws Exception {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (System.nanoTime() < deadline) {
      try (Stream<Path> files = Files.list(dir)) {
        if (files.map(f -> f.getFileName().toString()).anyMatch(n -> n.endsWith(".cleaned") || n.endsWith(".swap"))) {
          return true;
        }
      } catch (java.nio.file.NoSuchFileException | java.io.UncheckedIOException renamedMeanwhile) {
        // the cleaner renamed a file while it was listed: look again
      }
      Thread.onSpinWait();
    }
    return false;
  }

  private record Entry(long offset, String key, String keyInValue, int version) {}

  private static List<Entry> readAll(ProcessCluster cluster) {
    List<Entry> log = new ArrayList<>();
    long next = 0;
    while (true) {
      PartitionMetadata where = cluster.partition(TOPIC, 0);
      long from = next;
      FetchResponse answer = cluster.request(Addresses.fetch(where.leader()), new FetchRequest(TOPIC, 0, from, 1 << 20, 1, 0,
          FetchRequest.CONSUMER_REPLICA_ID, where.leaderEpoch()), 10_000);
      long last = -1;
      for (RecordBatch batch : answer.memoryRecords().batches()) {
        for (Record record : batch) {
          if (record.offset() >= from) {
            String[] value = StandardCharsets.UTF_8.decode(record.value()).toString().split(":");
            log.add(new Entry(record.offset(), StandardCharsets.UTF_8.decode(record.key()).toString(), value[0],
                Integer.parseInt(value[1])));
          }
        }
        last = Math.max(last, batch.lastOffset());
      }
      if (last < from) {
        return log;
      }
      next = last + 1;
    }
  }

  private void assertNothingLostOrDuplicated(List<Entry> log, String when) {
    Map<String, Integer> newest = new HashMap<>();
    Set<Integer> versions = new HashSet<>();
    long previous = -1;
    for (Entry entry : log) {
      assertThat(entry.offset()).as("%s: offsets rise, none twice", when).isGreaterThan(previous);
      previous = entry.offset();
      assertThat(versions.add(entry.version())).as("%s: version %d once", when, entry.version()).isTrue();
      assertThat(entry.key()).as("%s: the key written with version %d", when, entry.version())
          .isEqualTo(entry.keyInValue());
      newest.put(entry.key(), entry.version());
    }
    ackedVersion.forEach((key, version) -> assertThat(newest.get(key))
        .as("%s: key %s's newest value is at least its newest acknowledged one", when, key).isNotNull()
        .isGreaterThanOrEqualTo(version));
  }
}
