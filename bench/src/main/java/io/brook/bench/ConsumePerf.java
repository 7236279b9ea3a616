package io.brook.bench;

import io.brook.client.BrookClients;
import io.brook.client.BrookConsumer;
import io.brook.client.ConsumerConfigs;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code perf consume}: reads {@code --num-records} records (from every partition, or one) as fast
 * as possible, like kafka-consumer-perf-test, and prints:
 * <pre>X MB consumed, Y MB/sec, N records, R records/sec, E ms elapsed.</pre>
 * Bytes are key plus value bytes; MB is 2^20 bytes. It stops early, with a warning, when no record
 * arrives for {@code --timeout} ms. With {@code --group G --consumers N}: N consumers of group G
 * subscribe to the topic and share it (the time includes their join); the line then also says how
 * long the group took to hand out the first record.
 */
@Command(name = "consume", mixinStandardHelpOptions = true,
    description = "Consumer throughput (like kafka-consumer-perf-test).")
public final class ConsumePerf implements Callable<Integer> {
  @Mixin
  PerfOptions perf;

  @Option(names = "--num-records", required = true, description = "Records to consume.")
  long numRecords;

  @Option(names = "--partition", description = "Only this partition (default: all of the topic's).")
  Integer partition;

  @Option(names = "--from", defaultValue = "earliest",
      description = "Start at the earliest or the latest offset (default: ${DEFAULT-VALUE}).")
  From from;

  @Option(names = "--timeout", defaultValue = "10000",
      description = "Give up after this many ms without a record (default: ${DEFAULT-VALUE}).")
  long timeoutMs;

  @Option(names = "--fetch-size", description = "max.partition.fetch.bytes (default: the consumer's, 1048576).")
  Integer fetchSize;

  @Option(names = "--group", description = "Consume as members of this group (subscribe) instead of assign().")
  String group;

  @Option(names = "--consumers", defaultValue = "1", description = "Group members to run (default: ${DEFAULT-VALUE}).")
  int consumers;

  @Mixin
  ClientProps.Consumer consumerProps;

  enum From { earliest, latest }

  /** What a run consumed; guarded by itself (group members poll on contexts of their own). */
  static final class Totals {
    long records;
    long bytes;
    long lastRecordMs;
    long firstRecordMs = -1;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = perf.out();
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfigs.AUTO_OFFSET_RESET, from.name());
    if (fetchSize != null) {
      props.put(ConsumerConfigs.MAX_PARTITION_FETCH_BYTES, fetchSize);
    }
    consumerProps.putAll(props);
    try (PerfSession session = perf.join()) {
      int partitions = perf.ensureTopic(session);
      List<TopicPartition> assigned = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        if (partition == null || partition == p) {
          assigned.add(new TopicPartition(perf.topicName(), p));
        }
      }
      List<BrookConsumer> members = new ArrayList<>();
      List<Context> contexts = new ArrayList<>();
      if (group != null) {
        props.put(ConsumerConfigs.GROUP_ID, group);
      }
      for (int i = 0; i < (group == null ? 1 : consumers); i++) {
        Context context = session.newContext();
        contexts.add(context);
        members.add(PerfSession.onContext(context, () -> BrookClients.consumer(session.vertx, props)));
      }
      if (group == null) {
        BrookConsumer consumer = members.get(0);
        consumer.assign(assigned);
        (from == From.earliest ? consumer.seekToBeginning(assigned) : consumer.seekToEnd(assigned)).await();
      }
      long startMs = System.currentTimeMillis();
      Totals totals = new Totals();
      totals.lastRecordMs = startMs;
      Promise<Void> done = Promise.promise();
      for (int i = 0; i < members.size(); i++) {
        BrookConsumer consumer = members.get(i);
        contexts.get(i).runOnContext(v -> {
          if (group != null) {
            consumer.subscribe(List.of(perf.topicName()));
          }
          pollLoop(consumer, totals, done);
        });
      }
      done.future().await();
      long elapsedMs = Math.max(1, (totals.records < numRecords ? totals.lastRecordMs : System.currentTimeMillis())
          - startMs);
      if (totals.records < numRecords) {
        out.printf(Locale.ROOT, "WARNING: Exiting before consuming the expected number of records: timeout (%d ms) exceeded."
            + " You can use the --timeout option to increase the timeout.%n", timeoutMs);
      }
      double mb = totals.bytes / ProduceStats.MB;
      out.printf(Locale.ROOT, "%.2f MB consumed, %.2f MB/sec, %d records, %.1f records/sec, %d ms elapsed%s.%n",
          mb, mb * 1000.0 / elapsedMs, totals.records, totals.records * 1000.0 / elapsedMs, elapsedMs,
          group == null ? "" : String.format(Locale.ROOT, " (%d members of group %s; first record after %d ms)",
              members.size(), group, totals.firstRecordMs - startMs));
      out.flush();
      members.forEach(BrookConsumer::close);
      return 0;
    }
  }

  /**
   * Polls on the consumer's context, one poll after the other, without a thread hop per poll; a
   * poll answered at once (buffered records) loops instead of recursing.
   */
  private void pollLoop(BrookConsumer consumer, Totals totals, Promise<Void> done) {
    while (true) {
      Future<List<ConsumerRecord<byte[], byte[]>>> polled = consumer.poll(Duration.ofMillis(100));
      if (!polled.isComplete()) {
        polled.onComplete(ar -> {
          if (handle(polled, totals, done)) {
            pollLoop(consumer, totals, done);
          }
        });
        return;
      }
      if (!handle(polled, totals, done)) {
        return;
      }
    }
  }

  /** Counts a poll's records; answers whether to poll again. */
  private boolean handle(Future<List<ConsumerRecord<byte[], byte[]>>> polled, Totals totals, Promise<Void> done) {
    if (done.future().isComplete()) {
      return false; // another member counted the last record
    }
    if (polled.failed()) {
      done.tryFail(polled.cause());
      return false;
    }
    long nowMs = System.currentTimeMillis();
    synchronized (totals) {
      for (ConsumerRecord<byte[], byte[]> record : polled.result()) {
        totals.records++;
        totals.bytes += Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
      }
      if (!polled.result().isEmpty()) {
        totals.lastRecordMs = nowMs;
        if (totals.firstRecordMs < 0) {
          totals.firstRecordMs = nowMs;
        }
      }
      if (totals.records >= numRecords || nowMs - totals.lastRecordMs > timeoutMs) {
        done.tryComplete();
        return false;
      }
    }
    return true;
  }
}
