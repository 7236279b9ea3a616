package io.brook.bench;

import io.brook.client.BrookClients;
import io.brook.client.BrookConsumer;
import io.brook.client.BrookProducer;
import io.brook.client.ConsumerConfigs;
import io.brook.client.ProducerConfigs;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code perf e2e}: like Kafka's EndToEndLatency, sends one record to partition 0, polls until it
 * comes back, and repeats, so each latency is produce + replicate (per {@code --acks}) + fetch.
 * Producer and consumer share one event loop, so no thread hop is measured. Prints:
 * <pre>N records, A ms avg latency, P50 ms 50th, P99 ms 99th, P999 ms 99.9th, M ms max latency.</pre>
 */
@Command(name = "e2e", mixinStandardHelpOptions = true,
    description = "End-to-end latency: send one record, poll until it is received, repeat (like EndToEndLatency).")
public final class EndToEndPerf implements Callable<Integer> {
  private static final long MAX_LATENCY_US = TimeUnit.MINUTES.toMicros(1);

  @Mixin
  PerfOptions perf;

  @Option(names = "--num-records", required = true, description = "Round trips to measure.")
  int numRecords;

  @Option(names = "--record-size", defaultValue = "100", description = "Bytes per record value (default: ${DEFAULT-VALUE}).")
  int recordSize;

  @Option(names = "--acks", defaultValue = "1", description = "0, 1 or all (default: ${DEFAULT-VALUE}).")
  String acks;

  @Option(names = "--warmup-records", defaultValue = "0",
      description = "Round trips done first and not measured (default: ${DEFAULT-VALUE}).")
  int warmupRecords;

  @Option(names = "--timeout", defaultValue = "10000",
      description = "Fail when a record does not come back within this many ms (default: ${DEFAULT-VALUE}).")
  long timeoutMs;

  @Mixin
  ClientProps.Producer producerProps;

  @Mixin
  ClientProps.Consumer consumerProps;

  /** One run's loop state; owned by the shared context. */
  private final class Loop {
    final BrookProducer producer;
    final BrookConsumer consumer;
    final Histogram latenciesUs = new Histogram(MAX_LATENCY_US, 3);
    final Random random = new Random(0);
    final Promise<Void> done = Promise.promise();
    int sent;

    Loop(BrookProducer producer, BrookConsumer consumer) {
      this.producer = producer;
      this.consumer = consumer;
    }

    void next() {
      if (sent == warmupRecords + numRecords) {
        done.tryComplete();
        return;
      }
      byte[] value = new byte[recordSize];
      random.nextBytes(value);
      long beginNs = System.nanoTime();
      producer.send(new ProducerRecord<>(perf.topicName(), 0, null, value)).onFailure(done::tryFail);
      awaitEcho(value, beginNs);
    }

    void awaitEcho(byte[] value, long beginNs) {
      consumer.poll(Duration.ofMillis(timeoutMs)).onComplete(ar -> {
        if (ar.failed()) {
          done.tryFail(ar.cause());
          return;
        }
        List<ConsumerRecord<byte[], byte[]>> records = ar.result();
        long latencyUs = (System.nanoTime() - beginNs) / 1000;
        if (records.isEmpty()) {
          if (latencyUs / 1000 >= timeoutMs) {
            done.tryFail(new IllegalStateException("record " + sent + " did not come back within " + timeoutMs + " ms"));
          } else {
            awaitEcho(value, beginNs);
          }
          return;
        }
        if (records.size() != 1 || !Arrays.equals(records.get(0).value(), value)) {
          done.tryFail(new IllegalStateException("expected exactly the record just sent, got " + records.size()));
          return;
        }
        if (sent >= warmupRecords) {
          latenciesUs.recordValue(Math.min(MAX_LATENCY_US, latencyUs));
        }
        sent++;
        next();
      });
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = perf.out();
    try (PerfSession session = perf.join()) {
      perf.ensureTopic(session);
      TopicPartition tp = new TopicPartition(perf.topicName(), 0);
      Context context = session.newContext();
      Loop loop = PerfSession.onContext(context, () -> {
        BrookProducer producer = BrookClients.producer(session.vertx, producerProps());
        BrookConsumer consumer = BrookClients.consumer(session.vertx, consumerProps());
        consumer.assign(List.of(tp));
        return new Loop(producer, consumer);
      });
      loop.consumer.seekToEnd(List.of(tp)).await();
      context.runOnContext(v -> loop.next());
      loop.done.future().await();
      Histogram h = loop.latenciesUs;
      out.printf(Locale.ROOT, "%d records, %.3f ms avg latency, %.3f ms 50th, %.3f ms 99th, %.3f ms 99.9th, %.3f ms max latency.%n",
          h.getTotalCount(), h.getMean() / 1000.0, h.getValueAtPercentile(50) / 1000.0,
          h.getValueAtPercentile(99) / 1000.0, h.getValueAtPercentile(99.9) / 1000.0, h.getMaxValue() / 1000.0);
      out.flush();
      loop.consumer.close();
      loop.producer.close(Duration.ofSeconds(10)).await();
      return 0;
    }
  }

  private Map<String, Object> producerProps() {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfigs.ACKS, acks);
    props.put(ProducerConfigs.LINGER_MS, 0); // no batching delay: one record at a time
    producerProps.putAll(props);
    return props;
  }

  private Map<String, Object> consumerProps() {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfigs.AUTO_OFFSET_RESET, "latest");
    consumerProps.putAll(props);
    return props;
  }
}
