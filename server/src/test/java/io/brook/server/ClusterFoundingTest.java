package io.brook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Brokers started together never found two clusters: only the designated founder
 * ({@code controller.quorum.bootstrap.founder.id}, node 1 by default) founds one; a broker that is alone
 * in the cluster manager at its first start (started first, or split off by a starved Hazelcast member)
 * waits and joins the cluster it then hears of. With Hazelcast, whose islands each hold a founding lock.
 */
@Tag("integration")
class ClusterFoundingTest {
  @TempDir
  Path root;

  @Test
  void aBrokerAloneAtItsFirstStartWaitsForTheFounderInsteadOfFoundingAClusterOfItsOwn() throws Exception {
    try (ProcessCluster cluster = new ProcessCluster(root, ProcessCluster.Mode.HAZELCAST, Map.of())) {
      // the cluster manager's only member, as a broker cut off from its peers is: it used to found at once
      ProcessBroker second = cluster.launch(2);
      await().atMost(Duration.ofSeconds(90)).until(() -> second.output().contains("founded cluster")
          || second.output().contains("Broker 2 has heard of no cluster for"));
      assertThat(second.output()).doesNotContain("founded cluster").doesNotContain("Brook node 2 ready");
      assertThat(clusterId(2)).as("cluster id of broker 2 while it waits").isNull();

      cluster.startAll(1, 3);
      second.awaitReady();
      cluster.createTopic("all", 1, 3, Map.of());
      cluster.awaitFullIsr("all", 0, 3);
      assertThat(cluster.broker(1).output()).contains("Broker 1 founded cluster " + clusterId(1));
      Set<String> ids = new HashSet<>();
      for (int id = 1; id <= 3; id++) {
        ids.add(clusterId(id));
        assertThat(cluster.broker(id).output()).as("broker %d", id).doesNotContain("belongs to another cluster");
      }
      assertThat(ids).as("cluster ids of the three brokers").hasSize(1).doesNotContainNull();
    }
  }

  @Test
  void theDesignatedFounderFoundsAloneWhicheverNodeItIs() throws Exception {
    try (ProcessCluster cluster = new ProcessCluster(root, ProcessCluster.Mode.HAZELCAST,
        Map.of("controller.quorum.bootstrap.founder.id", 7))) {
      cluster.start(7);
      assertThat(cluster.broker(7).output()).contains("Broker 7 founded cluster " + clusterId(7));
      cluster.createTopic("alone", 1, 1, Map.of());
      assertThat(cluster.partition("alone", 0).leader()).isEqualTo(7);
    }
  }

  /** The cluster id in the broker's {@code meta.properties}, null while it belongs to none. */
  private String clusterId(int nodeId) throws IOException {
    Path file = root.resolve("node-" + nodeId).resolve("meta.properties");
    if (!Files.exists(file)) {
      return null;
    }
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    }
    return properties.getProperty("cluster.id");
  }
}
