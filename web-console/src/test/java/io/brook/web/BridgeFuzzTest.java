package io.brook.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.brook.protocol.Addresses;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzz of bridge frames: after every mutated frame the connection answers a ping (or, only
 * for an out-of-bounds length, was closed); a frame that is not a JSON object gets an err frame; no
 * frame leaves a SEVERE line or a stack trace; no frame buffer ever exceeds bridge.max.frame.bytes;
 * and a good request is served after every batch. {@code -Dbrook.fuzz.seed=N} replays a failure,
 * {@code -Dbrook.fuzz.bridge.cases=N} runs longer.
 */
class BridgeFuzzTest {
  static final int MAX_FRAME = 16 * 1024;
  static final int CASES = Integer.getInteger("brook.fuzz.bridge.cases", 10_000);
  static final int BATCH = 500;
  static final String ECHO = Addresses.produce(97);

  @TempDir
  static Path dataDir;
  static BrookNode node;

  @BeforeAll
  static void start() {
    node = new BrookNode(dataDir, new JsonObject().put("bridge.max.frame.bytes", MAX_FRAME));
    node.vertx.eventBus().consumer(ECHO, message -> message.reply(message.body()));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void mutatedFramesAreAnsweredOrClosedAndTheNodeServesOn() throws IOException {
    long seed = Long.getLong("brook.fuzz.seed", System.nanoTime());
    BridgeFrameFuzzer fuzzer = new BridgeFrameFuzzer(seed, MAX_FRAME, ECHO);
    long startNs = System.nanoTime();
    int closes = 0;
    try (LogCapture log = new LogCapture()) {
      for (int done = 0; done < CASES; ) {
        BridgeClient client = new BridgeClient(node.bridgePort);
        try {
          for (int i = 0; i < BATCH && done < CASES; i++, done++) {
            BridgeFrameFuzzer.Case fuzz = fuzzer.next();
            String where = "seed " + seed + ", case " + done + " (" + fuzz.kind() + ")";
            if (!survives(client, fuzz, where, done)) {
              closes++;
              client.close();
              client = new BridgeClient(node.bridgePort);
            }
          }
        } finally {
          client.close();
        }
        assertGoodRequestServed(seed, done);
        assertThat(log.severeOrTraced()).as("seed %d: %s", seed, LogCapture.describe(log.severeOrTraced())).isEmpty();
      }
      long infoLines = log.atLeast(Level.INFO).stream().filter(r -> r.getLoggerName().startsWith("io.brook.web")).count();
      assertThat(infoLines).as("seed %d: one line per connection at most", seed).isLessThanOrEqualTo(CASES / BATCH + closes);
    }
    assertThat(node.bridge.peakFrameBytes()).as("seed %d", seed).isLessThanOrEqualTo(MAX_FRAME);
    System.out.printf("bridge fuzz: %d cases (%d closed for a bad length) in %d ms, seed %d, peak frame %d bytes%n",
        CASES, closes, (System.nanoTime() - startNs) / 1_000_000, seed, node.bridge.peakFrameBytes());
  }

  /**
   * Writes the case, then a request to the echo address tagged with the case number (pongs cannot be
   * told apart, a tagged answer can); true when its answer came back, false when the server closed.
   */
  private static boolean survives(BridgeClient client, BridgeFrameFuzzer.Case fuzz, String where, int done)
      throws IOException {
    String sync = "sync-" + done;
    try {
      client.writeRaw(fuzz.bytes());
      client.write(new JsonObject().put("type", "send").put("address", ECHO).put("replyAddress", sync));
    } catch (IOException closedWhileWriting) {
      if (!fuzz.badLength()) {
        fail(where + ": connection closed on a frame with a valid length: " + closedWhileWriting);
      }
      return false;
    }
    boolean errSeen = false;
    for (JsonObject frame = client.read(); frame != null; frame = client.read()) {
      if (sync.equals(frame.getString("address")) && "message".equals(frame.getString("type"))) {
        if (fuzz.badLength()) {
          fail(where + ": a frame length out of bounds was not refused");
        }
        if (!isJsonObject(fuzz.payload())) {
          assertThat(errSeen).as(where + ": a frame that is not a JSON object gets an err frame: "
              + new String(fuzz.payload(), StandardCharsets.UTF_8)).isTrue();
        }
        return true;
      }
      errSeen |= "err".equals(frame.getString("type")) && frame.getString("message", "").startsWith("invalid_frame");
    }
    if (!fuzz.badLength()) {
      fail(where + ": connection closed on a frame with a valid length");
    }
    return false;
  }

  private static boolean isJsonObject(byte[] payload) {
    try {
      return Json.decodeValue(new String(payload, StandardCharsets.UTF_8)) instanceof JsonObject;
    } catch (DecodeException | IllegalArgumentException e) {
      return false;
    }
  }

  private static void assertGoodRequestServed(long seed, int done) throws IOException {
    try (BridgeClient client = new BridgeClient(node.bridgePort)) {
      JsonObject answer = client.request(Addresses.METADATA, "good", new JsonObject());
      assertThat(answer).as("seed %d after %d cases: the connection was closed", seed, done).isNotNull();
      assertThat(answer.getString("type")).as("seed %d after %d cases: %s", seed, done, answer.encode())
          .isEqualTo("message");
    }
  }
}
