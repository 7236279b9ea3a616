package io.brook.web.bridge;

import io.brook.protocol.Addresses;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * One inbound bridge frame, validated: the Vert.x TCP bridge's JSON
 * {@code {"type", "address", "replyAddress", "headers", "body"}} with every field of the right type.
 * {@link #parse} is the one place a frame's shape is checked, so the dispatcher never meets a
 * missing or wrong-typed field. Immutable.
 *
 * @param type {@code send}, {@code publish}, {@code register}, {@code unregister} or {@code ping}
 * @param address null only for {@code ping}
 * @param replyAddress where the client expects the answer; null for a send that wants none
 * @param delivery the frame's headers: {@code timeout} (ms), {@code localOnly}, and string headers
 * @param body any JSON value, or null
 */
record BridgeFrame(String type, String address, String replyAddress, DeliveryOptions delivery, Object body) {
  static final String SEND = "send";
  static final String PUBLISH = "publish";
  static final String REGISTER = "register";
  static final String UNREGISTER = "unregister";
  static final String PING = "ping";

  /** The longest {@code timeout} header accepted (ten minutes, as {@code http.request.timeout.ms}). */
  static final long MAX_TIMEOUT_MS = 600_000;

  /** A frame's bytes as a JSON object. */
  static JsonObject decode(Buffer json) throws MalformedFrameException {
    Object value;
    try {
      value = Json.decodeValue(json);
    } catch (RuntimeException e) { // DecodeException, and Jackson's limits (nesting, number length)
      throw MalformedFrameException.invalid("not JSON: " + firstLine(e.getMessage()));
    }
    if (!(value instanceof JsonObject object)) {
      throw MalformedFrameException.invalid("a frame must be a JSON object");
    }
    return object;
  }

  /** Validates every field a frame of its type uses. */
  static BridgeFrame parse(JsonObject json) throws MalformedFrameException {
    String type = string(json, "type", true);
    switch (type) {
      case PING:
        return new BridgeFrame(type, null, null, new DeliveryOptions(), null);
      case SEND:
      case PUBLISH:
      case REGISTER:
      case UNREGISTER:
        break;
      default:
        throw new MalformedFrameException(MalformedFrameException.UNKNOWN_TYPE, "'" + abbreviate(type) + "'");
    }
    if (json.getValue("address") == null) {
      throw new MalformedFrameException(MalformedFrameException.MISSING_ADDRESS, "a " + type + " frame needs 'address'");
    }
    String address = string(json, "address", true);
    String replyAddress = string(json, "replyAddress", false);
    return new BridgeFrame(type, address, replyAddress, delivery(json.getValue("headers")), json.getValue("body"));
  }

  /** The frame's reply address when it has a usable one, to label an err frame; else null. */
  static String replyAddressOf(JsonObject json) {
    return json.getValue("replyAddress") instanceof String text ? text : null;
  }

  private static DeliveryOptions delivery(Object headers) throws MalformedFrameException {
    DeliveryOptions options = new DeliveryOptions();
    if (headers == null) {
      return options;
    }
    if (!(headers instanceof JsonObject map)) {
      throw MalformedFrameException.invalid("'headers' must be a JSON object");
    }
    for (Map.Entry<String, Object> header : map) {
      String name = header.getKey();
      Object value = header.getValue();
      switch (name) {
        case "timeout":
          options.setSendTimeout(timeoutMs(value));
          break;
        case "localOnly":
          if (!(value instanceof Boolean localOnly)) {
            throw MalformedFrameException.invalid("header 'localOnly' must be true or false");
          }
          options.setLocalOnly(localOnly);
          break;
        case "codecName":
          // bodies are JSON and answered as JSON; a named codec would hand brokers a type they do not expect
          throw MalformedFrameException.invalid("header 'codecName' is not supported: bodies are JSON");
        default:
          if (Addresses.isReservedHeader(name)) {
            // Brook's own headers (a controller's committed offset, the authenticated principal)
            throw MalformedFrameException.invalid("header '" + abbreviate(name) + "' is reserved for Brook");
          }
          if (!(value instanceof String text)) {
            throw MalformedFrameException.invalid("header '" + abbreviate(name) + "' must be a string");
          }
          options.addHeader(name, text);
      }
    }
    return options;
  }

  private static long timeoutMs(Object value) throws MalformedFrameException {
    if (!(value instanceof Integer || value instanceof Long)) {
      throw MalformedFrameException.invalid("header 'timeout' must be an integer (ms)");
    }
    long ms = ((Number) value).longValue();
    if (ms < 1 || ms > MAX_TIMEOUT_MS) {
      throw MalformedFrameException.invalid("header 'timeout' must be between 1 and " + MAX_TIMEOUT_MS + " ms");
    }
    return ms;
  }

  private static String string(JsonObject json, String key, boolean required) throws MalformedFrameException {
    Object value = json.getValue(key);
    if (value == null && !required) {
      return null;
    }
    if (value == null) {
      throw MalformedFrameException.invalid("'" + key + "' is missing");
    }
    if (!(value instanceof String text)) {
      throw MalformedFrameException.invalid("'" + key + "' must be a string");
    }
    return text;
  }

  /** Client text echoed in an error stays short. */
  static String abbreviate(String text) {
    return text.length() <= 64 ? text : text.substring(0, 64) + "...";
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "malformed";
    }
    int end = message.indexOf('\n');
    return abbreviate(end < 0 ? message : message.substring(0, end));
  }
}
