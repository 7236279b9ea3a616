package io.brook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka's producer with its defaults (idempotent, acks=all, retries) writes without pause while the
 * partition's leader is frozen (SIGSTOP) past every timeout and then killed with SIGKILL: every
 * acknowledged record is read back exactly once, the log holds no record twice, and the records are in
 * the order they were sent. The freeze is what makes duplicates likely without idempotence: the
 * followers copied batches that the frozen leader never acknowledged, and the producer sends them again
 * to the new leader, which must recognise them.
 */
@Tag("integration")
class KafkaIdempotentFailoverTest {
  private static final String TOPIC = "idempotent";

  @TempDir
  Path root;

  @Test
  void anIdempotentProducerLosesAndDuplicatesNothingWhenTheLeaderIsKilled() throws Exception {
    try (ProcessCluster cluster = new ProcessCluster(root, ProcessCluster.Mode.HAZELCAST, Map.of("kafka.port", 0))) {
      cluster.startAll(1, 2, 3);
      cluster.createTopic(TOPIC, 1, 3, Map.of("min.insync.replicas", "2"));
      cluster.awaitFullIsr(TOPIC, 0, 3);
      int leader = cluster.partition(TOPIC, 0).leader();
      int other = leader == 1 ? 2 : 1;
      Map<Integer, Long> ackedAt = new ConcurrentHashMap<>();
      AtomicInteger failed = new AtomicInteger();
      int sent = 0;
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + cluster.kafkaPort(other),
          ProducerConfig.LINGER_MS_CONFIG, 2,
          ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
        long killAt = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        long stopAt = killAt + Duration.ofSeconds(25).toNanos();
        boolean killed = false;
        while (System.nanoTime() < stopAt) {
          int value = sent++;
          producer.send(new ProducerRecord<>(TOPIC, 0, null, Integer.toString(value)), (metadata, error) -> {
            if (error == null) {
              ackedAt.put(value, metadata.offset());
            } else {
              failed.incrementAndGet();
            }
          });
          if (!killed && System.nanoTime() >= killAt) {
            cluster.freezeThenKill(TOPIC, 0, leader);
            killed = true;
          }
          if (value % 100 == 99) {
            producer.flush(); // at most a hundred in flight, so the run spans the kill
          }
        }
        producer.flush();
      }
      assertThat(ackedAt).as("acknowledged after the kill too").hasSizeGreaterThan(sent / 2);
      await().atMost(Duration.ofSeconds(60)).until(() -> !cluster.broker(leader).isAlive());
      assertThat(cluster.partition(TOPIC, 0).leader()).isNotEqualTo(leader);

      List<Integer> log = cluster.readAllIntegers(TOPIC, 0, other);
      System.out.printf("idempotent failover: sent %d, acknowledged %d, failed %d, %d records in the log%n", sent,
          ackedAt.size(), failed.get(), log.size());
      Map<Integer, Integer> seen = new HashMap<>();
      log.forEach(v -> seen.merge(v, 1, Integer::sum));
      assertThat(seen.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
          .as("records written twice").isEmpty();
      assertThat(ackedAt.keySet()).as("every acknowledged record is in the log").allMatch(seen::containsKey);
      // the log was read from offset 0 and has no gaps: an acknowledged record sits at the offset it was acknowledged
      // at (a look-up per record; log.indexOf per record was quadratic, minutes for the million records written now)
      ackedAt.forEach((value, offset) -> assertThat(offset < log.size() ? log.get(offset.intValue()) : null)
          .as("the record at acknowledged offset %d", offset).isEqualTo(value));
      assertThat(log).as("in the order sent").isSorted();
      assertThat(failed.get()).as("sends that failed (retried past the delivery timeout)").isZero();
    }
  }
}
