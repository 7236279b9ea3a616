package io.brook.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The listener's framing, ordering, limits and ApiVersions, over a plain socket with kafka-clients' message classes. */
class KafkaListenerTest {
  private Vertx vertx;
  private int port;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    KafkaListenerVerticle listener = new KafkaListenerVerticle();
    vertx.deployVerticle(listener, new DeploymentOptions().setConfig(new JsonObject()
        .put("kafka.port", "0").put("socket.request.max.bytes", "65536").put("max.connections", "50"))).await();
    port = listener.actualPort();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void apiVersionsAdvertisesWhatIsServedAndRecordsTheClientSoftware() throws IOException {
    try (KafkaTestClient client = new KafkaTestClient(port)) {
      ApiVersionsResponse response = (ApiVersionsResponse) client.call(new ApiVersionsRequest(new ApiVersionsRequestData()
          .setClientSoftwareName("brook-test").setClientSoftwareVersion("1.0"), (short) 3), 7);
      assertThat(response.data().errorCode()).isEqualTo(Errors.NONE.code());
      assertThat(response.data().apiKeys()).extracting(ApiVersionsResponseData.ApiVersion::apiKey)
          .containsExactlyInAnyOrder(ApiKeys.API_VERSIONS.id, ApiKeys.METADATA.id, ApiKeys.PRODUCE.id, ApiKeys.FETCH.id,
              ApiKeys.LIST_OFFSETS.id, ApiKeys.CREATE_TOPICS.id, ApiKeys.DELETE_TOPICS.id, ApiKeys.FIND_COORDINATOR.id,
              ApiKeys.JOIN_GROUP.id, ApiKeys.SYNC_GROUP.id, ApiKeys.HEARTBEAT.id, ApiKeys.LEAVE_GROUP.id,
              ApiKeys.OFFSET_COMMIT.id, ApiKeys.OFFSET_FETCH.id, ApiKeys.LIST_GROUPS.id, ApiKeys.DESCRIBE_GROUPS.id,
              ApiKeys.DELETE_GROUPS.id, ApiKeys.DESCRIBE_CONFIGS.id, ApiKeys.INCREMENTAL_ALTER_CONFIGS.id,
              ApiKeys.INIT_PRODUCER_ID.id, ApiKeys.CREATE_PARTITIONS.id, ApiKeys.DELETE_RECORDS.id,
              ApiKeys.ELECT_LEADERS.id, ApiKeys.DESCRIBE_CLUSTER.id, ApiKeys.ALTER_CONFIGS.id,
              ApiKeys.OFFSET_FOR_LEADER_EPOCH.id, ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS.id,
              ApiKeys.ALTER_USER_SCRAM_CREDENTIALS.id, ApiKeys.OFFSET_DELETE.id, ApiKeys.DESCRIBE_LOG_DIRS.id,
              ApiKeys.ALTER_PARTITION_REASSIGNMENTS.id, ApiKeys.LIST_PARTITION_REASSIGNMENTS.id);
      // topics by name: the versions that name topics by id are not served yet
      assertThat(response.data().apiKeys().find(ApiKeys.PRODUCE.id).maxVersion()).isEqualTo((short) 12);
      assertThat(response.data().apiKeys().find(ApiKeys.FETCH.id).maxVersion()).isEqualTo((short) 12);
      ApiVersionsResponseData.ApiVersion versions = response.data().apiKeys().find(ApiKeys.API_VERSIONS.id);
      assertThat(versions.minVersion()).isZero();
      assertThat(versions.maxVersion()).isEqualTo(ApiKeys.API_VERSIONS.latestVersion());
    }
  }

  @Test
  void anUnknownApiVersionsVersionIsAnsweredAtV0WithTheKeyList() throws IOException {
    try (KafkaTestClient client = new KafkaTestClient(port)) {
      // ApiVersions v99 with a v2 header (client id only): what a client newer than Brook sends first
      ByteBuffer frame = ByteBuffer.allocate(2 + 2 + 4 + 2 + 4 + 1);
      frame.putShort(ApiKeys.API_VERSIONS.id).putShort((short) 99).putInt(41).putShort((short) 4).put("test".getBytes())
          .put((byte) 0); // no tagged fields
      client.send(frame.array());
      ByteBuffer reply = client.receive();
      assertThat(reply.getInt()).as("correlation id").isEqualTo(41);
      ApiVersionsResponse response = ApiVersionsResponse.parse(new org.apache.kafka.common.protocol.ByteBufferAccessor(reply), (short) 0);
      assertThat(response.data().errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
      assertThat(response.data().apiKeys().find(ApiKeys.API_VERSIONS.id)).isNotNull();
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderAndAnApiNotServedGetsUnsupportedVersion() throws IOException {
    try (KafkaTestClient client = new KafkaTestClient(port)) {
      List<AbstractRequest> requests = List.of(
          new ApiVersionsRequest(software(), (short) 3),
          new org.apache.kafka.common.requests.ListTransactionsRequest.Builder(
              new org.apache.kafka.common.message.ListTransactionsRequestData()).build((short) 0),
          new ApiVersionsRequest(new ApiVersionsRequestData(), (short) 2));
      for (int i = 0; i < requests.size(); i++) {
        client.write(requests.get(i), 100 + i);
      }
      for (int i = 0; i < requests.size(); i++) {
        AbstractResponse response = client.read(requests.get(i), 100 + i);
        Errors expected = requests.get(i).apiKey() == ApiKeys.LIST_TRANSACTIONS ? Errors.UNSUPPORTED_VERSION : Errors.NONE;
        assertThat(response.errorCounts()).as("response %d", i).containsKey(expected);
      }
    }
  }

  @Test
  void badFramesCloseOnlyTheirConnectionWithoutAStackTrace() throws IOException {
    byte[][] bad = {
        ByteBuffer.allocate(4).putInt(-1).array(), // negative size
        ByteBuffer.allocate(4).putInt(200 * 1024 * 1024).array(), // above socket.request.max.bytes: refused unread
        ByteBuffer.allocate(4).putInt(0).array(), // empty request
        ByteBuffer.allocate(14).putInt(10).putShort((short) 999).putShort((short) 0).putInt(1).putShort((short) -1).array(),
        ByteBuffer.allocate(10).putInt(6).put(new byte[] {1, 2, 3, 4, 5, 6}).array(), // truncated header
        ByteBuffer.allocate(24).putInt(20).putShort(ApiKeys.API_VERSIONS.id).putShort((short) 3).putInt(1)
            .putShort((short) 0).put(new byte[10]).array(), // garbage after a valid header
    };
    for (byte[] frame : bad) {
      try (KafkaTestClient client = new KafkaTestClient(port)) {
        client.rawWrite(frame);
        assertThat(client.closedByServer()).as("connection closed after %s", java.util.Arrays.toString(frame)).isTrue();
      }
    }
    try (KafkaTestClient client = new KafkaTestClient(port)) { // everyone else is still served
      assertThat(client.call(new ApiVersionsRequest(software(), (short) 3), 1).errorCounts())
          .containsKey(Errors.NONE);
    }
  }

  @Test
  void tenThousandConnectionsOpenedAndDroppedLeaveTheListenerServing() throws IOException {
    for (int i = 0; i < 10_000; i++) {
      new Socket(InetAddress.getLoopbackAddress(), port).close();
    }
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
      try (KafkaTestClient client = new KafkaTestClient(port)) {
        return client.call(new ApiVersionsRequest(software(), (short) 3), 1).errorCounts()
            .containsKey(Errors.NONE);
      }
    });
  }

  @Test
  void connectionsPastMaxConnectionsAreClosed() throws IOException {
    List<KafkaTestClient> open = new ArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        KafkaTestClient client = new KafkaTestClient(port);
        client.call(new ApiVersionsRequest(software(), (short) 3), i); // accepted and served
        open.add(client);
      }
      try (KafkaTestClient extra = new KafkaTestClient(port)) {
        extra.rawWrite(new byte[0]);
        assertThat(extra.closedByServer()).isTrue();
      }
    } finally {
      for (KafkaTestClient client : open) {
        client.close();
      }
    }
  }

  @Test
  void anIdleConnectionIsClosedAfterConnectionsMaxIdleMs() throws IOException {
    KafkaListenerVerticle idle = new KafkaListenerVerticle();
    vertx.deployVerticle(idle, new DeploymentOptions().setConfig(new JsonObject()
        .put("kafka.port", "0").put("connections.max.idle.ms", "1000"))).await();
    try (KafkaTestClient client = new KafkaTestClient(idle.actualPort())) {
      client.call(new ApiVersionsRequest(software(), (short) 3), 1); // served, then left idle
      long start = System.nanoTime();
      assertThat(client.closedByServer()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(5));
    }
  }

  @Test
  void aListenerWithoutSaslDoesNotStartWhereAnonymousClientsAreNotAllowed() {
    for (JsonObject config : List.of(
        new JsonObject().put("kafka.port", "0").put("security.allow.anonymous", "false")
            .put("kafka.security.protocol", "PLAINTEXT"),
        new JsonObject().put("kafka.port", "0").put("kafka.host", "0.0.0.0").put("kafka.security.protocol", "PLAINTEXT"))) {
      Throwable refused = vertx.deployVerticle(new KafkaListenerVerticle(), new DeploymentOptions().setConfig(config))
          .transform(done -> io.vertx.core.Future.succeededFuture(done.cause())).await();
      assertThat(refused).as("start with %s", config).isNotNull()
          .hasMessageContaining("serves clients without credentials");
    }
    // allowed explicitly, it starts
    assertThat(vertx.deployVerticle(new KafkaListenerVerticle(), new DeploymentOptions().setConfig(new JsonObject()
        .put("kafka.port", "0").put("security.allow.anonymous", "true"))).await()).isNotNull();
  }

  /** What every client since Kafka 2.4 sends in ApiVersions v3+ (KIP-511); an empty name is refused. */
  private static ApiVersionsRequestData software() {
    return new ApiVersionsRequestData().setClientSoftwareName("brook-test").setClientSoftwareVersion("1.0");
  }
}
