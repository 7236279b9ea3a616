package io.brook.bench;

import io.brook.protocol.Addresses;
import io.brook.protocol.codec.BrookCodecs;
import io.brook.protocol.message.CreateTopicRequest;
import io.brook.protocol.message.ElectLeadersRequest;
import io.brook.protocol.message.MetadataRequest;
import io.brook.protocol.message.MetadataResponse;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.TopicMetadata;
import io.vertx.core.eventbus.DeliveryOptions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code perf metadata}: starts its own three brokers (as {@code perf failover} does) and measures
 * the metadata path:
 * <ol>
 *   <li><b>commit latency</b>: {@code --topics} topics (1 partition, RF 3) created one after another
 *       by a request straight to the controller, each answered once its records are committed;</li>
 *   <li><b>leader change after a kill</b>: {@code --rounds} times, the leader of a partition (not the
 *       controller) is SIGKILLed; time until any live broker's metadata names a new leader;</li>
 *   <li><b>controller failover</b>: {@code --rounds} times, the controller is SIGKILLed; time until a
 *       topic creation sent after the kill is committed.</li>
 * </ol>
 * Prints p50/p99/max of each. The victims are restarted (and caught up) between rounds.
 */
@Command(name = "metadata", mixinStandardHelpOptions = true,
    description = "Metadata commit latency, leader change after a kill, and controller failover, on 3 brokers it starts.")
public final class MetadataPerf implements Callable<Integer> {
  private static final long ROUND_TIMEOUT_MS = 120_000;

  @Option(names = "--topics", defaultValue = "200", description = "Topics to create for the commit latency (default: ${DEFAULT-VALUE}).")
  int topics;

  @Option(names = "--rounds", defaultValue = "5", description = "Kills per failover measurement (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Mixin
  LocalClusterOptions local;

  @Spec
  CommandSpec spec;

  private PerfSession session;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (LocalBrokers cluster = local.cluster(3, "metadata-perf", out)) {
      for (int id = 1; id <= 3; id++) {
        cluster.start(id);
      }
      try (PerfSession joined = PerfSession.join(cluster.clusterConfig())) {
        session = joined;
        BrookCodecs.register(session.vertx.eventBus());
        report(out, "topic create, committed", commitLatencies());
        report(out, "leader change after a SIGKILL of the leader", leaderChanges(cluster));
        report(out, "controller failover after a SIGKILL of the controller", controllerFailovers(cluster));
      }
    }
    return 0;
  }

  private List<Long> commitLatencies() {
    int controller = controller();
    List<Long> micros = new ArrayList<>();
    for (int i = 0; i < topics; i++) {
      long start = System.nanoTime();
      request(Addresses.controller(controller), new CreateTopicRequest("meta-" + i, 1, (short) 3, Map.of()), 30_000);
      micros.add(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start));
    }
    return micros;
  }

  /** The brokers running now (their metadata answers fast: a request to a dead one would wait its timeout). */
  private final java.util.Set<Integer> live = new java.util.TreeSet<>(List.of(1, 2, 3));

  private void kill(LocalBrokers cluster, int nodeId) {
    live.remove(nodeId);
    cluster.kill(nodeId);
  }

  private void restart(LocalBrokers cluster, int nodeId) {
    cluster.start(nodeId);
    live.add(nodeId);
  }

  private List<Long> leaderChanges(LocalBrokers cluster) {
    List<Long> micros = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      int controller = controller();
      // leadership back to the preferred replicas: the broker restarted last round leads nothing otherwise
      request(Addresses.controller(controller), new ElectLeadersRequest(true, null), 30_000);
      awaitTrue(() -> topicLedElsewhere(controller) != null); // followers may still be catching up
      String topic = topicLedElsewhere(controller);
      int leader = partition(topic).leader();
      long killedAt = System.nanoTime();
      kill(cluster, leader);
      int former = leader;
      String victim = topic;
      awaitTrue(() -> {
        PartitionMetadata p = partition(victim);
        return p != null && p.leader() >= 0 && p.leader() != former;
      });
      micros.add(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - killedAt));
      restart(cluster, former);
      awaitTrue(() -> {
        PartitionMetadata p = partition(victim);
        return p != null && p.isr().size() == 3;
      });
    }
    return micros;
  }

  /** A topic whose partition is led by a broker other than {@code controller}, all three in sync; null if none. */
  private String topicLedElsewhere(int controller) {
    for (int i = 0; i < topics; i++) {
      PartitionMetadata p = partition("meta-" + i);
      if (p != null && p.leader() >= 0 && p.leader() != controller && p.isr().size() == 3) {
        return "meta-" + i;
      }
    }
    return null;
  }

  private List<Long> controllerFailovers(LocalBrokers cluster) {
    List<Long> micros = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      int controller = controller();
      long killedAt = System.nanoTime();
      kill(cluster, controller);
      String name = "after-controller-kill-" + round;
      awaitTrue(() -> live.stream().anyMatch(id -> {
        try { // straight to each live broker's controller address: committed once one of them answers
          request(Addresses.controller(id), new CreateTopicRequest(name, 1, (short) 2, Map.of()), 1_000);
          return true;
        } catch (RuntimeException notThisOne) {
          return notThisOne.getMessage() != null && notThisOne.getMessage().contains("TOPIC_ALREADY_EXISTS");
        }
      }));
      micros.add(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - killedAt));
      restart(cluster, controller);
    }
    return micros;
  }

  private int controller() {
    long deadline = System.currentTimeMillis() + ROUND_TIMEOUT_MS;
    while (true) {
      for (int id : live) {
        try {
          MetadataResponse answer = request(Addresses.metadata(id), new MetadataRequest(List.of()), 1_000);
          if (answer.controllerId() >= 0 && live.contains(answer.controllerId())) {
            return answer.controllerId();
          }
        } catch (RuntimeException noAnswerYet) {
          // a broker just died or a controller is being elected
        }
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("no controller after " + ROUND_TIMEOUT_MS + " ms");
      }
      session.pause(50);
    }
  }

  /** The partition as the first live broker that answers within a second sees it; null if none does. */
  private PartitionMetadata partition(String topic) {
    for (int id : live) {
      try {
        MetadataResponse answer = request(Addresses.metadata(id), new MetadataRequest(List.of(topic)), 1_000);
        TopicMetadata metadata = PerfSession.topicOf(answer, topic);
        if (metadata != null && metadata.error() == null && !metadata.partitions().isEmpty()) {
          return metadata.partitions().get(0);
        }
      } catch (RuntimeException notReady) {
        // starting, catching up, or just died: the next one
      }
    }
    return null;
  }

  private void awaitTrue(java.util.function.BooleanSupplier condition) {
    long deadline = System.currentTimeMillis() + ROUND_TIMEOUT_MS;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("condition not met after " + ROUND_TIMEOUT_MS + " ms");
      }
      session.pause(20);
    }
  }

  private <T> T request(String address, Object body, long timeoutMs) {
    return session.vertx.eventBus().<T>request(address, body, new DeliveryOptions().setSendTimeout(timeoutMs)).await()
        .body();
  }

  private static void report(PrintWriter out, String what, List<Long> micros) {
    List<Long> sorted = micros.stream().sorted().toList();
    out.printf(Locale.ROOT, "%s: %d samples, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", what, sorted.size(),
        Percentiles.of(sorted, 0.50) / 1000.0, Percentiles.of(sorted, 0.99) / 1000.0, sorted.get(sorted.size() - 1) / 1000.0);
    out.flush();
  }

}
