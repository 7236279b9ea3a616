package io.brook.server.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.message.CreateTopicRequest;
import io.brook.server.AckedWriter;
import io.brook.server.MetadataLogAudit;
import io.brook.server.MetadataQuorumScenarios;
import io.brook.server.ProcessBroker;
import io.brook.server.ProcessCluster;
import io.brook.server.ProcessCluster.Mode;
import io.brook.server.ReplicatedClusterScenarios;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real network partitions (brokers in network namespaces, links cut by nftables): the controller cut
 * off, the test's clients cut off together with a lone broker, and lossy links. In every case no
 * acknowledged acks=all record is lost, no two controllers ever committed in one epoch (the metadata
 * logs on disk are audited afterwards), and the cluster heals by itself once the network does.
 */
@Tag("integration")
class NetnsPartitionTest {
  private static final List<Integer> BROKERS = List.of(1, 2, 3);
  private static final Map<String, String> TOPIC = Map.of("min.insync.replicas", "2");
  @TempDir
  Path root;

  @Test
  void anIsolatedControllerIsReplacedAndRejoinsWithHazelcast() throws Exception {
    isolateTheController(Mode.HAZELCAST);
  }

  @Test
  void anIsolatedControllerIsReplacedAndRejoinsWithZookeeper() throws Exception {
    isolateTheController(Mode.ZOOKEEPER);
  }

  private void isolateTheController(Mode mode) throws Exception {
    try (NetnsCluster netns = NetnsCluster.start(root, mode, BROKERS.size(), Map.of())) {
      ProcessCluster cluster = netns.cluster();
      cluster.createTopic("ctl", 1, 3, TOPIC);
      cluster.awaitFullIsr("ctl", 0, 3);
      Map<Long, AckedWriter.Ack> acked;
      try (AckedWriter writer = new AckedWriter(cluster, "ctl", 0)) {
        acked = writer.acked();
        await().atMost(Duration.ofSeconds(60)).until(() -> writer.ackCount() >= 200);
        int controller = MetadataQuorumScenarios.controllerOf(cluster);
        netns.net().isolate(controller);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
            .until(() -> MetadataQuorumScenarios.controllerOf(cluster), id -> id >= 0 && id != controller);
        cluster.createTopic("while-cut-off", 1, 2, Map.of()); // the majority's controller commits
        int cut = writer.ackCount();
        await().atMost(Duration.ofSeconds(60)).until(() -> writer.ackCount() >= cut + 200);
        netns.net().heal();
        MetadataQuorumScenarios.awaitEveryBrokerUnfenced(cluster);
        cluster.awaitFullIsr("ctl", 0, 3);
      }
      ReplicatedClusterScenarios.assertAcknowledgedExactlyOnceWithoutGaps(cluster, "ctl", acked);
    }
    MetadataLogAudit.check(root, BROKERS);
  }

  @Test
  void clientsCutOffWithALoneBrokerGetAClearRefusalThenEverythingHeals() throws Exception {
    try (NetnsCluster netns = NetnsCluster.start(root, Mode.HAZELCAST, BROKERS.size(), Map.of())) {
      ProcessCluster cluster = netns.cluster();
      cluster.createTopic("minority", 1, 3, TOPIC);
      cluster.awaitFullIsr("minority", 0, 3);
      Map<Long, AckedWriter.Ack> acked;
      try (AckedWriter writer = new AckedWriter(cluster, "minority", 0)) {
        acked = writer.acked();
        await().atMost(Duration.ofSeconds(60)).until(() -> writer.ackCount() >= 200);
      }
      int lone = MetadataQuorumScenarios.controllerOf(cluster);
      Set<Integer> others = Set.copyOf(BROKERS.stream().filter(id -> id != lone).toList());
      netns.net().split(Set.of(lone), others, NetnsHost.HostSide.A); // the test's client stays with the lone broker
      Throwable refused = await().atMost(Duration.ofSeconds(90)).until(() -> failureOf(cluster),
          failure -> failure != null && BrookErrors.errorOf(failure) == Errors.NOT_CONTROLLER);
      assertThat(refused.getMessage()).contains("metadata quorum has no leader");
      netns.net().heal();
      cluster.createTopic("after-heal", 1, 3, Map.of());
      MetadataQuorumScenarios.awaitEveryBrokerUnfenced(cluster);
      cluster.awaitFullIsr("minority", 0, 3);
      ReplicatedClusterScenarios.assertAcknowledgedExactlyOnceWithoutGaps(cluster, "minority", acked);
    }
    MetadataLogAudit.check(root, BROKERS);
  }

  @Test
  void lossyLinksLoseNoAcknowledgedRecordAndTheClusterRecovers() throws Exception {
    try (NetnsCluster netns = NetnsCluster.start(root, Mode.HAZELCAST, BROKERS.size(), Map.of())) {
      ProcessCluster cluster = netns.cluster();
      cluster.createTopic("lossy", 1, 3, TOPIC);
      cluster.awaitFullIsr("lossy", 0, 3);
      Map<Long, AckedWriter.Ack> acked;
      try (AckedWriter writer = new AckedWriter(cluster, "lossy", 0)) {
        acked = writer.acked();
        await().atMost(Duration.ofSeconds(60)).until(() -> writer.ackCount() >= 100);
        for (int id : BROKERS) {
          netns.net().flap(id, 20, 0, 0); // a fifth of every broker's packets dropped, both ways
        }
        ProcessCluster.pause(Duration.ofSeconds(20));
        netns.net().clear();
        int cleared = writer.ackCount();
        await().atMost(Duration.ofSeconds(90)).until(() -> writer.ackCount() >= cleared + 200);
      }
      MetadataQuorumScenarios.awaitEveryBrokerUnfenced(cluster);
      cluster.awaitFullIsr("lossy", 0, 3);
      ReplicatedClusterScenarios.assertAcknowledgedExactlyOnceWithoutGaps(cluster, "lossy", acked);
    }
    MetadataLogAudit.check(root, BROKERS);
  }

  /**
   * The founder (broker 1) restarted on an empty disk while cut off from its cluster cannot tell that
   * from a first start: it founds a cluster of its own. Once the network heals it gives that cluster up
   * (it holds nothing but its founding), restarts its broker and joins the real one, with nobody's help.
   */
  @Test
  void aFounderRestartedOnAnEmptyDiskWhileCutOffRejoinsItsClusterWhenTheNetworkHeals() throws Exception {
    try (NetnsCluster netns = NetnsCluster.start(root, Mode.HAZELCAST, BROKERS.size(), Map.of())) {
      ProcessCluster cluster = netns.cluster();
      cluster.createTopic("kept", 1, 3, TOPIC);
      cluster.awaitFullIsr("kept", 0, 3);
      Map<Long, AckedWriter.Ack> acked;
      try (AckedWriter writer = new AckedWriter(cluster, "kept", 0)) {
        acked = writer.acked();
        await().atMost(Duration.ofSeconds(60)).until(() -> writer.ackCount() >= 100);
      }
      netns.broker(1).kill();
      cluster.setDataDir(1, root.resolve("node-1-replaced-disk"));
      netns.net().isolate(1);
      ProcessBroker lone = cluster.start(1);
      assertThat(lone.runOutput()).contains("Broker 1 founded cluster");

      netns.net().heal();

      await().atMost(Duration.ofSeconds(90)).until(() -> lone.runOutput().contains("Broker 1 restarted without cluster"));
      assertThat(lone.runOutput()).contains("gives its cluster up");
      MetadataQuorumScenarios.awaitEveryBrokerUnfenced(cluster);
      cluster.awaitFullIsr("kept", 0, 3);
      ReplicatedClusterScenarios.assertAcknowledgedExactlyOnceWithoutGaps(cluster, "kept", acked);
      assertThat(lone.isAlive()).as("the same process: nobody restarted it").isTrue();
    }
    MetadataLogAudit.check(root, BROKERS);
  }

  /** A metadata change asked of whichever broker the client reaches: null when it succeeded. */
  private static Throwable failureOf(ProcessCluster cluster) {
    try {
      cluster.request(Addresses.CREATE_TOPIC, new CreateTopicRequest("during-split-" + System.nanoTime(), 1, (short) 1,
          Map.of()), 20_000);
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }
}
