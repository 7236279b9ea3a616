package io.brook.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.test.TestingServer;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS on the clustered event bus (ZooKeeper mode, the secure one): members with certificates
 * from the cluster's CA talk; a member with a certificate from another CA or none at all gets no
 * message through; one with an expired certificate or a missing file does not start. Certificates
 * come from bin/brook-certs.
 */
class InterBrokerTlsTest {
  @TempDir
  static Path certs;

  @BeforeAll
  static void makeCertificates() throws Exception {
    run("../bin/brook-certs", certs.resolve("ca1").toString(), "broker", "client");
    run("../bin/brook-certs", certs.resolve("ca2").toString(), "stranger");
    run("../bin/brook-certs", "--days", "-1", certs.resolve("ca1").toString(), "expired");
  }

  @Test
  void onlyMembersWithACertificateFromTheClusterCaExchangeMessages() throws Exception {
    try (TestingServer zk = new TestingServer(true)) {
      Map<String, Object> base = Map.of(ClusterConfig.CLUSTER_MANAGER, ClusterConfig.ZOOKEEPER,
          ClusterConfig.ZOOKEEPER_CONNECT, zk.getConnectString(), ClusterConfig.CLUSTER_NAME, "tls-" + UUID.randomUUID());
      Vertx broker = BrookCluster.start(tls(base, "ca1", "broker"), MemberRole.BROKER).await();
      AtomicInteger received = new AtomicInteger();
      broker.eventBus().<String>consumer("test.echo", m -> {
        received.incrementAndGet();
        m.reply("echo:" + m.body());
      }).completion().await();
      try {
        Vertx client = BrookCluster.start(tls(base, "ca1", "client"), MemberRole.CLIENT).await();
        try {
          String reply = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
              .until(() -> client.eventBus().<String>request("test.echo", "hi").await().body(), r -> r != null);
          assertThat(reply).isEqualTo("echo:hi");
        } finally {
          client.close().await();
        }
        int trusted = received.get();
        for (ClusterConfig outsider : List.of(tls(base, "ca2", "stranger"), new ClusterConfig(base))) {
          Vertx member = BrookCluster.start(outsider, MemberRole.CLIENT).await();
          try {
            // it sees the registration (ZooKeeper is open to it here) but no frame crosses the TLS handshake
            await().atMost(Duration.ofSeconds(30)).until(() -> registered(member));
            assertThatThrownBy(() -> member.eventBus().request("test.echo", "intruder",
                new DeliveryOptions().setSendTimeout(3_000)).await())
                .isInstanceOfSatisfying(io.vertx.core.eventbus.ReplyException.class,
                    e -> assertThat(e.failureType()).isEqualTo(io.vertx.core.eventbus.ReplyFailure.TIMEOUT));
          } finally {
            member.close().await();
          }
        }
        assertThat(received.get()).as("messages that reached the broker").isEqualTo(trusted);
      } finally {
        broker.close().await();
      }
    }
  }

  @Test
  void misconfigurationsAreRefusedAtStart() {
    Map<String, Object> hazelcast = new HashMap<>(tlsKeys("ca1", "broker"));
    assertThatThrownBy(() -> new ClusterConfig(hazelcast)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("Hazelcast's open-source edition cannot encrypt");
    hazelcast.put(ClusterConfig.HAZELCAST_UNENCRYPTED_ACCEPTED, "true");
    assertThat(new ClusterConfig(hazelcast).interBrokerTls()).isTrue();
    Map<String, Object> noKey = new HashMap<>(tlsKeys("ca1", "broker"));
    noKey.put(ClusterConfig.CLUSTER_MANAGER, ClusterConfig.ZOOKEEPER);
    noKey.remove(ClusterConfig.INTER_BROKER_KEY);
    assertThatThrownBy(() -> new ClusterConfig(noKey)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(ClusterConfig.INTER_BROKER_KEY);

    Map<String, Object> zookeeper = Map.of(ClusterConfig.CLUSTER_MANAGER, ClusterConfig.ZOOKEEPER);
    assertThatThrownBy(() -> BrookCluster.vertxOptions(tls(zookeeper, "ca1", "expired")))
        .isInstanceOf(ConfigException.class).hasMessageContaining(ClusterConfig.INTER_BROKER_CERTIFICATE)
        .hasMessageContaining("is valid only from");
    Map<String, Object> missingKey = new HashMap<>(zookeeper);
    missingKey.putAll(tlsKeys("ca1", "broker"));
    missingKey.put(ClusterConfig.INTER_BROKER_KEY, certs.resolve("ca1/nobody.key").toString());
    assertThatThrownBy(() -> BrookCluster.vertxOptions(new ClusterConfig(missingKey)))
        .isInstanceOf(ConfigException.class).hasMessageContaining(ClusterConfig.INTER_BROKER_KEY)
        .hasMessageContaining("cannot read");
  }

  /** Whether this member's view of the cluster shows the echo consumer yet (ZooKeeper watches are asynchronous). */
  private static boolean registered(Vertx member) {
    io.vertx.core.spi.cluster.ClusterManager manager = ((io.vertx.core.internal.VertxInternal) member).clusterManager();
    io.vertx.core.Promise<List<io.vertx.core.spi.cluster.RegistrationInfo>> found = io.vertx.core.Promise.promise();
    manager.getRegistrations("test.echo", found);
    return !found.future().await().isEmpty();
  }

  private static ClusterConfig tls(Map<String, Object> base, String ca, String name) {
    Map<String, Object> values = new HashMap<>(base);
    values.putAll(tlsKeys(ca, name));
    return new ClusterConfig(values);
  }

  private static Map<String, Object> tlsKeys(String ca, String name) {
    Path dir = certs.resolve(ca);
    return Map.of(ClusterConfig.INTER_BROKER_TLS, "true",
        ClusterConfig.INTER_BROKER_KEY, dir.resolve(name + ".key").toString(),
        ClusterConfig.INTER_BROKER_CERTIFICATE, dir.resolve(name + ".pem").toString(),
        ClusterConfig.INTER_BROKER_TRUSTED, dir.resolve("ca.pem").toString());
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }
}
