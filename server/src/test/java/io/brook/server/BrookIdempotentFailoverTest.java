package io.brook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.client.BrookClients;
import io.brook.client.BrookProducer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Brook's own producer, idempotent by default, writes without pause while the partition's leader is
 * frozen (SIGSTOP) past the request timeout and then killed with SIGKILL: every acknowledged record is
 * read back exactly once, in the order sent. As in {@link KafkaIdempotentFailoverTest}, the freeze is
 * what makes duplicates likely: the followers copied batches the frozen leader never acknowledged, and
 * the producer sends them again to the new leader, which must recognise them by their sequence. The
 * same run with {@code enable.idempotence=false} only reports what it wrote twice.
 */
@Tag("integration")
class BrookIdempotentFailoverTest {
  private static final String TOPIC = "brook-idempotent";

  @TempDir
  Path root;

  /** What a run sent, what was acknowledged, what the log holds. */
  private record Run(int sent, Map<Integer, Long> acked, int failed, List<Integer> log) {
    List<Integer> writtenTwice() {
      Map<Integer, Integer> seen = new HashMap<>();
      log.forEach(v -> seen.merge(v, 1, Integer::sum));
      return seen.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).sorted().toList();
    }
  }

  @Test
  void theIdempotentProducerLosesAndDuplicatesNothingWhenTheLeaderIsKilled() throws Exception {
    Run run = writeThroughAFailover(Map.of());
    assertThat(run.acked()).as("acknowledged after the kill too").hasSizeGreaterThan(run.sent() / 2);
    assertThat(run.writtenTwice()).as("records written twice").isEmpty();
    java.util.Set<Integer> inLog = new java.util.HashSet<>(run.log());
    assertThat(run.acked().keySet()).as("every acknowledged record is in the log").allMatch(inLog::contains);
    assertThat(run.log()).as("in the order sent").isSorted();
    run.acked().forEach((value, offset) -> {
      if (!run.log().get(Math.toIntExact(offset)).equals(value)) {
        throw new AssertionError("offset " + offset + " acknowledged for " + value + " holds " + run.log().get(
            Math.toIntExact(offset)));
      }
    });
    assertThat(run.failed()).as("sends that failed (retried past the delivery timeout)").isZero();
  }

  @Test
  void withoutIdempotenceTheSameRunMayWriteTwice() throws Exception {
    // no assertion on duplicates: whether a retry lands twice depends on timing. The contrast is reported.
    Run run = writeThroughAFailover(Map.of("enable.idempotence", false));
    java.util.Set<Integer> inLog = new java.util.HashSet<>(run.log());
    assertThat(run.acked().keySet()).as("at least once: every acknowledged record is in the log")
        .allMatch(inLog::contains);
  }

  private Run writeThroughAFailover(Map<String, Object> extraProps) throws Exception {
    try (ProcessCluster cluster = new ProcessCluster(root, ProcessCluster.Mode.HAZELCAST, Map.of("kafka.port", 0))) {
      cluster.startAll(1, 2, 3);
      cluster.createTopic(TOPIC, 1, 3, Map.of("min.insync.replicas", "2"));
      cluster.awaitFullIsr(TOPIC, 0, 3);
      int leader = cluster.partition(TOPIC, 0).leader();
      Map<Integer, Long> acked = new ConcurrentHashMap<>();
      AtomicInteger failed = new AtomicInteger();
      int sent = 0;
      Map<String, Object> props = new HashMap<>(Map.of("linger.ms", 2, "request.timeout.ms", 5_000));
      props.putAll(extraProps);
      try (BrookProducer producer = BrookClients.producer(cluster.client(), props)) {
        long killAt = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        long stopAt = killAt + Duration.ofSeconds(20).toNanos();
        boolean killed = false;
        while (System.nanoTime() < stopAt) {
          int value = sent++;
          producer.send(new ProducerRecord<>(TOPIC, 0, null, Integer.toString(value).getBytes(StandardCharsets.UTF_8)))
              .onSuccess(metadata -> acked.put(value, metadata.offset()))
              .onFailure(error -> failed.incrementAndGet());
          if (!killed && System.nanoTime() >= killAt) {
            cluster.freezeThenKill(TOPIC, 0, leader);
            killed = true;
          }
          if (value % 100 == 99) {
            producer.flush().await(); // at most a hundred in flight, so the run spans the kill
          }
        }
        producer.flush().await();
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> !cluster.broker(leader).isAlive());
      int newLeader = cluster.awaitLeaderOtherThan(TOPIC, 0, leader);
      List<Integer> log = cluster.readAllIntegers(TOPIC, 0, newLeader);
      Run run = new Run(sent, acked, failed.get(), log);
      System.out.printf("brook producer failover %s: sent %d, acknowledged %d, failed %d, %d records in the log"
              + " (leader %d -> %d), written twice: %d%n", props, sent, acked.size(), failed.get(), log.size(), leader,
          newLeader, run.writtenTwice().size());
      return run;
    }
  }
}
