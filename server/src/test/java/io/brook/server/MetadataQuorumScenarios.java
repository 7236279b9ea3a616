package io.brook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.message.ClusterDescription;
import io.brook.protocol.message.CreateTopicRequest;
import io.brook.protocol.message.DescribeClusterRequest;
import io.brook.protocol.message.MetadataRequest;
import io.brook.protocol.message.MetadataResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metadata quorum's guarantees with brokers as separate processes, run once per cluster manager:
 * metadata never goes back in time, whatever order brokers crash, freeze and come back in, so no
 * acknowledged acks=all record is lost and no broker needs a manual restart to rejoin.
 */
public abstract class MetadataQuorumScenarios {
  private static final Map<String, String> TOPIC = Map.of("min.insync.replicas", "2");
  private static final List<Integer> BROKERS = List.of(1, 2, 3);
  @TempDir
  Path root;

  abstract ProcessCluster.Mode mode();

  private ProcessCluster startCluster() throws Exception {
    return ProcessCluster.started(root, mode(), 3);
  }

  @Test
  void theStalestBrokerStartedFirstLosesNothingAndEveryBrokerRejoinsByItself() throws Exception {
    try (ProcessCluster cluster = startCluster()) {
      cluster.createTopic("walk", 1, 3, TOPIC);
      cluster.awaitFullIsr("walk", 0, 3);
      Map<Long, AckedWriter.Ack> acked;
      int stale;
      try (AckedWriter writer = new AckedWriter(cluster, "walk", 0)) {
        acked = writer.acked();
        await().atMost(Duration.ofSeconds(60)).until(() -> writer.ackCount() >= 200);
        stale = controllerOf(cluster) == 1 ? 2 : 1;
        cluster.broker(stale).kill();
        int before = writer.ackCount();
        await().atMost(Duration.ofSeconds(60)).until(() -> writer.ackCount() >= before + 300); // written without it
      }
      BROKERS.stream().filter(id -> id != stale).forEach(id -> cluster.broker(id).stop());
      cluster.launch(stale); // alone with a stale log: it must neither lead nor answer from that log
      await().pollDelay(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(errorOf(() -> cluster.request(Addresses.metadata(stale), new MetadataRequest(List.of("walk")), 3_000)))
              .isEqualTo(Errors.LEADER_NOT_AVAILABLE));
      BROKERS.stream().filter(id -> id != stale).forEach(cluster::launch);
      BROKERS.forEach(id -> cluster.broker(id).awaitReady());
      cluster.awaitFullIsr("walk", 0, 3);
      ReplicatedClusterScenarios.assertAcknowledgedExactlyOnceWithoutGaps(cluster, "walk", acked);
      awaitEveryBrokerUnfenced(cluster);
    }
    MetadataLogAudit.check(root, BROKERS);
  }

  /**
   * The six restart orders are shared between the two cluster managers (the quorum is the same code
   * over either): each walks three, in which every broker comes back first once.
   */
  @Test
  void aFullClusterKillLosesNoAcknowledgedRecordWhateverTheRestartOrder() throws Exception {
    List<List<Integer>> orders = mode() == ProcessCluster.Mode.HAZELCAST
        ? List.of(List.of(1, 2, 3), List.of(2, 3, 1), List.of(3, 1, 2))
        : List.of(List.of(1, 3, 2), List.of(2, 1, 3), List.of(3, 2, 1));
    try (ProcessCluster cluster = startCluster()) {
      cluster.createTopic("full", 1, 3, TOPIC);
      cluster.awaitFullIsr("full", 0, 3);
      Map<Long, AckedWriter.Ack> acked = new java.util.TreeMap<>();
      for (List<Integer> order : orders) {
        try (AckedWriter writer = new AckedWriter(cluster, "full", 0, "order-" + order + "-")) {
          await().atMost(Duration.ofSeconds(60)).until(() -> writer.ackCount() >= 100);
          BROKERS.parallelStream().forEach(id -> cluster.broker(id).kill()); // while acks=all writes are in flight
          acked.putAll(writer.acked());
        }
        for (int id : order) {
          if (id != order.get(0)) {
            ProcessCluster.pause(Duration.ofSeconds(2)); // the first one is alone for a while
          }
          cluster.launch(id);
        }
        BROKERS.forEach(id -> cluster.broker(id).awaitReady());
        cluster.awaitFullIsr("full", 0, 3);
        ReplicatedClusterScenarios.assertAcknowledgedExactlyOnceWithoutGaps(cluster, "full", acked);
      }
      awaitEveryBrokerUnfenced(cluster);
    }
    MetadataLogAudit.check(root, BROKERS);
  }

  @Test
  void aFrozenControllerCommitsNothingAfterItWakesAndOneControllerRemains() throws Exception {
    try (ProcessCluster cluster = startCluster()) {
      cluster.createTopic("frz", 1, 3, TOPIC);
      cluster.awaitFullIsr("frz", 0, 3);
      Map<Long, AckedWriter.Ack> acked;
      int frozen = controllerOf(cluster);
      try (AckedWriter writer = new AckedWriter(cluster, "frz", 0)) {
        acked = writer.acked();
        await().atMost(Duration.ofSeconds(60)).until(() -> writer.ackCount() >= 100);
        cluster.broker(frozen).freeze(); // longer than every timeout: fetch 2 s, cluster manager 6 s, session 9 s
        long frozenAt = System.nanoTime();
        int next = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
            .until(() -> controllerOf(cluster), id -> id >= 0 && id != frozen);
        cluster.createTopic("while-frozen", 1, 2, Map.of());
        int during = writer.ackCount();
        await().atMost(Duration.ofSeconds(60)).until(() -> writer.ackCount() >= during + 100);
        ProcessCluster.pause(Duration.ofMillis(Math.max(0, 20_000 - (System.nanoTime() - frozenAt) / 1_000_000)));
        int outputBefore = cluster.broker(frozen).output().length();
        cluster.broker(frozen).thaw();
        cluster.awaitFullIsr("frz", 0, 3);
        awaitEveryBrokerUnfenced(cluster);
        // the woken broker commits nothing as the controller it was; on a loaded machine the quorum may elect it
        // again later, at a newer epoch, and what it commits then is legitimate
        String woken = cluster.broker(frozen).output().substring(outputBefore);
        int reElected = woken.indexOf("Broker " + frozen + " is the controller at epoch");
        assertThat(reElected < 0 ? woken : woken.substring(0, reElected))
            .as("the woken controller commits nothing before a new election").doesNotContain("Controller " + frozen + " committed");
        int controller = reElected < 0 ? next : await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
            .until(() -> controllerOf(cluster), id -> id >= 0);
        for (int id : BROKERS) {
          MetadataResponse seen = cluster.request(Addresses.metadata(id), new MetadataRequest(List.of("while-frozen")), 10_000);
          assertThat(seen.controllerId()).as("broker %d's controller", id).isEqualTo(controller);
          assertThat(seen.topics().get(0).error()).as("broker %d knows while-frozen", id).isNull();
        }
      }
      ReplicatedClusterScenarios.assertAcknowledgedExactlyOnceWithoutGaps(cluster, "frz", acked);
    }
    MetadataLogAudit.check(root, BROKERS);
  }

  /**
   * Property 6 of the quorum: without a majority, metadata changes stop with a clear error, while a
   * partition leader that is up, with its ISR met, goes on serving acks=all writes and reads long
   * after the controller is gone; all of it resumes by itself when a voter returns.
   */
  @Test
  void aMajorityDownRefusesMetadataChangesClearlyWhileLiveLeadersServeThenTheyResume() throws Exception {
    try (ProcessCluster cluster = startCluster()) {
      cluster.createTopic("maj", 1, 3, TOPIC);
      cluster.createTopic("solo", 1, 1, Map.of("min.insync.replicas", "1"));
      cluster.awaitFullIsr("maj", 0, 3);
      Map<Long, AckedWriter.Ack> acked;
      try (AckedWriter writer = new AckedWriter(cluster, "maj", 0)) {
        acked = writer.acked();
        await().atMost(Duration.ofSeconds(60)).until(() -> writer.ackCount() >= 200);
      }
      int survivor = cluster.partition("solo", 0).leader();
      List<Integer> others = BROKERS.stream().filter(id -> id != survivor).toList();
      Map<Long, AckedWriter.Ack> soloAcked;
      try (AckedWriter solo = new AckedWriter(cluster, "solo", 0)) {
        soloAcked = solo.acked();
        await().atMost(Duration.ofSeconds(60)).until(() -> solo.ackCount() >= 100);
        others.forEach(id -> cluster.broker(id).kill());
        // asked until the survivor answers: the cluster-wide address may still route a request to a dead broker for a while
        Throwable refused = await().atMost(Duration.ofSeconds(90)).until(() -> catching(() -> cluster.request(
            Addresses.CREATE_TOPIC, new CreateTopicRequest("during-outage", 1, (short) 1, Map.of()), 20_000)),
            failure -> failure == null || BrookErrors.errorOf(failure) != Errors.REQUEST_TIMED_OUT);
        assertThat(BrookErrors.errorOf(refused)).isEqualTo(Errors.NOT_CONTROLLER);
        assertThat(refused.getMessage()).contains("metadata quorum has no leader");
        ClusterDescription seen = await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
            cluster.request(Addresses.DESCRIBE_CLUSTER, new DescribeClusterRequest(true), 5_000), d -> true);
        assertThat(seen.controllerId()).isEqualTo(-1);
        assertThat(seen.quorum().replicas()).filteredOn(r -> r.voter()).hasSize(3);
        // well past every session and lease: the survivor still leads "solo", whose ISR is itself
        int withoutController = solo.ackCount();
        await().atMost(Duration.ofSeconds(60)).until(() -> solo.ackCount() >= withoutController + 200);
      }
      assertThat(soloAcked.values()).allMatch(ack -> ack.broker() == survivor);
      Map<Long, String> readDuring = AckedWriter.readAll(cluster, "solo", 0); // still without a controller
      soloAcked.forEach((offset, ack) -> assertThat(readDuring.get(offset)).isEqualTo(ack.value()));
      cluster.start(others.get(0));
      cluster.createTopic("after-outage", 1, 2, Map.of());
      ReplicatedClusterScenarios.assertAcknowledgedExactlyOnceWithoutGaps(cluster, "maj", acked);
      ReplicatedClusterScenarios.assertAcknowledgedExactlyOnceWithoutGaps(cluster, "solo", soloAcked);
      cluster.start(others.get(1));
      awaitEveryBrokerUnfenced(cluster);
    }
    MetadataLogAudit.check(root, BROKERS);
  }

  @Test
  void rollingKillsNeverMakeAnExistingTopicUnknown() throws Exception {
    try (ProcessCluster cluster = startCluster()) {
      cluster.createTopic("roll", 1, 3, TOPIC);
      cluster.awaitFullIsr("roll", 0, 3);
      Map<Long, AckedWriter.Ack> acked;
      List<String> unknown = java.util.Collections.synchronizedList(new ArrayList<>());
      try (AckedWriter writer = new AckedWriter(cluster, "roll", 0); MetadataProbe probe = new MetadataProbe(cluster, "roll",
          BROKERS, unknown)) {
        acked = writer.acked();
        for (int round = 0; round < 2 * BROKERS.size(); round++) { // each broker killed twice, once after the others
          int victim = BROKERS.get(round % BROKERS.size());
          int before = writer.ackCount();
          await().atMost(Duration.ofSeconds(60)).until(() -> writer.ackCount() >= before + 20);
          cluster.broker(victim).kill();
          cluster.start(victim);
          cluster.awaitFullIsr("roll", 0, 3);
        }
        assertThat(writer.errors()).as("errors the writer saw").doesNotContainKey(Errors.UNKNOWN_TOPIC_OR_PARTITION.name());
      }
      assertThat(unknown).as("answers that said the topic does not exist").isEmpty();
      ReplicatedClusterScenarios.assertAcknowledgedExactlyOnceWithoutGaps(cluster, "roll", acked);
    }
    MetadataLogAudit.check(root, BROKERS);
  }

  /** Asks every broker for the topic's metadata without pause; records any answer saying it does not exist. */
  private static final class MetadataProbe implements AutoCloseable {
    private final Thread thread;
    private volatile boolean stop;

    MetadataProbe(ProcessCluster cluster, String topic, List<Integer> brokers, List<String> unknown) {
      thread = new Thread(() -> {
        while (!stop) {
          for (int id : brokers) {
            try {
              MetadataResponse answer = cluster.request(Addresses.metadata(id), new MetadataRequest(List.of(topic)), 2_000);
              String error = answer.topics().get(0).error();
              if (Errors.UNKNOWN_TOPIC_OR_PARTITION.name().equals(error)) {
                unknown.add("broker " + id + ": " + error);
              }
            } catch (RuntimeException e) {
              if (BrookErrors.errorOf(e) == Errors.UNKNOWN_TOPIC_OR_PARTITION) {
                unknown.add("broker " + id + ": " + e.getMessage());
              }
            }
          }
        }
      }, "metadata-probe");
      thread.start();
    }

    @Override
    public void close() throws InterruptedException {
      stop = true;
      thread.join();
    }
  }

  /** The controller as a broker describes the cluster, asked again while none answers or none is known. */
  public static int controllerOf(ProcessCluster cluster) {
    return await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> cluster.<ClusterDescription>request(
        Addresses.DESCRIBE_CLUSTER, new DescribeClusterRequest(true), 5_000).controllerId(), id -> id >= 0);
  }

  /** Every broker registered and UNFENCED, by itself: nobody restarted anything. */
  public static void awaitEveryBrokerUnfenced(ProcessCluster cluster) {
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
      ClusterDescription description = cluster.request(Addresses.DESCRIBE_CLUSTER, new DescribeClusterRequest(true), 10_000);
      Set<Integer> unfenced = new HashSet<>();
      description.brokers().stream().filter(b -> "UNFENCED".equals(b.state())).forEach(b -> unfenced.add(b.nodeId()));
      assertThat(unfenced).containsExactlyInAnyOrderElementsOf(BROKERS);
      assertThat(description.quorum().replicas()).filteredOn(r -> r.voter() && r.lag() == 0).hasSize(3);
    });
  }

  private static Errors errorOf(Runnable call) {
    Throwable failure = catching(call);
    return failure == null ? Errors.NONE : BrookErrors.errorOf(failure);
  }

  private static Throwable catching(Runnable call) {
    try {
      call.run();
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }
}
