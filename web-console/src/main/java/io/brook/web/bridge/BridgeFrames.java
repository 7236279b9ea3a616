package io.brook.web.bridge;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * Outbound bridge frames, in the Vert.x TCP bridge's shapes (so its clients need no change): a
 * 4-byte big-endian length, then the JSON. Stateless.
 */
final class BridgeFrames {
  private BridgeFrames() {}

  /** A broker's answer: {@code {"type":"message","address":replyAddress,"headers":{},"body":...,"send":true}}. */
  static Buffer message(String replyAddress, Message<?> reply) {
    JsonObject frame = new JsonObject().put("type", "message").put("address", replyAddress);
    if (reply.replyAddress() != null) {
      frame.put("replyAddress", reply.replyAddress());
    }
    return encode(frame.put("headers", BridgeConnection.headers(reply)).put("body", reply.body()).put("send", true));
  }

  /** A failed request, as the Vert.x bridge sends it: failure code and type, and the wire error's message. */
  static Buffer failure(String address, String replyAddress, ReplyException failure) {
    return encode(new JsonObject()
        .put("type", "err")
        .put("address", replyAddress)
        .put("sourceAddress", address)
        .put("failureCode", failure.failureCode())
        .put("failureType", failure.failureType().name())
        .put("message", failure.getMessage()));
  }

  /** A refused frame: {@code {"type":"err","message":...}}, labelled with its reply address when it had one. */
  static Buffer err(String message, String replyAddress) {
    JsonObject frame = new JsonObject().put("type", "err");
    if (replyAddress != null) {
      frame.put("address", replyAddress);
    }
    return encode(frame.put("message", message));
  }

  static Buffer pong() {
    return encode(new JsonObject().put("type", "pong"));
  }

  private static Buffer encode(JsonObject frame) {
    byte[] json = frame.encode().getBytes(StandardCharsets.UTF_8);
    return Buffer.buffer(4 + json.length).appendInt(json.length).appendBytes(json);
  }
}
