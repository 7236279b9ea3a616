package io.brook.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

/** A broker and a client member meet on loopback and talk over the event bus, in both modes. */
class BrookClusterTest {

  @Test
  void hazelcastBrokerAndClient() throws Exception {
    ClusterConfig config = new ClusterConfig(Map.of(
        ClusterConfig.CLUSTER_NAME, "test-" + UUID.randomUUID(),
        ClusterConfig.CLUSTER_PORT, 16701,
        ClusterConfig.CLUSTER_MEMBERS, "127.0.0.1:16701-16704"));
    assertRequestCrossesMembers(config);
  }

  @Test
  void zookeeper() throws Exception {
    try (TestingServer zk = new TestingServer(true)) {
      ClusterConfig config = new ClusterConfig(Map.of(
          ClusterConfig.CLUSTER_MANAGER, ClusterConfig.ZOOKEEPER,
          ClusterConfig.ZOOKEEPER_CONNECT, zk.getConnectString(),
          ClusterConfig.CLUSTER_NAME, "test-" + UUID.randomUUID()));
      assertRequestCrossesMembers(config);
    }
  }

  @Test
  void memberRangesExpand() {
    assertThat(ClusterConfig.expand("127.0.0.1:5701-5703"))
        .containsExactly("127.0.0.1:5701", "127.0.0.1:5702", "127.0.0.1:5703");
    assertThat(ClusterConfig.expand("10.0.0.1")).containsExactly("10.0.0.1");
    assertThat(ClusterConfig.defaults().hazelcastMembers()).as("three brokers on one machine, no spare address")
        .containsExactly("127.0.0.1:5701", "127.0.0.1:5702", "127.0.0.1:5703");
  }

  private static void assertRequestCrossesMembers(ClusterConfig config) {
    Vertx broker = BrookCluster.start(config, MemberRole.BROKER).await();
    Vertx client = BrookCluster.start(config, MemberRole.CLIENT).await();
    try {
      broker.eventBus().<String>consumer("test.echo", m -> m.reply("echo:" + m.body())).completion().await();
      // the client's view of the registrations catches up asynchronously (ZooKeeper watches)
      String reply = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> client.eventBus().<String>request("test.echo", "hi").await().body(), r -> r != null);
      assertThat(reply).isEqualTo("echo:hi");
      assertThat(broker.isClustered()).isTrue();
    } finally {
      client.close().await();
      broker.close().await();
    }
  }
}
