package io.brook.protocol.message;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Records as JSON for clients that cannot build v2 batches (bridge, HTTP API): each record is
 * {@code {"offset", "timestamp", "key", "value", "headers": {name: value}}}, keys, values and header
 * values as UTF-8 text or base64 per the chosen encoding; a null key or value is JSON null.
 */
public final class JsonRecords {
  public static final String UTF8 = "utf8";
  public static final String BASE64 = "base64";

  private JsonRecords() {}

  /** One uncompressed batch (base offset 0) holding {@code messages}. */
  public static MemoryRecords toBatch(JsonArray messages, String encoding) {
    checkEncoding(encoding);
    long now = System.currentTimeMillis();
    int estimate = 64;
    for (int i = 0; i < messages.size(); i++) {
      estimate += messages.getValue(i).toString().length() * 2 + 32;
    }
    MemoryRecordsBuilder builder = MemoryRecords.builder(
        ByteBuffer.allocate(estimate), Compression.NONE, TimestampType.CREATE_TIME, 0L);
    for (int i = 0; i < messages.size(); i++) {
      Object item = messages.getValue(i);
      if (!(item instanceof JsonObject message)) {
        throw new InvalidRequestException("message " + i + " is not a JSON object");
      }
      long timestamp = message.getLong("timestamp", now);
      builder.append(timestamp, decode(message.getValue("key"), encoding),
          decode(message.getValue("value"), encoding), headers(message.getJsonObject("headers"), encoding));
    }
    return builder.build();
  }

  /** Every record of {@code records}, decoded. */
  public static JsonArray toJson(MemoryRecords records, String encoding) {
    checkEncoding(encoding);
    JsonArray out = new JsonArray();
    for (RecordBatch batch : records.batches()) {
      for (Record record : batch) {
        out.add(toJson(record, encoding));
      }
    }
    return out;
  }

  public static JsonObject toJson(Record record, String encoding) {
    JsonObject headers = new JsonObject();
    for (Header header : record.headers()) {
      headers.put(header.key(), encode(header.value(), encoding));
    }
    return new JsonObject()
        .put("offset", record.offset())
        .put("timestamp", record.timestamp())
        .put("key", record.hasKey() ? encode(bytes(record.key()), encoding) : null)
        .put("value", record.hasValue() ? encode(bytes(record.value()), encoding) : null)
        .put("headers", headers);
  }

  /** A consumer's record: {@code topic}, {@code partition} and the fields of {@link #toJson(Record, String)}. */
  public static JsonObject toJson(org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> record,
      String encoding) {
    JsonObject headers = new JsonObject();
    for (Header header : record.headers()) {
      headers.put(header.key(), encode(header.value(), encoding));
    }
    return new JsonObject()
        .put("topic", record.topic())
        .put("partition", record.partition())
        .put("offset", record.offset())
        .put("timestamp", record.timestamp())
        .put("key", encode(record.key(), encoding))
        .put("value", encode(record.value(), encoding))
        .put("headers", headers);
  }

  private static Header[] headers(JsonObject json, String encoding) {
    if (json == null) {
      return Record.EMPTY_HEADERS;
    }
    List<Header> headers = new ArrayList<>();
    for (String name : json.fieldNames()) {
      headers.add(new RecordHeader(name, decode(json.getValue(name), encoding)));
    }
    return headers.toArray(new Header[0]);
  }

  private static byte[] decode(Object value, String encoding) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw new InvalidRequestException("keys, values and headers must be strings, got " + value);
    }
    try {
      return BASE64.equals(encoding) ? Base64.getDecoder().decode(text) : text.getBytes(StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("invalid base64: " + e.getMessage());
    }
  }

  private static String encode(byte[] bytes, String encoding) {
    if (bytes == null) {
      return null;
    }
    return BASE64.equals(encoding) ? Base64.getEncoder().encodeToString(bytes) : new String(bytes, StandardCharsets.UTF_8);
  }

  private static byte[] bytes(ByteBuffer buffer) {
    return Bytes.toArray(buffer);
  }

  private static void checkEncoding(String encoding) {
    if (!UTF8.equals(encoding) && !BASE64.equals(encoding)) {
      throw new InvalidRequestException("encoding must be utf8 or base64, was " + encoding);
    }
  }
}
