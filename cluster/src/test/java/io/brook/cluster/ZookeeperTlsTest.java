package io.brook.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigException;
import org.apache.zookeeper.client.ZKClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Brook's ZooKeeper client over TLS against a real ZooKeeper server that listens only on a TLS port and
 * requires client certificates: members with certificates from the cluster's CA meet; a member with a
 * certificate from another CA, one that does not trust ZooKeeper's CA, and one without TLS never join
 * and fail with one line that says why. Certificates come from bin/brook-certs.
 */
class ZookeeperTlsTest {
  @TempDir
  static Path dir;
  static TlsZookeeperServer zookeeper;

  @BeforeAll
  static void startZookeeper() throws Exception {
    run("../bin/brook-certs", dir.resolve("ca1").toString(), "zookeeper", "broker", "client");
    run("../bin/brook-certs", dir.resolve("ca2").toString(), "stranger");
    run("../bin/brook-certs", "--days", "-1", dir.resolve("ca1").toString(), "expired");
    zookeeper = TlsZookeeperServer.start(dir.resolve("zk"), dir.resolve("ca1/zookeeper.keystore.pem"),
        dir.resolve("ca1/ca.pem"));
  }

  @AfterAll
  static void stopZookeeper() {
    if (zookeeper != null) {
      zookeeper.close();
    }
  }

  @Test
  void membersWithCertificatesFromTheClusterCaMeetOverZookeeperTls() {
    Map<String, Object> base = base();
    Vertx broker = BrookCluster.start(tls(base, "ca1", "broker", "ca1"), MemberRole.BROKER).await();
    try {
      broker.eventBus().<String>consumer("test.echo", m -> m.reply("echo:" + m.body())).completion().await();
      Vertx client = BrookCluster.start(tls(base, "ca1", "client", "ca1"), MemberRole.CLIENT).await();
      try {
        String reply = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
            .until(() -> client.eventBus().<String>request("test.echo", "hi").await().body(), r -> r != null);
        assertThat(reply).isEqualTo("echo:hi");
        assertThat(nodes(broker)).hasSize(2);
      } finally {
        client.close().await();
      }
    } finally {
      broker.close().await();
    }
  }

  @Test
  void membersWithoutAnAcceptedCertificateOrWithoutTlsNeverJoin() {
    Map<String, Object> base = base();
    Vertx broker = BrookCluster.start(tls(base, "ca1", "broker", "ca1"), MemberRole.BROKER).await();
    try {
      // side by side: each gives up when it has no connection after zookeeper.session.timeout.ms (it took
      // Curator's retries, about 30 s, before)
      Future<Vertx> stranger = BrookCluster.start(tls(base, "ca2", "stranger", "ca1"), MemberRole.CLIENT);
      Future<Vertx> distrustful = BrookCluster.start(tls(base, "ca1", "client", "ca2"), MemberRole.CLIENT);
      Future<Vertx> plaintext = BrookCluster.start(new ClusterConfig(base), MemberRole.CLIENT);
      await().atMost(Duration.ofSeconds(25)).until(() -> stranger.isComplete() && distrustful.isComplete()
          && plaintext.isComplete());
      assertThat(stranger.cause()).as("a certificate from another CA").isNotNull().message()
          .startsWith("Cannot join the cluster through ZooKeeper at " + zookeeper.connectString()
              + " (no connection within zookeeper.session.timeout.ms=")
          .contains(" with TLS: the TLS handshake with " + zookeeper.connectString() + " fails: ZooKeeper ")
          // the server's alert, or (when the server closed before the client read it) the closed connection
          .containsAnyOf("ZooKeeper refused this member's certificate",
              "ZooKeeper closed the connection during the TLS handshake (it refuses this member's certificate");
      assertThat(distrustful.cause()).as("ZooKeeper's certificate from a CA it does not trust").isNotNull()
          .message().contains("fails: ZooKeeper's certificate is not signed by a CA in zookeeper.ssl.truststore.location");
      assertThat(plaintext.cause()).as("no TLS").isNotNull().message()
          .contains("no TLS: if that is ZooKeeper's secureClientPort, set zookeeper.ssl.client.enable=true");
      assertThat(nodes(broker)).as("the members ZooKeeper knows").hasSize(1);
    } finally {
      broker.close().await();
    }
  }

  @Test
  void misconfiguredTlsIsRefusedAtStartWithOneLineNamingTheKey() {
    Map<String, Object> noTrust = new HashMap<>(tlsKeys("ca1", "broker", "ca1"));
    noTrust.remove(ClusterConfig.ZOOKEEPER_TRUSTSTORE);
    assertRefused(noTrust, ClusterConfig.ZOOKEEPER_TRUSTSTORE, "required when zookeeper.ssl.client.enable=true");
    Map<String, Object> nio = new HashMap<>(tlsKeys("ca1", "broker", "ca1"));
    nio.put(ClusterConfig.ZOOKEEPER_CLIENT_SOCKET, "org.apache.zookeeper.ClientCnxnSocketNIO");
    assertRefused(nio, ClusterConfig.ZOOKEEPER_CLIENT_SOCKET, "has no TLS");
    Map<String, Object> missing = new HashMap<>(tlsKeys("ca1", "broker", "ca1"));
    missing.put(ClusterConfig.ZOOKEEPER_KEYSTORE, dir.resolve("ca1/nobody.keystore.pem").toString());
    assertRefused(missing, ClusterConfig.ZOOKEEPER_KEYSTORE, "cannot read");
    Map<String, Object> certificateOnly = new HashMap<>(tlsKeys("ca1", "broker", "ca1"));
    certificateOnly.put(ClusterConfig.ZOOKEEPER_KEYSTORE, dir.resolve("ca1/broker.pem").toString());
    assertRefused(certificateOnly, ClusterConfig.ZOOKEEPER_KEYSTORE, "bin/brook-certs writes NAME.keystore.pem");
    Map<String, Object> directory = new HashMap<>(tlsKeys("ca1", "broker", "ca1"));
    directory.put(ClusterConfig.ZOOKEEPER_TRUSTSTORE, dir.resolve("ca1").toString());
    assertRefused(directory, ClusterConfig.ZOOKEEPER_TRUSTSTORE, "cannot read");
    assertRefused(tlsKeys("ca1", "expired", "ca1"), ClusterConfig.ZOOKEEPER_KEYSTORE, "is valid only from");
  }

  @Test
  void theTlsKeysReachOnlyThisMembersZookeeperClient() {
    ZKClientConfig tls = ZookeeperTls.clientConfig(tls(base(), "ca1", "broker", "ca1"));
    assertThat(tls.getBoolean(ZKClientConfig.SECURE_CLIENT)).isTrue();
    assertThat(tls.getProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET)).isEqualTo(ClusterConfig.ZOOKEEPER_NETTY_SOCKET);
    assertThat(tls.getProperty("zookeeper.ssl.keyStore.location")).endsWith("ca1/broker.keystore.pem");
    assertThat(tls.getProperty("zookeeper.ssl.trustStore.location")).endsWith("ca1/ca.pem");
    assertThat(tls.getProperty("zookeeper.ssl.hostnameVerification")).isEqualTo("true");
    assertThat(tls.getProperty("zookeeper.ssl.protocol")).isEqualTo("TLSv1.2");
    assertThat(System.getProperty("zookeeper.ssl.keyStore.location")).as("no JVM-wide setting").isNull();

    Map<String, Object> anyHost = new HashMap<>(tlsKeys("ca1", "broker", "ca1"));
    anyHost.put(ClusterConfig.ZOOKEEPER_ENDPOINT_IDENTIFICATION, "");
    assertThat(ZookeeperTls.clientConfig(new ClusterConfig(anyHost)).getProperty("zookeeper.ssl.hostnameVerification"))
        .isEqualTo("false");
    ZKClientConfig off = ZookeeperTls.clientConfig(new ClusterConfig(Map.of(ClusterConfig.ZOOKEEPER_TLS, "false")));
    assertThat(off.getBoolean(ZKClientConfig.SECURE_CLIENT)).isFalse();
    assertThat(off.getProperty("zookeeper.ssl.keyStore.location")).isNull();
  }

  private static void assertRefused(Map<String, Object> values, String key, String reason) {
    assertThatThrownBy(() -> ClusterManagers.create(new ClusterConfig(values), MemberRole.BROKER))
        .isInstanceOf(ConfigException.class).hasMessageContaining(key).hasMessageContaining(reason)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  private static List<String> nodes(Vertx member) {
    return ((VertxInternal) member).clusterManager().getNodes();
  }

  private static Map<String, Object> base() {
    return Map.of(ClusterConfig.CLUSTER_MANAGER, ClusterConfig.ZOOKEEPER,
        ClusterConfig.ZOOKEEPER_CONNECT, zookeeper.connectString(),
        ClusterConfig.CLUSTER_NAME, "zk-tls-" + UUID.randomUUID());
  }

  private static ClusterConfig tls(Map<String, Object> base, String ca, String name, String trustedCa) {
    Map<String, Object> values = new HashMap<>(base);
    values.putAll(tlsKeys(ca, name, trustedCa));
    return new ClusterConfig(values);
  }

  private static Map<String, Object> tlsKeys(String ca, String name, String trustedCa) {
    return Map.of(ClusterConfig.CLUSTER_MANAGER, ClusterConfig.ZOOKEEPER,
        ClusterConfig.ZOOKEEPER_TLS, "true",
        ClusterConfig.ZOOKEEPER_KEYSTORE, dir.resolve(ca).resolve(name + ".keystore.pem").toString(),
        ClusterConfig.ZOOKEEPER_TRUSTSTORE, dir.resolve(trustedCa).resolve("ca.pem").toString());
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }
}
