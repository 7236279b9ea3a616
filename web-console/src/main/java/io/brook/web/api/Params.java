package io.brook.web.api;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;

/** Parsing of path and query parameters; every bad value is an INVALID_REQUEST naming the parameter. */
final class Params {
  private Params() {}

  /** The request body as a JSON object; INVALID_REQUEST when it is empty, not JSON or not an object. */
  static JsonObject bodyObject(RoutingContext ctx) {
    Object body;
    try {
      body = ctx.body().buffer() == null ? null : Json.decodeValue(ctx.body().buffer());
    } catch (DecodeException e) {
      throw new InvalidRequestException("malformed JSON body: " + e.getMessage());
    }
    if (!(body instanceof JsonObject json)) {
      throw new InvalidRequestException("the request body must be a JSON object");
    }
    return json;
  }

  /** An optional integral JSON field within [min, max], or {@code fallback} when absent or null. */
  /** A required integer field between min and max. */
  static long requiredJsonLong(JsonObject json, String key, long min, long max) {
    Object value = json.getValue(key);
    if (!(value instanceof Integer || value instanceof Long || value instanceof Short)) {
      throw new InvalidRequestException("'" + key + "' (an integer) is required, was " + Json.encode(value));
    }
    long number = ((Number) value).longValue();
    if (number < min || number > max) {
      throw new InvalidRequestException("'" + key + "' must be between " + min + " and " + max + ", was " + number);
    }
    return number;
  }

  static int jsonInt(JsonObject json, String key, int fallback, int min, int max) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Integer || value instanceof Long || value instanceof Short)) {
      throw new InvalidRequestException("'" + key + "' must be an integer, was " + Json.encode(value));
    }
    long number = ((Number) value).longValue();
    if (number < min || number > max) {
      throw new InvalidRequestException("'" + key + "' must be between " + min + " and " + max + ", was " + number);
    }
    return (int) number;
  }

  /** A JSON object of config values as strings (numbers and booleans are accepted as their text). */
  static Map<String, String> stringMap(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof JsonObject map)) {
      throw new InvalidRequestException("'" + key + "' must be a JSON object of strings");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : map) {
      Object item = entry.getValue();
      if (!(item instanceof String || item instanceof Number || item instanceof Boolean)) {
        throw new InvalidRequestException("'" + key + "." + entry.getKey() + "' must be a string, was "
            + Json.encode(item));
      }
      out.put(entry.getKey(), item.toString());
    }
    return out;
  }

  /**
   * Replicas per partition: a JSON array (one entry per partition, in order) of arrays of broker ids
   * ({@code [[1,2],[2,3]]}); null when absent. At most {@code maxPartitions} entries.
   */
  static List<List<Integer>> brokerLists(JsonObject json, String key, int maxPartitions) {
    Object value = json.getValue(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray partitions) || partitions.isEmpty() || partitions.size() > maxPartitions) {
      throw new InvalidRequestException("'" + key + "' must be a JSON array of 1 to " + maxPartitions
          + " arrays of broker ids, one per partition");
    }
    List<List<Integer>> out = new ArrayList<>(partitions.size());
    for (Object partition : partitions) {
      if (!(partition instanceof JsonArray replicas)) {
        throw new InvalidRequestException("'" + key + "' must hold arrays of broker ids, found " + Json.encode(partition));
      }
      List<Integer> ids = new ArrayList<>(replicas.size());
      for (Object id : replicas) {
        if (!(id instanceof Integer number) || number < 0) {
          throw new InvalidRequestException("'" + key + "' holds broker ids (integers, 0 or more), found "
              + Json.encode(id));
        }
        ids.add(number);
      }
      out.add(ids);
    }
    return out;
  }

  /** A JSON array of strings, empty when absent. */
  static List<String> stringList(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw new InvalidRequestException("'" + key + "' must be a JSON array of strings");
    }
    List<String> out = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String text)) {
        throw new InvalidRequestException("'" + key + "' must hold strings only, found " + Json.encode(item));
      }
      out.add(text);
    }
    return out;
  }

  /** The {@code :name} path parameter, checked against Kafka's topic name rules. */
  static String topic(RoutingContext ctx) {
    return checkedTopic(ctx.pathParam("name"));
  }

  static String checkedTopic(String name) {
    if (name == null) {
      throw new InvalidTopicException("topic name is missing");
    }
    Topic.validate(name); // InvalidTopicException: empty, '.', '..', too long, illegal characters
    return name;
  }

  /** An optional int query parameter within [min, max]. */
  static Integer optionalInt(RoutingContext ctx, String name, int min, int max) {
    String text = ctx.queryParams().get(name);
    return text == null || text.isEmpty() ? null : intValue(name, text, min, max);
  }

  static int intValue(String name, String text, int min, int max) {
    long value = longValue(name, text);
    if (value < min || value > max) {
      throw new InvalidRequestException(name + " must be between " + min + " and " + max + ", was " + text);
    }
    return (int) value;
  }

  static long longValue(String name, String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new InvalidRequestException(name + " must be an integer, was '" + text + "'");
    }
  }

  /** The query parameter or {@code fallback} when absent. */
  static String string(RoutingContext ctx, String name, String fallback) {
    String text = ctx.queryParams().get(name);
    return text == null || text.isEmpty() ? fallback : text;
  }

  /**
   * A point in time as epoch ms: digits are ms; otherwise ISO-8601 ({@code 2024-05-01T10:00:00Z},
   * with an offset, without one meaning UTC, or a bare date meaning its start in UTC). Record
   * timestamps are never negative (Kafka reserves -1 and below), so a time before 1970 is refused,
   * as is one whose epoch ms does not fit in a long: never a silent "latest" or a 500.
   */
  static long timestampMs(String name, String text) {
    String value = text.trim();
    if (value.matches("-?\\d+")) {
      long ms = longValue(name, value);
      if (ms < 0) {
        throw new InvalidRequestException(name + " must not be negative, was " + value);
      }
      return ms;
    }
    Instant instant = instant(name, value);
    if (instant.isBefore(Instant.EPOCH)) {
      throw new InvalidRequestException(name + " must not be before 1970-01-01T00:00:00Z (record timestamps are"
          + " epoch ms, never negative), was '" + abbreviate(text) + "'");
    }
    try {
      return instant.toEpochMilli();
    } catch (ArithmeticException tooFar) {
      throw new InvalidRequestException(name + " is too far in the future (epoch ms must fit in 64 bits), was '"
          + abbreviate(text) + "'");
    }
  }

  private static Instant instant(String name, String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException notAnInstant) {
      // try the looser forms below
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException notWithOffset) {
      // try the looser forms below
    }
    try {
      return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException notLocal) {
      // try a bare date
    }
    try {
      return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new InvalidRequestException(name + " must be epoch ms or ISO-8601 (e.g. 2024-05-01T10:00:00Z), was '"
          + abbreviate(value) + "'");
    }
  }

  /** Client text echoed in an error stays short. */
  static String abbreviate(String text) {
    return text.length() <= 100 ? text : text.substring(0, 100) + "...";
  }
}
