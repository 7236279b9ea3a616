package io.brook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.brook.cluster.ClusterConfig;
import io.brook.cluster.TlsZookeeperServer;
import java.nio.file.Files;
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
 * The README's secure cluster, in processes: brokers form a cluster through a ZooKeeper server that
 * speaks only TLS and requires client certificates (Brook's zookeeper.ssl.* keys, bin/brook-certs'
 * files), with mutual TLS on the event bus, HTTPS, no anonymous clients, ACLs and an initial super
 * user; they serve a replicated topic to a client member (acks=all, read back), and over HTTPS the
 * admin creates a user and grants it a topic, which the user then writes and reads, and nothing else.
 * A broker whose key store holds an expired certificate does not start and says why in one line.
 * (Members refused by ZooKeeper: {@code ZookeeperTlsTest}, cluster module; by the event bus:
 * {@code InterBrokerTlsTest}.)
 */
@Tag("integration")
class ZookeeperTlsClusterTest {
  @TempDir
  Path root;

  @Test
  void theReadmesSecureClusterServesItsClientsAndChecksWhoTheyAre() throws Exception {
    Path certs = root.resolve("certs");
    run("../bin/brook-certs", certs.toString(), "zookeeper", "broker", "client");
    run("../bin/brook-certs", "--days", "-1", certs.toString(), "expired");
    Path adminPassword = Files.writeString(root.resolve("admin.password"), "admin-secret\n");
    Map<String, Object> brokerKeys = new HashMap<>(eventBusTls(certs, "broker"));
    brokerKeys.putAll(Map.of(ClusterConfig.ZOOKEEPER_KEYSTORE, certs.resolve("broker.keystore.pem").toString(),
        "http.tls", true, "http.ssl.key.location", certs.resolve("broker.key").toString(),
        "http.ssl.certificate.location", certs.resolve("broker.pem").toString(),
        "security.allow.anonymous", false, "authorizer.enabled", true, "super.users", "User:admin",
        "security.initial.user", "admin", "security.initial.password.file", adminPassword.toString()));
    Map<String, Object> clientKeys = new HashMap<>(tls(zookeeper(root, certs), certs, "client"));
    clientKeys.putAll(eventBusTls(certs, "client"));
    try (TlsZookeeperServer zookeeper = this.zookeeper;
         ProcessCluster cluster = new ProcessCluster(root, clientKeys, brokerKeys)) {
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

      SecureHttp admin = new SecureHttp(cluster.httpPort(1), certs.resolve("ca.pem"), "admin", "admin-secret");
      await().atMost(Duration.ofSeconds(30)).until(() -> admin.send("GET", "/api/users", null).statusCode() == 200);
      assertThat(admin.send("POST", "/api/users", "{\"name\":\"alice\",\"password\":\"alice-secret\"}")
          .statusCode()).isEqualTo(201);
      assertThat(admin.send("POST", "/api/acls", "{\"acls\":[{\"resourceType\":\"TOPIC\",\"resourceName\":\"secure\","
          + "\"principal\":\"User:alice\",\"operation\":\"WRITE\"},{\"resourceType\":\"TOPIC\",\"resourceName\":"
          + "\"secure\",\"principal\":\"User:alice\",\"operation\":\"READ\"}]}").statusCode()).isEqualTo(201);
      // alice, through the other broker: the user and her ACLs are the cluster's, not one node's
      SecureHttp alice = new SecureHttp(cluster.httpPort(2), certs.resolve("ca.pem"), "alice", "alice-secret");
      var produced = alice.send("POST", "/api/topics/secure/records", "{\"acks\":-1,\"records\":[{\"value\":\"from-alice\"}]}");
      assertThat(produced.statusCode()).as(produced.body()).isEqualTo(200);
      long offset = new io.vertx.core.json.JsonObject(produced.body()).getJsonArray("offsets").getJsonObject(0)
          .getLong("offset");
      var read = alice.send("GET", "/api/topics/secure/records?partition=0&offset=" + offset + "&limit=1", null);
      assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
      assertThat(read.body()).contains("from-alice");
      var notAllowed = alice.send("POST", "/api/topics", "{\"name\":\"alices\"}");
      assertThat(notAllowed.statusCode()).isEqualTo(403);
      assertThat(notAllowed.body()).contains("TOPIC_AUTHORIZATION_FAILED");
      assertThat(new SecureHttp(cluster.httpPort(2), certs.resolve("ca.pem"), "alice", "guess")
          .send("GET", "/api/topics", null).statusCode()).isEqualTo(401);

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

  private TlsZookeeperServer zookeeper;

  private TlsZookeeperServer zookeeper(Path root, Path certs) throws Exception {
    zookeeper = TlsZookeeperServer.start(root.resolve("zk"), certs.resolve("zookeeper.keystore.pem"),
        certs.resolve("ca.pem"));
    return zookeeper;
  }

  private static Map<String, Object> eventBusTls(Path certs, String name) {
    return Map.of(ClusterConfig.INTER_BROKER_TLS, true,
        ClusterConfig.INTER_BROKER_KEY, certs.resolve(name + ".key").toString(),
        ClusterConfig.INTER_BROKER_CERTIFICATE, certs.resolve(name + ".pem").toString(),
        ClusterConfig.INTER_BROKER_TRUSTED, certs.resolve("ca.pem").toString());
  }

  /** HTTPS with Basic credentials, trusting only the cluster's CA. */
  private record SecureHttp(int port, Path ca, String user, String password) {
    java.net.http.HttpResponse<String> send(String method, String path, String body) throws Exception {
      java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      try (var in = Files.newInputStream(ca)) {
        trust.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
      }
      javax.net.ssl.TrustManagerFactory trustManagers =
          javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
      trustManagers.init(trust);
      javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
      context.init(null, trustManagers.getTrustManagers(), null);
      java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().sslContext(context).build();
      String credentials = java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
      return client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("https://localhost:" + port + path))
          .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
              : java.net.http.HttpRequest.BodyPublishers.ofString(body))
          .header("content-type", "application/json").header("Authorization", "Basic " + credentials)
          .timeout(Duration.ofSeconds(30)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
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
