package io.brook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.protocol.Addresses;
import io.brook.protocol.message.MetadataRequest;
import io.brook.protocol.message.MetadataResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Brook rides out a ZooKeeper outage: the server is killed (20 s, then over a minute) while acks=all
 * writes go on, then restarted with its data; the brokers heal by themselves (their ZooKeeper
 * sessions expired: they register their membership and consumers again), every broker answers
 * metadata again, and every acknowledged record is readable.
 */
@Tag("integration")
class ZookeeperOutageTest {
  private static final List<Integer> BROKERS = List.of(1, 2, 3);
  @TempDir
  Path root;

  @Test
  void aTwentySecondOutageHealsByItselfAndLosesNothing() throws Exception {
    outage(Duration.ofSeconds(20));
  }

  @Test
  void anOutageOfOverAMinuteHealsByItselfAndLosesNothing() throws Exception {
    outage(Duration.ofSeconds(70)); // far past the session timeout (9 s) and every other one
  }

  private void outage(Duration length) throws Exception {
    try (ProcessCluster cluster = new ProcessCluster(root, ProcessCluster.Mode.ZOOKEEPER, Map.of())) {
      cluster.startAll(1, 2, 3);
      cluster.createTopic("zk", 1, 3, Map.of("min.insync.replicas", "2"));
      cluster.awaitFullIsr("zk", 0, 3);
      Map<Long, AckedWriter.Ack> acked;
      try (AckedWriter writer = new AckedWriter(cluster, "zk", 0)) {
        acked = writer.acked();
        await().atMost(Duration.ofSeconds(60)).until(() -> writer.ackCount() >= 100);
        cluster.stopZookeeper();
        int atStop = writer.ackCount();
        // the event bus and the metadata quorum do not need ZooKeeper while it is away: writes go on
        await().atMost(length).until(() -> writer.ackCount() >= atStop + 100);
        ProcessCluster.pause(length.minus(Duration.ofSeconds(5)));
        cluster.restartZookeeper();
        // the sessions expire about 6 s after the server is back; then the brokers repair themselves
        ProcessCluster.pause(Duration.ofSeconds(10));
        int afterRestart = writer.ackCount();
        await().atMost(Duration.ofSeconds(90)).until(() -> writer.ackCount() >= afterRestart + 200);
      }
      MetadataQuorumScenarios.awaitEveryBrokerUnfenced(cluster);
      for (int id : BROKERS) {
        MetadataResponse seen = await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
            cluster.request(Addresses.metadata(id), new MetadataRequest(List.of("zk")), 5_000), m -> true);
        assertThat(seen.topics().get(0).partitions().get(0).leader()).as("broker %d's answer", id).isNotNegative();
      }
      ReplicatedClusterScenarios.assertAcknowledgedExactlyOnceWithoutGaps(cluster, "zk", acked);
    }
    MetadataLogAudit.check(root, BROKERS);
  }
}
