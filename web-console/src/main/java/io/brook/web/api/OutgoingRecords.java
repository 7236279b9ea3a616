package io.brook.web.api;

import io.brook.protocol.message.JsonRecords;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.Record;

/**
 * The records of a POST .../records body, decoded: {@code {key, value, partition?, headers?,
 * timestamp?}} each, keys/values/header values as UTF-8 text or base64 per the request's encoding.
 * With utf8, a non-string key or value (a number, object, ...) is stored as its JSON text. Errors
 * name the record's index. Pure; any thread.
 */
final class OutgoingRecords {
  /** One record to append; {@code partition} is null when the API chooses it. */
  record Outgoing(Integer partition, byte[] key, byte[] value, Header[] headers, long timestampMs) {}

  private OutgoingRecords() {}

  static List<Outgoing> parse(JsonArray records, String encoding, Integer defaultPartition, long nowMs) {
    if (records == null || records.isEmpty()) {
      throw new InvalidRequestException("'records' must be a non-empty array");
    }
    List<Outgoing> out = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      if (!(records.getValue(i) instanceof JsonObject record)) {
        throw new InvalidRequestException("records[" + i + "] is not a JSON object");
      }
      try {
        out.add(parseOne(record, encoding, defaultPartition, nowMs));
      } catch (InvalidRequestException e) {
        throw new InvalidRequestException("records[" + i + "]: " + e.getMessage());
      }
    }
    return out;
  }

  /** One uncompressed v2 batch (base offset 0) of {@code records}, in order. */
  static MemoryRecords batch(List<Outgoing> records) {
    return batch(records, null);
  }

  /** As {@link #batch(List)}, with the producer id, epoch and base sequence of {@code stamp} in its header (null: none). */
  static MemoryRecords batch(List<Outgoing> records, ProduceHandler.ProducerStamp stamp) {
    int estimate = 64;
    for (Outgoing record : records) {
      estimate += 32 + length(record.key()) + length(record.value());
    }
    MemoryRecordsBuilder builder = MemoryRecords.builder(
        ByteBuffer.allocate(estimate), Compression.NONE, TimestampType.CREATE_TIME, 0L);
    if (stamp != null) {
      builder.setProducerState(stamp.producerId(), stamp.producerEpoch(), stamp.baseSequence(), false);
    }
    for (Outgoing record : records) {
      builder.append(record.timestampMs(), record.key(), record.value(), record.headers());
    }
    return builder.build();
  }

  private static Outgoing parseOne(JsonObject record, String encoding, Integer defaultPartition, long nowMs) {
    Integer partition = defaultPartition;
    if (record.getValue("partition") != null) {
      partition = Params.jsonInt(record, "partition", -1, 0, Integer.MAX_VALUE);
    }
    Object timestamp = record.getValue("timestamp");
    long timestampMs = timestamp == null ? nowMs
        : timestamp instanceof String text ? Params.timestampMs("timestamp", text)
        : checkedMs(timestamp);
    return new Outgoing(partition, bytes(record.getValue("key"), "key", encoding),
        bytes(record.getValue("value"), "value", encoding), headers(record.getValue("headers"), encoding),
        timestampMs);
  }

  private static long checkedMs(Object value) {
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 0) {
      throw new InvalidRequestException("'timestamp' must be epoch ms or ISO-8601, was " + Json.encode(value));
    }
    return ((Number) value).longValue();
  }

  private static Header[] headers(Object value, String encoding) {
    if (value == null) {
      return Record.EMPTY_HEADERS;
    }
    if (!(value instanceof JsonObject json)) {
      throw new InvalidRequestException("'headers' must be a JSON object of name: value");
    }
    List<Header> headers = new ArrayList<>();
    for (Map.Entry<String, Object> entry : json) {
      headers.add(new RecordHeader(entry.getKey(), bytes(entry.getValue(), "headers." + entry.getKey(), encoding)));
    }
    return headers.toArray(new Header[0]);
  }

  private static byte[] bytes(Object value, String field, String encoding) {
    if (value == null) {
      return null;
    }
    if (JsonRecords.BASE64.equals(encoding)) {
      if (!(value instanceof String text)) {
        throw new InvalidRequestException("'" + field + "' must be a base64 string");
      }
      try {
        return Base64.getDecoder().decode(text);
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException("'" + field + "' is not valid base64: " + e.getMessage());
      }
    }
    String text = value instanceof String string ? string : Json.encode(value);
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static int length(byte[] bytes) {
    return bytes == null ? 0 : bytes.length;
  }
}
