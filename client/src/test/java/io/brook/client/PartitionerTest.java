package io.brook.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

/** Proves keyed records land on Kafka's murmur2 partition, explicit partitions win, unkeyed ones stick. */
class PartitionerTest extends ClientTestBase {
  /** murmur2 hashes published in Kafka's UtilsTest.testMurmur2 (and the positive-modulo rule). */
  static final Map<String, Integer> KAFKA_MURMUR2 = new LinkedHashMap<>();

  static {
    KAFKA_MURMUR2.put("21", -973932308);
    KAFKA_MURMUR2.put("foobar", -790332482);
    KAFKA_MURMUR2.put("a-little-bit-long-string", -985981536);
    KAFKA_MURMUR2.put("a-little-bit-longer-string", -1486304829);
    KAFKA_MURMUR2.put("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971);
    KAFKA_MURMUR2.put("abc", 479470107);
  }

  static int expectedPartition(String key, int partitions) {
    return (KAFKA_MURMUR2.get(key) & 0x7fffffff) % partitions;
  }

  @Test
  void keyedRecordsGoToKafkasPartition() {
    broker.createTopic("keyed", 10);
    BrookProducer producer = BrookClients.producer(vertx, props("linger.ms", 0));
    for (String key : KAFKA_MURMUR2.keySet()) {
      assertThat(BuiltInPartitioner.partitionForKey(bytes(key), 10)).isEqualTo(expectedPartition(key, 10));
      RecordMetadata sent = producer.send(record("keyed", key, "v")).await();
      assertThat(sent.partition()).as("partition of key %s", key).isEqualTo(expectedPartition(key, 10));
      assertThat(broker.partition("keyed", sent.partition()).nextOffset()).isEqualTo(sent.offset() + 1);
    }
    producer.close();
  }

  @Test
  void explicitPartitionIsHonoured() {
    broker.createTopic("explicit", 4);
    BrookProducer producer = BrookClients.producer(vertx, props("linger.ms", 0));
    RecordMetadata sent = producer.send(new ProducerRecord<>("explicit", 3, bytes("21"), bytes("v"))).await();
    assertThat(sent.partition()).isEqualTo(3);
    assertThat(sent.offset()).isZero();
    producer.close();
  }

  @Test
  void ignoreKeysSpreadsKeyedRecordsLikeUnkeyedOnes() {
    broker.createTopic("ignored", 10);
    BrookProducer producer = BrookClients.producer(vertx,
        props("partitioner.ignore.keys", true, "linger.ms", 1000, "batch.size", 100000));
    Set<Integer> used = new HashSet<>();
    var futures = new java.util.ArrayList<io.vertx.core.Future<RecordMetadata>>();
    for (String key : KAFKA_MURMUR2.keySet()) {
      futures.add(producer.send(record("ignored", key, "v")));
    }
    producer.flush().await();
    futures.forEach(f -> used.add(f.result().partition()));
    assertThat(used).hasSize(1); // one open batch: every record stuck to its partition
    producer.close();
  }

  @Test
  void unkeyedRecordsStickUntilTheBatchCloses() {
    broker.createTopic("sticky", 8);
    BrookProducer producer = BrookClients.producer(vertx, props("linger.ms", 60000, "batch.size", 400));
    var futures = new java.util.ArrayList<io.vertx.core.Future<RecordMetadata>>();
    for (int i = 0; i < 200; i++) {
      futures.add(producer.send(record("sticky", null, "value-" + i)));
    }
    producer.flush().await();
    int switches = 0;
    for (int i = 1; i < futures.size(); i++) {
      if (futures.get(i).result().partition() != futures.get(i - 1).result().partition()) {
        switches++;
      }
    }
    int batches = 0;
    for (int p = 0; p < 8; p++) {
      batches += broker.partition("sticky", p).batches().size();
    }
    // a partition change only ever happens where a batch was closed
    assertThat(switches).isPositive().isLessThanOrEqualTo(batches);
    producer.close();
  }
}
