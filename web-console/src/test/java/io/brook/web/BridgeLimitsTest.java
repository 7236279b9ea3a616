package io.brook.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.protocol.Addresses;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge bounds what one client can make it hold: a frame's declared length is checked before a
 * byte of it is buffered, connections and per-connection in-flight requests are capped, each tested
 * at its bound and one past it, and offenders get an err frame.
 */
class BridgeLimitsTest {
  static final int MAX_FRAME = 64 * 1024;
  static final int MAX_CONNECTIONS = 4;
  static final int MAX_INFLIGHT = 3;
  /** A client address no broker serves: the test answers it, or not, as it likes. */
  static final String PARKED = Addresses.produce(98);

  @TempDir
  static Path dataDir;
  static BrookNode node;
  static final List<Message<Object>> parked = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    node = new BrookNode(dataDir, new JsonObject()
        .put("bridge.max.frame.bytes", MAX_FRAME)
        .put("bridge.max.connections", MAX_CONNECTIONS)
        .put("bridge.max.inflight.requests.per.connection", MAX_INFLIGHT));
    node.vertx.eventBus().consumer(PARKED, parked::add);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void aHugeDeclaredLengthIsRefusedBeforeItsBytesArrive() throws IOException {
    try (LogCapture log = new LogCapture(); BridgeClient client = new BridgeClient(node.bridgePort)) {
      client.writeRaw(ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array()); // the header only
      JsonObject err = client.read();
      assertThat(err.getString("type")).isEqualTo("err");
      assertThat(err.getString("message")).contains("bridge.max.frame.bytes").contains(String.valueOf(MAX_FRAME));
      assertThat(client.read()).as("closed after the err frame").isNull();
      assertThat(log.severeOrTraced()).isEmpty();
    }
  }

  @Test
  void aNegativeLengthIsRefusedAndClosed() throws IOException {
    try (BridgeClient client = new BridgeClient(node.bridgePort)) {
      client.writeRaw(ByteBuffer.allocate(4).putInt(-5).array());
      JsonObject err = client.read();
      assertThat(err.getString("message")).contains("negative frame length -5");
      assertThat(client.read()).isNull();
    }
  }

  @Test
  void aFrameAtTheLimitIsServedAndOneByteMoreIsRefused() throws IOException {
    try (BridgeClient client = new BridgeClient(node.bridgePort)) {
      client.writeFrame(paddedPing(MAX_FRAME));
      assertThat(client.read().getString("type")).isEqualTo("pong");
      // the header alone is refused: had the server waited for the body it would never answer
      client.writeRaw(ByteBuffer.allocate(4).putInt(MAX_FRAME + 1).array());
      assertThat(client.read().getString("message")).contains("bridge.max.frame.bytes");
      assertThat(client.read()).isNull();
    }
  }

  /** A ping frame of exactly {@code bytes} bytes (JSON allows trailing spaces). */
  static byte[] paddedPing(int bytes) {
    String ping = new JsonObject().put("type", "ping").encode();
    return (ping + " ".repeat(bytes - ping.length())).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void oneConnectionMoreThanTheLimitIsClosedAtOnce() throws IOException {
    List<BridgeClient> open = new ArrayList<>();
    try {
      awaitConnectionsFreed();
      for (int i = 0; i < MAX_CONNECTIONS; i++) {
        BridgeClient client = new BridgeClient(node.bridgePort);
        open.add(client);
        assertThat(client.pings()).as("connection %d of %d", i + 1, MAX_CONNECTIONS).isTrue();
      }
      try (BridgeClient oneMore = new BridgeClient(node.bridgePort)) {
        JsonObject err = oneMore.read();
        assertThat(err.getString("message")).startsWith("too_many_connections").contains("bridge.max.connections");
        assertThat(oneMore.read()).isNull();
      }
      open.remove(0).close();
      awaitConnectionsFreed(); // a freed slot serves a new client
    } finally {
      for (BridgeClient client : open) {
        client.close();
      }
    }
  }

  private static void awaitConnectionsFreed() {
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      try (BridgeClient client = new BridgeClient(node.bridgePort)) {
        return client.pings();
      }
    });
  }

  @Test
  void oneRequestMoreThanTheInflightLimitIsRefusedAndTheConnectionServesOn() throws IOException {
    parked.clear();
    try (LogCapture log = new LogCapture(); BridgeClient client = new BridgeClient(node.bridgePort)) {
      JsonObject timeout = new JsonObject().put("timeout", 60_000);
      for (int i = 0; i < MAX_INFLIGHT; i++) {
        client.write(new JsonObject().put("type", "send").put("address", PARKED).put("replyAddress", "r" + i)
            .put("headers", timeout).put("body", new JsonObject().put("i", i)));
      }
      JsonObject refused = client.request(PARKED, "r-over", new JsonObject());
      assertThat(refused.getString("type")).isEqualTo("err");
      assertThat(refused.getString("address")).isEqualTo("r-over");
      assertThat(refused.getString("message")).startsWith("too_many_requests")
          .contains("bridge.max.inflight.requests.per.connection");

      await().atMost(Duration.ofSeconds(10)).until(() -> parked.size() == MAX_INFLIGHT);
      for (Message<Object> request : parked) {
        request.reply(request.body());
      }
      for (int i = 0; i < MAX_INFLIGHT; i++) {
        JsonObject answer = client.read();
        assertThat(answer.getString("type")).isEqualTo("message");
        assertThat(answer.getString("address")).isEqualTo("r" + answer.getJsonObject("body").getInteger("i"));
      }
      JsonObject metadata = client.request(Addresses.METADATA, "m", new JsonObject());
      assertThat(metadata.getString("type")).as(metadata.encode()).isEqualTo("message");
      assertThat(log.atLeast(Level.WARNING)).isEmpty();
    }
  }
}
