package io.brook.bench;

import io.brook.client.BrookClients;
import io.brook.client.BrookProducer;
import io.brook.client.ProducerConfigs;
import io.brook.protocol.message.PartitionMetadata;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code perf failover}: starts its own cluster of {@code --brokers} nodes as child processes
 * (through {@code run.sh}, in a private cluster), writes to an RF 3 topic with
 * {@code min.insync.replicas=2} and acks=all without pause, and {@code --rounds} times kills the
 * partition's leader with SIGKILL. Each round measures the time from the kill to the first acks=all
 * write acknowledged after it (a write sent after the kill, so the dead leader cannot have answered
 * it), then restarts the victim and waits until it is back in the ISR. Prints each round and:
 * <pre>failover over N rounds: median M ms, min A ms, max B ms.</pre>
 */
@Command(name = "failover", mixinStandardHelpOptions = true,
    description = "Failover time: SIGKILL the leader of an RF 3 partition under acks=all load, time the first ack after.")
public final class FailoverPerf implements Callable<Integer> {
  private static final String TOPIC = "failover";
  private static final long ROUND_TIMEOUT_MS = 120_000;

  @Option(names = "--rounds", defaultValue = "10", description = "Leader kills to measure (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--brokers", defaultValue = "3", description = "Brokers to start, at least 3 (default: ${DEFAULT-VALUE}).")
  int brokers;

  @Mixin
  LocalClusterOptions local;

  @Mixin
  ClientProps.Producer producerProps;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (brokers < 3) {
      throw new IllegalArgumentException("--brokers must be at least 3 (RF 3)");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (LocalBrokers cluster = local.cluster(brokers, "failover", out)) {
      for (int id = 1; id <= brokers; id++) {
        cluster.start(id);
      }
      try (PerfSession session = PerfSession.join(cluster.clusterConfig())) {
        session.ensureTopic(TOPIC, 1, (short) 3, Map.of("min.insync.replicas", "2"), out);
        Map<String, Object> props = new HashMap<>(Map.of(ProducerConfigs.ACKS, "all"));
        producerProps.putAll(props);
        BrookProducer producer = BrookClients.producer(session.vertx, props);
        List<Long> failoverMs = new ArrayList<>();
        try (Writer writer = new Writer(producer)) {
          for (int round = 1; round <= rounds; round++) {
            PartitionMetadata before = awaitPartition(session, p -> p.leader() >= 0 && p.isr().size() == 3);
            writer.awaitAcks(100);
            CompletableFuture<Long> firstAck = writer.firstAckOfASendAfter(System.nanoTime());
            long killedAt = System.nanoTime();
            cluster.kill(before.leader());
            long ackedAt = firstAck.get(ROUND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            long ms = TimeUnit.NANOSECONDS.toMillis(ackedAt - killedAt);
            PartitionMetadata after = awaitPartition(session, p -> p.leader() >= 0 && p.leader() != before.leader());
            failoverMs.add(ms);
            out.printf(Locale.ROOT, "round %d: killed leader %d, new leader %d, first acks=all write acknowledged %d ms after the kill%n",
                round, before.leader(), after.leader(), ms);
            out.flush();
            cluster.start(before.leader()); // it catches up and rejoins the ISR before the next round
          }
          out.printf(Locale.ROOT, "%d records acknowledged, %d failed sends%s.%n", writer.acks.get(), writer.failures.get(),
              writer.lastFailure == null ? "" : " (last: " + writer.lastFailure + ")");
        }
        producer.close(Duration.ofSeconds(30)).await();
        List<Long> sorted = failoverMs.stream().sorted().toList();
        out.printf(Locale.ROOT, "failover over %d rounds: median %d ms, min %d ms, max %d ms.%n", sorted.size(),
            median(sorted), sorted.get(0), sorted.get(sorted.size() - 1));
        out.flush();
      }
    }
    return 0;
  }

  private static long median(List<Long> sorted) {
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static PartitionMetadata awaitPartition(PerfSession session, Predicate<PartitionMetadata> condition) {
    long deadline = System.currentTimeMillis() + ROUND_TIMEOUT_MS;
    while (true) {
      PartitionMetadata partition = null;
      try {
        partition = PerfSession.topicOf(session.admin.metadata().await(), TOPIC).partitions().get(0);
      } catch (RuntimeException metadataUnavailable) {
        // a broker just died: ask again
      }
      if (partition != null && condition.test(partition)) {
        return partition;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("partition " + TOPIC + "-0 not as expected after " + ROUND_TIMEOUT_MS + " ms: " + partition);
      }
      session.pause(100);
    }
  }

  /** Sends acks=all records one after another from a thread of its own, until closed. */
  private static final class Writer implements AutoCloseable {
    private final BrookProducer producer;
    private final Thread thread;
    private final AtomicLong acks = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean stop;
    private volatile long measureFromNs = Long.MAX_VALUE;
    private volatile CompletableFuture<Long> firstAck = new CompletableFuture<>();
    private volatile AckTarget ackTarget;
    private volatile RuntimeException lastFailure;

    private record AckTarget(long count, CompletableFuture<Void> reached) {}

    Writer(BrookProducer producer) {
      this.producer = producer;
      this.thread = new Thread(this::run, "failover-writer");
      thread.start();
    }

    private void run() {
      byte[] value = ProducePerf.randomPayload(100);
      while (!stop) {
        long sentAt = System.nanoTime();
        try {
          producer.send(new ProducerRecord<>(TOPIC, 0, null, value)).await();
          long ackedAt = System.nanoTime();
          long acked = acks.incrementAndGet();
          AckTarget target = ackTarget;
          if (target != null && acked >= target.count()) {
            target.reached().complete(null);
          }
          if (sentAt >= measureFromNs) {
            firstAck.complete(ackedAt);
          }
        } catch (RuntimeException e) {
          failures.incrementAndGet(); // the record is not retried by this loop; the next one is sent
          lastFailure = e;
        }
      }
    }

    void awaitAcks(long count) throws Exception {
      CompletableFuture<Void> reached = new CompletableFuture<>();
      ackTarget = new AckTarget(acks.get() + count, reached);
      reached.get(ROUND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    CompletableFuture<Long> firstAckOfASendAfter(long nanos) {
      firstAck = new CompletableFuture<>();
      measureFromNs = nanos;
      return firstAck;
    }

    @Override
    public void close() throws InterruptedException {
      stop = true;
      thread.join();
    }
  }
}
