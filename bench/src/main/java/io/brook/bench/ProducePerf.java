package io.brook.bench;

import io.brook.client.BrookClients;
import io.brook.client.BrookProducer;
import io.brook.client.ProducerConfigs;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code perf produce}: sends {@code --num-records} records of {@code --record-size} random bytes as
 * fast as possible (or at {@code --throughput} records/s) from one thread, like
 * kafka-producer-perf-test. Prints a line every 5 s and, at the end:
 * <pre>N records sent, X records/sec (Y MB/sec), A ms avg latency, M ms max latency, P50 ms 50th, P99 ms 99th, P999 ms 99.9th.</pre>
 * Latency is from {@code send()} to the acknowledgement; MB is 2^20 bytes.
 */
@Command(name = "produce", mixinStandardHelpOptions = true,
    description = "Producer throughput and latency (like kafka-producer-perf-test).")
public final class ProducePerf implements Callable<Integer> {
  static final long REPORT_INTERVAL_MS = 5000;

  @Mixin
  PerfOptions perf;

  @Option(names = "--num-records", required = true, description = "Records to send.")
  long numRecords;

  @Option(names = "--record-size", defaultValue = "100", description = "Bytes per record value (default: ${DEFAULT-VALUE}).")
  int recordSize;

  @Option(names = "--throughput", defaultValue = "-1",
      description = "Records per second to send at most; -1 for no limit (default: ${DEFAULT-VALUE}).")
  long throughput;

  @Option(names = "--acks", description = "0, 1 or all (default: the producer's, all).")
  String acks;

  @Option(names = "--batch-size", description = "batch.size in bytes (default: the producer's, 16384).")
  Integer batchSize;

  @Option(names = "--linger-ms", description = "linger.ms (default: the producer's, 5).")
  Long lingerMs;

  @Option(names = "--compression-type", description = "none, gzip, snappy, lz4 or zstd (default: none).")
  String compressionType;

  @Mixin
  ClientProps.Producer producerProps;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = perf.out();
    Map<String, Object> props = producerProps();
    try (PerfSession session = perf.join()) {
      perf.ensureTopic(session);
      BrookProducer producer = BrookClients.producer(session.vertx, props);
      ProduceStats stats = run(producer, out);
      producer.close(Duration.ofSeconds(30)).await();
      return stats.failed() == 0 ? 0 : 1;
    }
  }

  private Map<String, Object> producerProps() {
    Map<String, Object> props = new HashMap<>();
    if (acks != null) {
      props.put(ProducerConfigs.ACKS, acks);
    }
    if (batchSize != null) {
      props.put(ProducerConfigs.BATCH_SIZE, batchSize);
    }
    if (lingerMs != null) {
      props.put(ProducerConfigs.LINGER_MS, lingerMs);
    }
    if (compressionType != null) {
      props.put(ProducerConfigs.COMPRESSION_TYPE, compressionType);
    }
    producerProps.putAll(props);
    return props;
  }

  private ProduceStats run(BrookProducer producer, PrintWriter out) {
    byte[] payload = randomPayload(recordSize);
    ProduceStats stats = new ProduceStats(out, REPORT_INTERVAL_MS);
    Throttler throttler = new Throttler(throughput, System.nanoTime());
    for (long i = 0; i < numRecords; i++) {
      long sendStartNs = System.nanoTime();
      producer.send(new ProducerRecord<>(perf.topicName(), payload))
          .onComplete(ar -> stats.record(sendStartNs, recordSize, ar.cause()));
      throttler.maybeThrottle(i + 1, sendStartNs);
    }
    producer.flush().await(); // every record's callback has run when the flush completes
    stats.printTotal();
    return stats;
  }

  /** Random upper-case letters, as Kafka's perf tool sends. */
  static byte[] randomPayload(int size) {
    Random random = new Random(0);
    byte[] payload = new byte[size];
    for (int i = 0; i < size; i++) {
      payload[i] = (byte) ('A' + random.nextInt(26));
    }
    return payload;
  }
}
