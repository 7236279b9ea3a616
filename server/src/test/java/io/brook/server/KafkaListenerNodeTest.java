package io.brook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node started with {@code kafka.port} serves the Kafka protocol there (so far: ApiVersions). */
@Tag("integration")
class KafkaListenerNodeTest {
  @TempDir
  Path root;

  @Test
  void aNodeWithAKafkaPortAnswersApiVersionsAndSaysWhereItListens() throws Exception {
    Map<String, Object> config = new HashMap<>(new TestCluster().brokerConfig(1, root));
    int port = TestCluster.freePort();
    config.put("kafka.port", port);
    config.put("advertised.listeners", "PLAINTEXT://localhost:" + port); // what clients are told, not what it binds
    try (ProcessBroker broker = new ProcessBroker(config).start()) {
      assertThat(broker.output()).contains("Kafka 127.0.0.1:" + port + " (PLAINTEXT)");
      try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
          org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port))) {
        assertThat(admin.describeCluster().nodes().get(60, java.util.concurrent.TimeUnit.SECONDS))
            .extracting(node -> node.host() + ":" + node.port()).containsExactly("localhost:" + port);
      }
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
        socket.setSoTimeout(10_000);
        ApiVersionsRequest request = new ApiVersionsRequest(new ApiVersionsRequestData()
            .setClientSoftwareName("brook-test").setClientSoftwareVersion("1"), (short) 3);
        RequestHeader header = new RequestHeader(ApiKeys.API_VERSIONS, (short) 3, "brook-test", 5);
        ByteBuffer body = request.serializeWithHeader(header);
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeInt(body.remaining());
        out.write(body.array(), body.arrayOffset() + body.position(), body.remaining());
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] frame = new byte[in.readInt()];
        in.readFully(frame);
        ApiVersionsResponse response = (ApiVersionsResponse) AbstractResponse.parseResponse(ByteBuffer.wrap(frame), header);
        assertThat(response.data().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.data().apiKeys().find(ApiKeys.API_VERSIONS.id)).isNotNull();
      }
    }
  }

  @Test
  void whereClientsMustLogInTheListenerTakesSaslAndAPlaintextOneStopsTheNode() throws Exception {
    Map<String, Object> config = new HashMap<>(new TestCluster().brokerConfig(1, root));
    int port = TestCluster.freePort();
    config.put("kafka.port", port);
    config.put("security.allow.anonymous", false);
    try (ProcessBroker broker = new ProcessBroker(config).start()) {
      assertThat(broker.output()).contains("Kafka 127.0.0.1:" + port + " (SASL_PLAINTEXT)");
      // an anonymous Kafka client gets nothing: its first request after ApiVersions closes the connection
      try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
          org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port,
          org.apache.kafka.clients.admin.AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000,
          org.apache.kafka.clients.admin.AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000))) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> admin.listTopics().names()
            .get(30, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(java.util.concurrent.ExecutionException.class);
      }
    }
    config.put("kafka.security.protocol", "PLAINTEXT");
    ProcessBroker refused = new ProcessBroker(config, root.resolve("refused.log"));
    org.assertj.core.api.Assertions.assertThatThrownBy(refused::start).hasMessageContaining("broker process exited")
        .hasMessageContaining("the Kafka listener PLAINTEXT://127.0.0.1:" + port + " serves clients without credentials")
        .hasMessageNotContaining("\tat ");
  }

  @Test
  void twoListenersEachTellTheirClientsTheirOwnEndpoints() throws Exception {
    Path adminPassword = java.nio.file.Files.writeString(root.resolve("admin.password"), "admin-secret\n");
    Map<String, Object> config = new HashMap<>(new TestCluster().brokerConfig(1, root));
    int plain = TestCluster.freePort();
    int sasl = TestCluster.freePort();
    config.put("kafka.port", plain); // turns the listeners on; listeners says where
    config.put("listeners", "PLAINTEXT://127.0.0.1:" + plain + ",SASL_PLAINTEXT://127.0.0.1:" + sasl);
    config.put("advertised.listeners", "PLAINTEXT://localhost:" + plain); // the other is advertised as it binds
    config.put("security.initial.user", "admin");
    config.put("security.initial.password.file", adminPassword.toString());
    try (ProcessBroker broker = new ProcessBroker(config).start()) {
      assertThat(broker.output()).contains("Kafka 127.0.0.1:" + plain + " (PLAINTEXT), 127.0.0.1:" + sasl
          + " (SASL_PLAINTEXT)");
      try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
          org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + plain))) {
        assertThat(admin.describeCluster().nodes().get(60, java.util.concurrent.TimeUnit.SECONDS))
            .extracting(node -> node.host() + ":" + node.port()).containsExactly("localhost:" + plain);
      }
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> { // the initial user is made once caught up
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
            org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + sasl,
            "security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-256",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"admin\" password=\"admin-secret\";"))) {
          return admin.describeCluster().nodes().get(10, java.util.concurrent.TimeUnit.SECONDS).stream()
              .map(node -> node.host() + ":" + node.port()).toList().equals(java.util.List.of("127.0.0.1:" + sasl));
        }
      });
    }
  }

  @Test
  void aTakenKafkaPortIsRefusedInOneLineNamingIt() throws Exception {
    Map<String, Object> config = new HashMap<>(new TestCluster().brokerConfig(1, root));
    int port = TestCluster.freePort();
    config.put("kafka.port", port);
    try (ServerSocket holder = new ServerSocket();
         ProcessBroker broker = new ProcessBroker(config)) {
      holder.bind(new InetSocketAddress("127.0.0.1", port));
      broker.launch();
      assertThat(broker.awaitExit(Duration.ofSeconds(60))).as("exit status").isNotZero();
      String console = broker.runOutput();
      assertThat(console.lines().filter(line -> line.startsWith("Brook could not start: ")))
          .singleElement().asString().contains("the Kafka listener cannot listen on 127.0.0.1:" + port).contains("kafka.port");
      assertThat(console).as("refused before joining the cluster").doesNotContain("joined cluster");
    }
  }
}
