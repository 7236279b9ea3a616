package io.brook.protocol;

import io.brook.protocol.codec.BrookJson;
import io.brook.protocol.message.FetchRequest;
import io.brook.protocol.message.Nullable;
import io.brook.protocol.message.ProduceRequest;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
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

  /** A record field that could be null, with its accessor resolved once. */
  private record ReferenceField(String name, MethodHandle accessor) {}

  /**
   * Per request type, the fields that could be null, looked up once: produce and fetch pass here, so
   * the check is a method handle call per field, not a reflective look-up per request.
   */
  private static final ClassValue<List<ReferenceField>> REFERENCE_FIELDS = new ClassValue<>() {
    @Override
    protected List<ReferenceField> computeValue(Class<?> type) {
      RecordComponent[] components = type.getRecordComponents();
      if (components == null) {
        return List.of();
      }
      List<ReferenceField> fields = new ArrayList<>();
      for (RecordComponent component : components) {
        if (!component.getType().isPrimitive() && !component.isAnnotationPresent(Nullable.class)) {
          try {
            fields.add(new ReferenceField(component.getName(), MethodHandles.publicLookup()
                .unreflect(component.getAccessor()).asType(MethodType.methodType(Object.class, Object.class))));
          } catch (IllegalAccessException e) {
            throw new IllegalStateException("request type " + type.getName() + " is not public", e);
          }
        }
      }
      return List.copyOf(fields);
    }
  };

  private Messages() {}

  /**
   * The body as {@code type}, every field present; {@link InvalidRequestException} for any other body
   * and for a missing (null) field: requests make their optional fields empty, never null.
   */
  public static <T> T body(Message<?> message, Class<T> type) {
    return requireComplete(decode(message, type));
  }

  private static <T> T decode(Message<?> message, Class<T> type) {
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

  private static <T> T requireComplete(T request) {
    for (ReferenceField field : REFERENCE_FIELDS.get(request.getClass())) {
      Object value;
      try {
        value = field.accessor().invoke(request);
      } catch (Throwable e) { // an accessor is a plain getter: nothing to recover from
        throw new IllegalStateException(e);
      }
      if (value == null) {
        throw new InvalidRequestException(request.getClass().getSimpleName() + " without its '" + field.name()
            + "' field");
      }
    }
    return request;
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
