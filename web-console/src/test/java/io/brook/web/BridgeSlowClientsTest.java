package io.brook.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.protocol.Addresses;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge ends what a slow or idle client holds, over real sockets: an idle connection is closed
 * after bridge.idle.timeout.ms (one waiting for an answer is not), a frame trickled a byte at a time
 * is closed after bridge.frame.read.timeout.ms while a busy connection serves on, and the bytes of
 * partly read frames over all connections never pass bridge.max.buffered.bytes, however many
 * connections each send a large partial frame; good requests work afterwards.
 */
class BridgeSlowClientsTest {
  static final int MAX_FRAME = 64 * 1024;
  static final long MAX_BUFFERED = 256 * 1024;
  static final long IDLE_MS = 1_000;
  static final long FRAME_MS = 1_000;
  static final String PARKED = Addresses.produce(97);

  @TempDir
  static Path dataDir;
  static BrookNode node;
  static final List<Message<Object>> parked = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    node = new BrookNode(dataDir, new JsonObject()
        .put("bridge.max.frame.bytes", MAX_FRAME)
        .put("bridge.max.buffered.bytes", MAX_BUFFERED)
        .put("bridge.max.connections", 64)
        .put("bridge.idle.timeout.ms", IDLE_MS)
        .put("bridge.frame.read.timeout.ms", FRAME_MS));
    node.vertx.eventBus().consumer(PARKED, parked::add);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void anIdleConnectionIsClosedAfterTheIdleTimeoutButOneWaitingForAnAnswerIsNot() throws IOException {
    parked.clear();
    try (BridgeClient idle = new BridgeClient(node.bridgePort); BridgeClient waiting = new BridgeClient(node.bridgePort)) {
      long startNs = System.nanoTime();
      assertThat(idle.pings()).isTrue();
      waiting.write(new JsonObject().put("type", "send").put("address", PARKED).put("replyAddress", "w")
          .put("headers", new JsonObject().put("timeout", 60_000)).put("body", new JsonObject().put("i", 1)));

      JsonObject closing = idle.read(); // blocks until the server ends the connection
      assertThat(elapsedMs(startNs)).isGreaterThanOrEqualTo(IDLE_MS);
      assertThat(closing.getString("type")).isEqualTo("err");
      assertThat(closing.getString("message")).startsWith("idle_timeout").contains("bridge.idle.timeout.ms");
      assertThat(idle.read()).isNull();

      await().atMost(Duration.ofSeconds(10)).until(() -> parked.size() == 1);
      await().during(Duration.ofMillis(2 * IDLE_MS)).atMost(Duration.ofSeconds(10))
          .until(() -> node.bridge.connections() == 1); // the waiting one outlives its idle timeout
      parked.get(0).reply(new JsonObject().put("answered", true));
      JsonObject answer = waiting.read();
      assertThat(answer.getString("type")).isEqualTo("message");
      assertThat(answer.getJsonObject("body").getBoolean("answered")).isTrue();
      assertThat(waiting.read().getString("message")).as("idle once answered").startsWith("idle_timeout");
    }
  }

  @Test
  void aTricklingFrameIsClosedAfterTheFrameTimeoutWhileABusyConnectionServesOn() throws Exception {
    try (BridgeClient trickler = new BridgeClient(node.bridgePort); BridgeClient busy = new BridgeClient(node.bridgePort)) {
      long startNs = System.nanoTime();
      trickler.writeRaw(ByteBuffer.allocate(4).putInt(100).array()); // a 100-byte frame, sent a byte per poll
      CompletableFuture<JsonObject> verdict = CompletableFuture.supplyAsync(() -> read(trickler));
      AtomicInteger pongs = new AtomicInteger();
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
        trickle(trickler);
        assertThat(busy.pings()).isTrue();
        pongs.incrementAndGet();
        return verdict.isDone();
      });
      assertThat(elapsedMs(startNs)).isGreaterThanOrEqualTo(FRAME_MS);
      JsonObject closing = verdict.get();
      assertThat(closing.getString("type")).isEqualTo("err");
      assertThat(closing.getString("message")).startsWith("frame_timeout").contains("bridge.frame.read.timeout.ms");
      assertThat(read(trickler)).isNull();

      // the busy connection, a ping every 100 ms, outlives both timeouts
      await().during(Duration.ofMillis(FRAME_MS + IDLE_MS)).atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(100)).until(() -> {
            pongs.incrementAndGet();
            return busy.pings();
          });
      assertThat(pongs.get()).isGreaterThan(10);
    }
  }

  @Test
  void theBufferBudgetHoldsUnderManyLargePartialFramesAndGoodRequestsWorkAfterwards() throws IOException {
    int partial = 48 * 1024;
    int clients = 24; // 24 x 48 KiB = 1.1 MiB of partial frames against a 256 KiB budget
    List<BridgeClient> flood = new ArrayList<>();
    int busy = 0;
    int timedOut = 0;
    try {
      for (int i = 0; i < clients; i++) {
        BridgeClient client = new BridgeClient(node.bridgePort);
        flood.add(client);
        client.writeRaw(ByteBuffer.allocate(4 + partial).putInt(MAX_FRAME).array()); // header + 48 KiB of zeros
      }
      for (BridgeClient client : flood) {
        JsonObject closing = client.read(); // server_busy at once, or frame_timeout for those it held
        String message = closing == null ? "(reset)" : closing.getString("message");
        if (message.startsWith("server_busy")) {
          busy++;
        } else if (message.startsWith("frame_timeout")) {
          timedOut++;
        }
      }
    } finally {
      for (BridgeClient client : flood) {
        client.close();
      }
    }
    assertThat(node.bridge.peakBufferedBytes()).as("the budget holds").isLessThanOrEqualTo(MAX_BUFFERED)
        .as("and was used").isGreaterThan(MAX_BUFFERED / 2);
    assertThat(busy).as("refused with server_busy").isGreaterThanOrEqualTo(clients / 2);
    assertThat(timedOut).as("held until their frame timeout").isPositive();
    assertThat(busy + timedOut).isEqualTo(clients);
    await().atMost(Duration.ofSeconds(10)).until(() -> node.bridge.bufferedBytes() == 0);

    try (BridgeClient good = new BridgeClient(node.bridgePort)) {
      good.writeFrame(BridgeLimitsTest.paddedPing(MAX_FRAME)); // a whole frame of the largest size
      assertThat(good.read().getString("type")).isEqualTo("pong");
      JsonObject metadata = good.request(Addresses.METADATA, "m", new JsonObject());
      assertThat(metadata.getString("type")).as(metadata.encode()).isEqualTo("message");
    }
  }

  private static long elapsedMs(long startNs) {
    return (System.nanoTime() - startNs) / 1_000_000;
  }

  private static JsonObject read(BridgeClient client) {
    try {
      return client.read();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void trickle(BridgeClient client) {
    try {
      client.writeRaw(new byte[] {' '});
    } catch (IOException closedByTheServer) {
      // the verdict says why
    }
  }
}
