import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The end-to-end latency loop of bench/vs-kafka.sh: the same loop as Kafka 4.4's
 * org.apache.kafka.tools.EndToEndLatency (kafka-e2e-latency), which prints its percentiles in whole
 * milliseconds (p50 is 0 or 1 ms on loopback); this one prints microseconds.
 *
 * As Kafka's tool: a producer with linger.ms=0 and the given acks, a consumer assigned to partition 0
 * at its end with fetch.max.wait.ms=0; per record: nanoTime, send().get(), poll until the record is
 * back, nanoTime; then commitSync() outside the timed part. The first WARMUP records are not counted.
 *
 *   java -cp KAFKA_CLASSPATH E2eLatency BOOTSTRAP TOPIC NUM_RECORDS ACKS RECORD_SIZE [WARMUP]
 *
 * Prints one line: e2e records=N avg_us=A p50_us=B p99_us=C p999_us=D max_us=E
 */
public final class E2eLatency {
  public static void main(String[] args) throws Exception {
    if (args.length < 5) {
      System.err.println("usage: E2eLatency BOOTSTRAP TOPIC NUM_RECORDS ACKS RECORD_SIZE [WARMUP]");
      System.exit(2);
    }
    String bootstrap = args[0];
    String topic = args[1];
    int num = Integer.parseInt(args[2]);
    String acks = args[3];
    int size = Integer.parseInt(args[4]);
    int warmup = args.length > 5 ? Integer.parseInt(args[5]) : 0;

    Properties cp = new Properties();
    cp.put("bootstrap.servers", bootstrap);
    cp.put("group.id", "e2e-" + System.currentTimeMillis());
    cp.put("enable.auto.commit", "false");
    cp.put("auto.offset.reset", "latest");
    cp.put("fetch.max.wait.ms", "0");
    cp.put("key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    cp.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    Properties pp = new Properties();
    pp.put("bootstrap.servers", bootstrap);
    pp.put("linger.ms", "0");
    pp.put("max.block.ms", String.valueOf(Long.MAX_VALUE));
    pp.put("acks", acks);
    pp.put("key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
    pp.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");

    long[] latenciesNs = new long[num];
    Random random = new Random(42);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cp);
         KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pp)) {
      List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0));
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      consumer.position(partitions.get(0));
      for (int i = 0; i < warmup + num; i++) {
        byte[] value = new byte[size];
        random.nextBytes(value);
        long begin = System.nanoTime();
        producer.send(new ProducerRecord<>(topic, value)).get();
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(60_000));
        long deadline = System.currentTimeMillis() + 60_000;
        while (records.isEmpty()) {
          if (System.currentTimeMillis() > deadline) {
            throw new IllegalStateException("no record back within 60 s at record " + i);
          }
          records = consumer.poll(Duration.ofMillis(60_000));
        }
        long elapsed = System.nanoTime() - begin;
        if (records.count() != 1 || !Arrays.equals(records.iterator().next().value(), value)) {
          throw new IllegalStateException("expected the record just sent, got " + records.count() + " records");
        }
        consumer.commitSync();
        if (i >= warmup) {
          latenciesNs[i - warmup] = elapsed;
        }
      }
    }
    long sum = 0;
    for (long l : latenciesNs) {
      sum += l;
    }
    Arrays.sort(latenciesNs);
    System.out.printf("e2e records=%d avg_us=%.1f p50_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f%n", num,
        sum / (double) num / 1000.0, at(latenciesNs, 0.5), at(latenciesNs, 0.99), at(latenciesNs, 0.999),
        latenciesNs[num - 1] / 1000.0);
  }

  private static double at(long[] sorted, double quantile) {
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(sorted.length * quantile))] / 1000.0;
  }
}
