package io.brook.protocol;

import io.brook.protocol.codec.BrookJson;
import io.brook.protocol.message.FetchRequest;
import io.brook.protocol.message.ProduceRequest;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.errors.InvalidRequestException;

/**
 * The edge of a handler: the request body as a message record, whether it came as the record
 * (Java clients, codec) or as JSON (bridge clients); and the reply in the same form it came.
 */
public final class Messages {
  private static final Map<Class<?>, Function<JsonObject, ?>> HAND_WRITTEN_JSON = Map.of(
      ProduceRequest.class, ProduceRequest::fromJson,
      FetchRequest.class, FetchRequest::fromJson);

  private Messages() {}

  /** The body as {@code type}; {@link InvalidRequestException} for any other body. */
  public static <T> T body(Message<?> message, Class<T> type) {
    Object body = message.body();
    if (type.isInstance(body)) {
      return type.cast(body);
    }
    if (body instanceof JsonObject json) {
      Function<JsonObject, ?> reader = HAND_WRITTEN_JSON.get(type);
      try {
        return type.cast(reader != null ? reader.apply(json) : BrookJson.fromJson(json, type));
      } catch (InvalidRequestException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new InvalidRequestException("malformed " + type.getSimpleName() + " body: " + e);
      }
    }
    String found = body == null ? "an empty body" : body.getClass().getSimpleName();
    throw new InvalidRequestException("expected a " + type.getSimpleName() + " (or its JSON form), got " + found);
  }

  /** Replies with {@code response}, as JSON if the request came as JSON. */
  public static void reply(Message<?> request, Object response) {
    if (request.body() instanceof JsonObject) {
      request.reply(BrookJson.toJson(response));
    } else {
      request.reply(response);
    }
  }
}
