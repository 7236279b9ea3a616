package io.brook.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded generator of hostile bridge frames: good frames mutated field by field (wrong types,
 * missing or unknown values, odd headers) and byte by byte (flips, cuts, inserts), random bytes, and
 * lengths that are negative or above the limit. Same seed, same frames.
 */
final class BridgeFrameFuzzer {
  /** One case: the bytes to write, whether its length prefix is out of bounds (the server then closes). */
  record Case(String kind, byte[] bytes, boolean badLength, byte[] payload) {}

  private final Random random;
  private final int maxFrameBytes;
  private final List<JsonObject> corpus;

  BridgeFrameFuzzer(long seed, int maxFrameBytes, String echoAddress) {
    this.random = new Random(seed);
    this.maxFrameBytes = maxFrameBytes;
    JsonObject headers = new JsonObject().put("timeout", 5000).put("localOnly", false).put("x-trace", "t");
    this.corpus = List.of(
        new JsonObject().put("type", "ping"),
        new JsonObject().put("type", "send").put("address", echoAddress).put("replyAddress", "r")
            .put("headers", headers).put("body", new JsonObject().put("topic", "t").put("partition", 0)),
        new JsonObject().put("type", "send").put("address", echoAddress).put("body", new JsonArray().add(1)),
        new JsonObject().put("type", "send").put("address", "brook.internal.broker.1.replica-fetch")
            .put("replyAddress", "r").put("body", new JsonObject()),
        new JsonObject().put("type", "publish").put("address", echoAddress).put("body", "x"),
        new JsonObject().put("type", "register").put("address", echoAddress),
        new JsonObject().put("type", "unregister").put("address", echoAddress));
  }

  Case next() {
    int dice = random.nextInt(100);
    if (dice < 2) {
      return badLength();
    }
    byte[] payload;
    String kind;
    if (dice < 45) {
      kind = "field";
      payload = utf8(mutateField(pick()).encode());
    } else if (dice < 85) {
      kind = "bytes";
      payload = mutateBytes(utf8(pick().encode()));
    } else if (dice < 92) {
      kind = "random";
      payload = new byte[random.nextInt(64)];
      random.nextBytes(payload);
    } else if (dice < 96) {
      kind = "nested";
      String open = random.nextBoolean() ? "[" : "{\"a\":";
      payload = utf8(open.repeat(1 + random.nextInt(Math.min(3000, maxFrameBytes / 5))));
    } else {
      kind = "large";
      JsonObject frame = pick().put("pad", "p".repeat(random.nextInt(maxFrameBytes - 300)));
      payload = utf8(frame.encode());
    }
    if (payload.length > maxFrameBytes) {
      payload = Arrays.copyOf(payload, maxFrameBytes);
    }
    return new Case(kind, ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array(), false,
        payload);
  }

  private Case badLength() {
    int length = random.nextBoolean() ? -1 - random.nextInt(Integer.MAX_VALUE)
        : maxFrameBytes + 1 + random.nextInt(Integer.MAX_VALUE - maxFrameBytes - 1);
    byte[] trailer = new byte[random.nextInt(64 * 1024)]; // bytes the server must not keep
    random.nextBytes(trailer);
    return new Case("badLength", ByteBuffer.allocate(4 + trailer.length).putInt(length).put(trailer).array(), true,
        trailer);
  }

  private JsonObject pick() {
    return corpus.get(random.nextInt(corpus.size())).copy();
  }

  private JsonObject mutateField(JsonObject frame) {
    String[] fields = {"type", "address", "replyAddress", "headers", "body", "failureCode"};
    int mutations = 1 + random.nextInt(3);
    for (int i = 0; i < mutations; i++) {
      String field = fields[random.nextInt(fields.length)];
      if (field.equals("headers") && random.nextBoolean()) {
        String[] names = {"timeout", "localOnly", "codecName", "x", ""};
        JsonObject headers = frame.getValue("headers") instanceof JsonObject h ? h : new JsonObject();
        frame.put("headers", headers.put(names[random.nextInt(names.length)], randomValue(2)));
      } else if (random.nextInt(5) == 0) {
        frame.remove(field);
      } else {
        frame.put(field, randomValue(2));
      }
    }
    return frame;
  }

  private Object randomValue(int depth) {
    switch (random.nextInt(depth > 0 ? 12 : 10)) {
      case 0: return null;
      case 1: return random.nextInt();
      case 2: return random.nextLong();
      case 3: return random.nextDouble() * 1e300;
      case 4: return random.nextBoolean();
      case 5: return "";
      case 6: return "send";
      case 7: return "brook.api.metadata.x".substring(0, random.nextInt(21));
      case 8: return randomString();
      case 9: return -random.nextInt(100);
      case 10: return new JsonArray().add(randomValue(depth - 1)).add(randomValue(depth - 1));
      default: return new JsonObject().put(randomString(), randomValue(depth - 1));
    }
  }

  private String randomString() {
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(20);
    for (int i = 0; i < length; i++) {
      text.append((char) (random.nextBoolean() ? 32 + random.nextInt(95) : random.nextInt(0x3000)));
    }
    return text.toString();
  }

  private byte[] mutateBytes(byte[] json) {
    byte[] bytes = json;
    int mutations = 1 + random.nextInt(4);
    for (int i = 0; i < mutations && bytes.length > 0; i++) {
      int at = random.nextInt(bytes.length);
      switch (random.nextInt(4)) {
        case 0 -> bytes[at] = (byte) random.nextInt(256);
        case 1 -> bytes = Arrays.copyOf(bytes, at); // cut
        case 2 -> { // insert
          byte[] inserted = new byte[1 + random.nextInt(8)];
          random.nextBytes(inserted);
          byte[] out = new byte[bytes.length + inserted.length];
          System.arraycopy(bytes, 0, out, 0, at);
          System.arraycopy(inserted, 0, out, at, inserted.length);
          System.arraycopy(bytes, at, out, at + inserted.length, bytes.length - at);
          bytes = out;
        }
        default -> { // delete a range
          int end = Math.min(bytes.length, at + 1 + random.nextInt(8));
          byte[] out = new byte[bytes.length - (end - at)];
          System.arraycopy(bytes, 0, out, 0, at);
          System.arraycopy(bytes, end, out, at, bytes.length - end);
          bytes = out;
        }
      }
    }
    return bytes;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
