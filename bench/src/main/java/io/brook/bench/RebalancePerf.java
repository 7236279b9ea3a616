package io.brook.bench;

import io.brook.client.BrookClients;
import io.brook.client.BrookConsumer;
import io.brook.client.BrookProducer;
import io.brook.client.ConsumerConfigs;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code perf rebalance}: how long a consumer group takes to move partitions. {@code --members}
 * consumers share the topic while a producer writes to every partition; then {@code --trials}
 * times each:
 * <ul>
 *   <li><b>join</b>: one more member subscribes; the time until every member (the new one included)
 *       owns partitions and has received a record written after the join began;</li>
 *   <li><b>kill</b>: a member stops without leaving (a static member closed: what a crash looks like
 *       to the coordinator); the time until the partitions it owned are read again by the others,
 *       a record written after the stop received from each (the session timeout is most of it).</li>
 * </ul>
 * Prints p50/p99/max of each. Brokers' {@code group.initial.rebalance.delay.ms} applies to the first
 * join only; the README's figures are with it at 0.
 */
@Command(name = "rebalance", mixinStandardHelpOptions = true,
    description = "Consumer group rebalance times: a member joining, a member dying.")
public final class RebalancePerf implements Callable<Integer> {
  private static final long TRIAL_TIMEOUT_MS = 120_000;

  @Mixin
  PerfOptions perf;

  @Option(names = "--members", defaultValue = "3", description = "Members of the stable group (default: ${DEFAULT-VALUE}).")
  int members;

  @Option(names = "--trials", defaultValue = "20", description = "Joins and kills to measure (default: ${DEFAULT-VALUE} each).")
  int trials;

  @Option(names = "--session-timeout-ms", defaultValue = "6000",
      description = "session.timeout.ms of the members (default: ${DEFAULT-VALUE}, the broker's minimum).")
  int sessionTimeoutMs;

  /** One member: its consumer, its context, and when it last received a record of each partition. */
  private static final class Member {
    final BrookConsumer consumer;
    final Context context;
    final Map<TopicPartition, Long> lastRecordNs = new ConcurrentHashMap<>();
    final AtomicBoolean polling = new AtomicBoolean(true);
    volatile Set<TopicPartition> assignment = Set.of();

    Member(BrookConsumer consumer, Context context) {
      this.consumer = consumer;
      this.context = context;
    }
  }

  private PerfSession session;
  private String group;
  private int nextInstance;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = perf.out();
    try (PerfSession joined = perf.join()) {
      session = joined;
      int partitions = perf.ensureTopic(session);
      group = "perf-rebalance-" + System.currentTimeMillis();
      AtomicBoolean producing = new AtomicBoolean(true);
      BrookProducer producer = BrookClients.producer(session.vertx, Map.of("linger.ms", 1));
      Thread writer = new Thread(() -> produce(producer, partitions, producing), "perf-rebalance-producer");
      writer.start();
      List<Member> group = new ArrayList<>();
      for (int i = 0; i < members; i++) {
        group.add(start(false));
      }
      awaitAllConsuming(group, System.nanoTime(), partitions);
      List<Long> joins = new ArrayList<>();
      List<Long> kills = new ArrayList<>();
      for (int trial = 0; trial < trials; trial++) {
        long joinStart = System.nanoTime();
        Member newcomer = start(false);
        group.add(newcomer);
        awaitAllConsuming(group, joinStart, partitions);
        joins.add(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - joinStart));
        group.remove(newcomer);
        stop(newcomer, true);
        awaitAllConsuming(group, System.nanoTime(), partitions);

        Member victim = start(true);
        group.add(victim);
        awaitAllConsuming(group, System.nanoTime(), partitions);
        Set<TopicPartition> orphaned = victim.assignment;
        long killedAt = System.nanoTime();
        group.remove(victim);
        stop(victim, false);
        awaitRead(group, orphaned, killedAt);
        kills.add(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - killedAt));
        awaitAllConsuming(group, System.nanoTime(), partitions);
      }
      report(out, "join of a member to a stable group of " + members + ", until all consume", joins);
      report(out, "member killed (session.timeout.ms " + sessionTimeoutMs + "), until its partitions are read again",
          kills);
      producing.set(false);
      writer.join();
      group.forEach(m -> stop(m, true));
      producer.close();
    }
    return 0;
  }

  private void produce(BrookProducer producer, int partitions, AtomicBoolean producing) {
    long i = 0;
    while (producing.get()) {
      List<Future<?>> sent = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        sent.add(producer.send(new ProducerRecord<>(perf.topicName(), p, null, ("r" + i++).getBytes())));
      }
      Future.join(new ArrayList<>(sent)).await();
      session.pause(5);
    }
  }

  /** A member (static: it does not leave when closed, as a crashed process does not) polling on a context of its own. */
  private Member start(boolean isStatic) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfigs.GROUP_ID, group);
    props.put(ConsumerConfigs.AUTO_OFFSET_RESET, "latest");
    props.put(ConsumerConfigs.SESSION_TIMEOUT_MS, sessionTimeoutMs);
    props.put(ConsumerConfigs.HEARTBEAT_INTERVAL_MS, Math.max(100, sessionTimeoutMs / 6));
    if (isStatic) {
      props.put(ConsumerConfigs.GROUP_INSTANCE_ID, "perf-static-" + nextInstance++);
    }
    Context context = session.newContext();
    Member member = new Member(PerfSession.onContext(context, () -> BrookClients.consumer(session.vertx, props)),
        context);
    context.runOnContext(v -> {
      member.consumer.subscribe(List.of(perf.topicName()));
      poll(member);
    });
    return member;
  }

  private void poll(Member member) {
    if (!member.polling.get()) {
      return;
    }
    member.consumer.poll(Duration.ofMillis(50)).onComplete(polled -> {
      long now = System.nanoTime();
      if (polled.succeeded()) {
        for (ConsumerRecord<byte[], byte[]> record : polled.result()) {
          member.lastRecordNs.put(new TopicPartition(record.topic(), record.partition()), now);
        }
      }
      member.assignment = Set.copyOf(member.consumer.assignment());
      poll(member);
    });
  }

  private void stop(Member member, boolean leave) {
    member.polling.set(false);
    member.context.runOnContext(v -> member.consumer.close(Duration.ofSeconds(leave ? 10 : 0)));
  }

  /** Every member owns partitions, together all of them, and each received a record of each of its own since {@code sinceNs}. */
  private void awaitAllConsuming(List<Member> group, long sinceNs, int partitions) {
    awaitTrue(() -> {
      Set<TopicPartition> covered = new HashSet<>();
      for (Member m : group) {
        Set<TopicPartition> owned = m.assignment;
        if (owned.isEmpty()) {
          return false;
        }
        for (TopicPartition tp : owned) {
          if (m.lastRecordNs.getOrDefault(tp, 0L) < sinceNs || !covered.add(tp)) {
            return false;
          }
        }
      }
      return covered.size() == partitions;
    });
  }

  private void awaitRead(List<Member> group, Set<TopicPartition> orphaned, long sinceNs) {
    awaitTrue(() -> orphaned.stream().allMatch(tp -> group.stream()
        .anyMatch(m -> m.assignment.contains(tp) && m.lastRecordNs.getOrDefault(tp, 0L) >= sinceNs)));
  }

  private void awaitTrue(java.util.function.BooleanSupplier condition) {
    long deadline = System.currentTimeMillis() + TRIAL_TIMEOUT_MS;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("the group did not settle within " + TRIAL_TIMEOUT_MS + " ms");
      }
      session.pause(5);
    }
  }

  private static void report(PrintWriter out, String what, List<Long> micros) {
    List<Long> sorted = micros.stream().sorted().toList();
    out.printf(Locale.ROOT, "%s: %d trials, p50 %.0f ms, p99 %.0f ms, max %.0f ms%n", what, sorted.size(),
        Percentiles.of(sorted, 0.50) / 1000.0, Percentiles.of(sorted, 0.99) / 1000.0, sorted.get(sorted.size() - 1) / 1000.0);
    out.flush();
  }

}
