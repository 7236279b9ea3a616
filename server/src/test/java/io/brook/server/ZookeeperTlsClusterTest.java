package io.brook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.brook.cluster.ClusterConfig;
import io.brook.cluster.TlsZookeeperServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Brokers (processes of their own) form a cluster through a ZooKeeper server that speaks only TLS and
 * requires client certificates, configured with Brook's zookeeper.ssl.* keys and bin/brook-certs'
 * files, and serve a replicated topic; a broker whose key store holds an expired certificate does not
 * start and says why in one line. (Members refused by ZooKeeper: {@code ZookeeperTlsTest}, cluster module.)
 */
@Tag("integration")
class ZookeeperTlsClusterTest {
  @TempDir
  Path root;

  @Test
  void brokersFormAClusterOverZookeeperTlsAndServeARecordsTopic() throws Exception {
    Path certs = root.resolve("certs");
    run("../bin/brook-certs", certs.toString(), "zookeeper", "broker", "client");
    run("../bin/brook-certs", "--days", "-1", certs.toString(), "expired");
    try (TlsZookeeperServer zookeeper = TlsZookeeperServer.start(root.resolve("zk"),
        certs.resolve("zookeeper.keystore.pem"), certs.resolve("ca.pem"));
         ProcessCluster cluster = new ProcessCluster(root, tls(zookeeper, certs, "client"),
             Map.of(ClusterConfig.ZOOKEEPER_KEYSTORE, certs.resolve("broker.keystore.pem").toString()))) {
      cluster.startAll(1, 2);
      cluster.createTopic("secure", 1, 2, Map.of("min.insync.replicas", "2"));
      cluster.awaitFullIsr("secure", 0, 2);
      Map<Long, String> written = new TreeMap<>();
      try (AckedWriter writer = new AckedWriter(cluster, "secure", 0)) {
        await().atMost(Duration.ofSeconds(60)).until(() -> writer.ackCount() >= 100);
        writer.close();
        writer.acked().forEach((offset, ack) -> written.put(offset, ack.value()));
      }
      assertThat(AckedWriter.readAll(cluster, "secure", 0)).containsAllEntriesOf(written);

      Map<String, Object> expired = new HashMap<>(tls(zookeeper, certs, "expired"));
      expired.putAll(Map.of("node.id", 3, "data.dir", root.resolve("node-3").toString(),
          "http.port", TestCluster.freePort(), "bridge.port", -1));
      ProcessBroker refused = new ProcessBroker(expired, root.resolve("node-3.log"));
      assertThatThrownBy(refused::start).hasMessageContaining("broker process exited")
          .hasMessageContaining("Brook could not start: Invalid value " + certs.resolve("expired.keystore.pem")
              + " for configuration " + ClusterConfig.ZOOKEEPER_KEYSTORE + ": the certificate CN=expired")
          .hasMessageContaining("is valid only from").hasMessageNotContaining("\tat ");
    }
  }

  private static Map<String, Object> tls(TlsZookeeperServer zookeeper, Path certs, String name) {
    return Map.of(ClusterConfig.CLUSTER_MANAGER, ClusterConfig.ZOOKEEPER,
        ClusterConfig.ZOOKEEPER_CONNECT, zookeeper.connectString(),
        ClusterConfig.ZOOKEEPER_TLS, "true",
        ClusterConfig.ZOOKEEPER_KEYSTORE, certs.resolve(name + ".keystore.pem").toString(),
        ClusterConfig.ZOOKEEPER_TRUSTSTORE, certs.resolve("ca.pem").toString());
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }
}
