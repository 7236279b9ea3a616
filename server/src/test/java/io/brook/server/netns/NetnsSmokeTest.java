package io.brook.server.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.protocol.Addresses;
import io.brook.protocol.message.BrokerDescription;
import io.brook.protocol.message.ClusterDescription;
import io.brook.protocol.message.DescribeClusterRequest;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.server.AckedWriter;
import io.brook.server.ProcessCluster;
import io.brook.server.ProcessCluster.Mode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker on the harness: three brokers, each in its own network namespace on its own address,
 * form a cluster (Hazelcast, or ZooKeeper with its server in the root namespace), take acks=all writes
 * to an RF 3 topic from the test's client member, see an isolated partition leader leave (fenced, its
 * partitions led by others) while writes go on, and take it back after the heal (in every ISR again)
 * without losing an acknowledged record. Prints how long each step took.
 */
@Tag("integration")
class NetnsSmokeTest {
  private static final String TOPIC = "smoke";
  private static final int PARTITIONS = 3;
  private static final int BROKERS = 3;
  @TempDir
  Path root;

  @Test
  void anIsolatedBrokerLeavesAndComesBackWithZookeeper() throws Exception {
    isolateAndHeal(Mode.ZOOKEEPER, true);
  }

  @Test
  void anIsolatedBrokerLeavesAndComesBackWithHazelcast() throws Exception {
    isolateAndHeal(Mode.HAZELCAST, true);
  }

  private void isolateAndHeal(Mode mode, boolean heal) throws Exception {
    Timings timings = new Timings(mode);
    try (NetnsCluster netns = NetnsCluster.start(root, mode, BROKERS, Map.of())) {
      ProcessCluster cluster = netns.cluster();
      NetnsHost net = netns.net();
      timings.step("3 brokers started in namespaces");
      ClusterDescription started = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> describe(cluster), d -> d.brokers().size() == BROKERS); // the controller may still be starting
      assertThat(started.brokers()).as("each broker on its own address")
          .allSatisfy(b -> assertThat(b.host()).isEqualTo(net.address(b.nodeId())));
      cluster.createTopic(TOPIC, PARTITIONS, BROKERS, Map.of("min.insync.replicas", "2"));
      for (int p = 0; p < PARTITIONS; p++) {
        cluster.awaitFullIsr(TOPIC, p, BROKERS);
      }
      timings.step("RF 3 topic created, full ISR");

      Map<Long, AckedWriter.Ack> acked;
      int written = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> aPartitionLedByABrokerThatIsNotTheController(cluster), p -> true);
      try (AckedWriter writer = new AckedWriter(cluster, TOPIC, written)) {
        acked = writer.acked();
        await().atMost(Duration.ofSeconds(30)).until(() -> writer.ackCount() >= 200);
        timings.step("200 acks=all writes");

        int victim = cluster.partition(TOPIC, written).leader(); // cut off with acks=all writes in flight to it
        net.isolate(victim);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> stateOf(cluster, victim).equals("FENCED"));
        timings.step("isolated broker " + victim + " fenced");
        for (int p = 0; p < PARTITIONS; p++) {
          int partition = p;
          await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
              .until(() -> leaderOf(cluster, partition), leader -> leader >= 0 && leader != victim);
        }
        timings.step("its partitions led by others");
        int beforeHeal = writer.ackCount();
        await().atMost(Duration.ofSeconds(30)).until(() -> writer.ackCount() >= beforeHeal + 100);
        timings.step("100 more acks=all writes without it");
        if (heal) {
          net.heal();
          await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
              .until(() -> stateOf(cluster, victim).equals("UNFENCED"));
          timings.step("healed broker " + victim + " unfenced");
          for (int p = 0; p < PARTITIONS; p++) {
            cluster.awaitFullIsr(TOPIC, p, BROKERS);
          }
          timings.step("back in every ISR");
        }
      }
      Map<Long, String> log = AckedWriter.readAll(cluster, TOPIC, written);
      acked.forEach((offset, ack) -> assertThat(log.get(offset)).as("acknowledged at %d", offset).isEqualTo(ack.value()));
      timings.step("every acknowledged record read back");
    } finally {
      System.out.println(timings);
    }
  }

  private static ClusterDescription describe(ProcessCluster cluster) {
    return cluster.request(Addresses.DESCRIBE_CLUSTER, new DescribeClusterRequest(true), 5_000);
  }

  private static String stateOf(ProcessCluster cluster, int nodeId) {
    return describe(cluster).brokers().stream().filter(b -> b.nodeId() == nodeId)
        .map(BrokerDescription::state).findFirst().orElse("UNKNOWN");
  }

  /** From the metadata of any broker that answers (a request that reaches the isolated one times out). */
  private static int leaderOf(ProcessCluster cluster, int partition) {
    return cluster.metadata(TOPIC).topics().get(0).partitions().get(partition).leader();
  }

  /** A partition whose leader is not the controller: isolating that leader moves leaders only. */
  private static int aPartitionLedByABrokerThatIsNotTheController(ProcessCluster cluster) {
    int controller = describe(cluster).controllerId();
    for (int p = 0; p < PARTITIONS; p++) {
      PartitionMetadata partition = cluster.partition(TOPIC, p);
      if (partition.leader() != controller) {
        return p;
      }
    }
    throw new AssertionError("the controller " + controller + " leads every partition");
  }

  /** Wall time of each step since the one before, printed at the end (pass or fail). */
  private static final class Timings {
    private final Map<String, Long> steps = new LinkedHashMap<>();
    private final Mode mode;
    private final long startNs = System.nanoTime();
    private long lastNs = startNs;

    Timings(Mode mode) {
      this.mode = mode;
    }

    void step(String name) {
      long now = System.nanoTime();
      steps.put(name, (now - lastNs) / 1_000_000);
      lastNs = now;
    }

    @Override
    public String toString() {
      StringBuilder out = new StringBuilder("netns smoke, " + mode + ", total "
          + (System.nanoTime() - startNs) / 1_000_000 + " ms:");
      steps.forEach((name, ms) -> out.append("\n  ").append(String.format("%6d ms  %s", ms, name)));
      return out.toString();
    }
  }
}
