package io.brook.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.protocol.Addresses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A raw TCP client (4-byte length + JSON frames) reaches the client addresses through the bridge
 * and gets JSON answers, and is refused internal and local addresses and registrations.
 */
class BridgeVerticleTest {
  @TempDir
  static Path dataDir;
  static BrookNode node;
  private Socket socket;
  private DataOutputStream out;
  private DataInputStream in;

  @BeforeAll
  static void start() {
    node = new BrookNode(dataDir);
    assertThat(node.post("/api/topics", "{\"name\":\"bridged\",\"partitions\":1}").statusCode()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @BeforeEach
  void connect() throws IOException {
    socket = new Socket("127.0.0.1", node.bridgePort);
    socket.setSoTimeout(30_000); // a missing answer fails the test instead of hanging it
    out = new DataOutputStream(socket.getOutputStream());
    in = new DataInputStream(socket.getInputStream());
  }

  @AfterEach
  void disconnect() throws IOException {
    socket.close();
  }

  private void write(JsonObject frame) throws IOException {
    byte[] json = frame.encode().getBytes(StandardCharsets.UTF_8);
    out.writeInt(json.length);
    out.write(json);
    out.flush();
  }

  private JsonObject read() throws IOException {
    byte[] json = new byte[in.readInt()];
    in.readFully(json);
    return new JsonObject(new String(json, StandardCharsets.UTF_8));
  }

  private JsonObject request(String address, JsonObject body) throws IOException {
    write(new JsonObject().put("type", "send").put("address", address).put("replyAddress", "r-" + address)
        .put("body", body));
    return read();
  }

  @Test
  void metadataAndProduceWithMessagesAnswerJson() throws IOException {
    // every topic: a "topics" filter trips BrookJson over nested JsonArrays (see the disabled test below)
    JsonObject metadata = request(Addresses.METADATA, new JsonObject());
    assertThat(metadata.getString("type")).as(metadata.encode()).isEqualTo("message");
    JsonObject topic = metadata.getJsonObject("body").getJsonArray("topics").stream()
        .map(JsonObject.class::cast).filter(t -> t.getString("name").equals("bridged")).findFirst().orElseThrow();
    int leader = topic.getJsonArray("partitions").getJsonObject(0).getInteger("leader");

    JsonObject produced = request(Addresses.produce(leader), new JsonObject()
        .put("topic", "bridged").put("partition", 0).put("acks", 1)
        .put("messages", new JsonArray().add(new JsonObject().put("key", "k").put("value", "hello"))));
    assertThat(produced.getString("type")).as(produced.encode()).isEqualTo("message");
    assertThat(produced.getJsonObject("body").getLong("baseOffset")).isEqualTo(0L);

    JsonObject fetched = request(Addresses.fetch(leader), new JsonObject()
        .put("topic", "bridged").put("partition", 0).put("fetchOffset", 0).put("maxWaitMs", 0));
    assertThat(fetched.getJsonObject("body").getLong("highWatermark")).isEqualTo(1L);
  }

  /** A non-Java member over the bridge, in JSON: find the coordinator, join twice, sync, commit, read back. */
  @Test
  void aBridgeClientIsAGroupMember() throws IOException {
    JsonObject found = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(
        () -> request(Addresses.FIND_COORDINATOR, new JsonObject().put("key", "bridged-group").put("keyType", "GROUP")),
        reply -> "message".equals(reply.getString("type")) && reply.getJsonObject("body").getString("error") == null);
    int coordinator = found.getJsonObject("body").getInteger("nodeId");
    JsonObject join = new JsonObject().put("groupId", "bridged-group").put("sessionTimeoutMs", 10_000)
        .put("rebalanceTimeoutMs", 10_000).put("memberId", "").put("protocolType", "consumer").put("clientId", "py")
        .put("protocols", new JsonArray().add(new JsonObject().put("name", "range").put("metadata", "AAE")));
    JsonObject first = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(
        () -> request(io.brook.protocol.GroupApi.JOIN_GROUP.address(coordinator), join).getJsonObject("body"),
        body -> !"COORDINATOR_LOAD_IN_PROGRESS".equals(body.getString("error")));
    assertThat(first.getString("error")).isEqualTo("MEMBER_ID_REQUIRED");
    String memberId = first.getString("memberId");
    JsonObject joined = request(io.brook.protocol.GroupApi.JOIN_GROUP.address(coordinator),
        join.copy().put("memberId", memberId)).getJsonObject("body");
    assertThat(joined.getString("error")).as(joined.encode()).isNull();
    assertThat(joined.getString("leader")).isEqualTo(memberId);
    assertThat(joined.getJsonArray("members").getJsonObject(0).getString("metadata")).isEqualTo("AAE");
    JsonObject synced = request(io.brook.protocol.GroupApi.SYNC_GROUP.address(coordinator), new JsonObject()
        .put("groupId", "bridged-group").put("generationId", joined.getInteger("generationId")).put("memberId", memberId)
        .put("assignments", new JsonArray().add(new JsonObject().put("memberId", memberId).put("assignment", "AQID"))))
        .getJsonObject("body");
    assertThat(synced.getString("assignment")).as("bytes as base64url").isEqualTo("AQID");
    JsonObject committed = request(io.brook.protocol.GroupApi.OFFSET_COMMIT.address(coordinator), new JsonObject()
        .put("groupId", "bridged-group").put("generationId", joined.getInteger("generationId")).put("memberId", memberId)
        .put("offsets", new JsonArray().add(new JsonObject().put("topic", "bridged").put("partition", 0).put("offset", 5)
            .put("leaderEpoch", -1).put("metadata", "")))).getJsonObject("body");
    assertThat(committed.getJsonArray("partitions").getJsonObject(0).getString("error")).isNull();
    JsonObject fetched = request(io.brook.protocol.GroupApi.OFFSET_FETCH.address(coordinator), new JsonObject()
        .put("groupId", "bridged-group")).getJsonObject("body");
    assertThat(fetched.getJsonArray("offsets").getJsonObject(0).getLong("offset")).isEqualTo(5L);
  }

  @Test
  void metadataForNamedTopics() throws IOException {
    JsonObject metadata = request(Addresses.METADATA, new JsonObject().put("topics", new JsonArray().add("bridged")));
    assertThat(metadata.getString("type")).as(metadata.encode()).isEqualTo("message");
    assertThat(metadata.getJsonObject("body").getJsonArray("topics")).hasSize(1);
  }

  @Test
  void brokerErrorsComeBackAsErrFrames() throws IOException {
    JsonObject failed = request(Addresses.produce(BrookNode.NODE_ID), new JsonObject()
        .put("topic", "missing").put("partition", 0).put("acks", 1)
        .put("messages", new JsonArray().add(new JsonObject().put("value", "x"))));
    assertThat(failed.getString("type")).as(failed.encode()).isEqualTo("err");
    assertThat(failed.getString("message")).startsWith("UNKNOWN_TOPIC_OR_PARTITION");
  }

  @Test
  void internalAndLocalAddressesAreRefused() throws IOException {
    for (String address : new String[] {"brook.internal.replica.fetch", Addresses.localLog("bridged", 0),
        Addresses.LOCAL_FLUSH_TICK, "brook.api.metadata.extra", Addresses.metricsSnapshot(BrookNode.NODE_ID)}) {
      JsonObject refused = request(address, new JsonObject());
      assertThat(refused.getString("type")).as(address).isEqualTo("err");
      assertThat(refused.getString("message")).as(address).isEqualTo("access_denied");
    }
  }

  @Test
  void everyMalformedFrameGetsAnErrFrameNoStackTraceAndTheConnectionServesOn() throws IOException {
    String metadata = Addresses.METADATA;
    String[] frames = {
        "not json", "[1,2]", "\"send\"", "", "{}", "{\"type\":5,\"address\":\"" + metadata + "\"}",
        "{\"type\":\"bogus\",\"address\":\"" + metadata + "\"}", "{\"type\":null}",
        "{\"type\":\"send\"}", "{\"type\":\"send\",\"address\":7}",
        "{\"type\":\"send\",\"address\":\"" + metadata + "\",\"replyAddress\":{}}",
        "{\"type\":\"send\",\"address\":\"" + metadata + "\",\"headers\":{\"timeout\":\"x\"}}",
        "{\"type\":\"send\",\"address\":\"" + metadata + "\",\"headers\":{\"timeout\":-1}}",
        "{\"type\":\"send\",\"address\":\"" + metadata + "\",\"headers\":{\"codecName\":\"nope\"}}",
        "{\"type\":\"send\",\"address\":\"" + metadata + "\",\"headers\":{\"localOnly\":\"x\"}}",
        "{\"type\":\"send\",\"address\":\"" + metadata + "\",\"headers\":{\"h\":[1]}}",
        "{\"type\":\"send\",\"address\":\"" + metadata + "\",\"headers\":{\"Brook-Principal\":\"User:admin\"}}",
        "{\"type\":\"send\",\"address\":\"" + metadata + "\",\"headers\":\"x\"}",
        "[".repeat(5000), "{\"type\":\"send\",\"address\":\"" + metadata + "\",\"body\":" + "9".repeat(5000) + "}",
    };
    try (LogCapture log = new LogCapture()) {
      for (String frame : frames) {
        out.writeInt(frame.length());
        out.write(frame.getBytes(StandardCharsets.UTF_8));
        out.flush();
        JsonObject err = read();
        assertThat(err.getString("type")).as(frame).isEqualTo("err");
        assertThat(err.getString("message")).as(frame).matches("(invalid_frame|unknown_type|missing_address): .+");
      }
      out.writeInt(3);
      out.write(new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0x80}); // not UTF-8
      out.flush();
      assertThat(read().getString("message")).startsWith("invalid_frame");
      JsonObject good = request(Addresses.METADATA, new JsonObject());
      assertThat(good.getString("type")).as(good.encode()).isEqualTo("message");
      assertThat(log.severeOrTraced()).as(LogCapture.describe(log.severeOrTraced())).isEmpty();
      assertThat(log.atLeast(java.util.logging.Level.INFO).stream()
          .filter(r -> r.getMessage().contains("malformed frame"))).as("one line per connection").hasSize(1);
    }
  }

  @Test
  void pingAndUnregisterAnswer() throws IOException {
    write(new JsonObject().put("type", "ping"));
    assertThat(read().getString("type")).isEqualTo("pong");
    write(new JsonObject().put("type", "unregister").put("address", Addresses.METADATA));
    assertThat(read().getString("message")).isEqualTo("unknown_address");
    write(new JsonObject().put("type", "unregister").put("address", "brook.internal.x"));
    assertThat(read().getString("message")).isEqualTo("access_denied");
  }

  @Test
  void registeringOrPublishingOnClientAddressesIsRefused() throws IOException {
    write(new JsonObject().put("type", "register").put("address", Addresses.METADATA));
    JsonObject refused = read();
    assertThat(refused.getString("type")).isEqualTo("err");
    write(new JsonObject().put("type", "publish").put("address", Addresses.METADATA).put("body", new JsonObject()));
    assertThat(read().getString("type")).isEqualTo("err");
    // the connection still serves requests
    assertThat(request(Addresses.METADATA, new JsonObject()).getString("type")).isEqualTo("message");
  }
}
