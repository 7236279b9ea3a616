package io.brook.protocol.message;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.util.Base64;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidRequiredAcksException;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * Append record batches to one partition, sent to {@code brook.api.broker.<leader>.produce}.
 *
 * <p>{@code records} holds one or more record batches in Kafka's v2 format exactly as the producer
 * built them (base offset 0); the leader validates them and stamps the offsets, nothing re-encodes
 * them. With {@code acks = 0} the client sends without waiting and the broker does not answer.
 *
 * <p>JSON form (bridge): {@code {"topic", "partition", "acks", "timeoutMs", "records": base64}} or,
 * instead of {@code records}, {@code "messages": [{"key", "value", "timestamp", "headers"}]} with
 * strings decoded per {@code "encoding"} ({@code utf8} default, or {@code base64}).
 */
public record ProduceRequest(String topic, int partition, short acks, int timeoutMs, ByteBuffer records)
    implements JsonForm {

  public static final short ACKS_NONE = 0;
  public static final short ACKS_LEADER = 1;
  public static final short ACKS_ALL = -1;
  public static final int DEFAULT_TIMEOUT_MS = 30_000;

  /** Throws {@link InvalidRequestException} / {@link InvalidRequiredAcksException} if malformed. */
  public ProduceRequest validate() {
    if (topic == null || topic.isEmpty()) {
      throw new InvalidRequestException("produce request without a topic");
    }
    if (partition < 0) {
      throw new InvalidRequestException("produce request with negative partition " + partition);
    }
    if (acks != ACKS_NONE && acks != ACKS_LEADER && acks != ACKS_ALL) {
      throw new InvalidRequiredAcksException("acks must be 0, 1 or -1 (all), was " + acks);
    }
    if (timeoutMs < 0) {
      throw new InvalidRequestException("negative produce timeout " + timeoutMs);
    }
    if (records == null || !records.hasRemaining()) {
      throw new InvalidRequestException("produce request without record batches");
    }
    return this;
  }

  /** A read-only view of the batches; the request's own buffer position is untouched. */
  public MemoryRecords memoryRecords() {
    return MemoryRecords.readableRecords(records.duplicate());
  }

  public int sizeInBytes() {
    return records == null ? 0 : records.remaining();
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("topic", topic)
        .put("partition", partition)
        .put("acks", acks)
        .put("timeoutMs", timeoutMs)
        .put("records", Base64.getEncoder().encodeToString(Bytes.toArray(records)));
  }

  public static ProduceRequest fromJson(JsonObject json) {
    String topic = json.getString("topic");
    int partition = json.getInteger("partition", -1);
    int acksValue = json.getInteger("acks", (int) ACKS_LEADER);
    if (acksValue < Short.MIN_VALUE || acksValue > Short.MAX_VALUE) {
      throw new InvalidRequiredAcksException("acks must be 0, 1 or -1 (all), was " + acksValue);
    }
    short acks = (short) acksValue;
    int timeoutMs = json.getInteger("timeoutMs", DEFAULT_TIMEOUT_MS);
    ByteBuffer records;
    if (json.containsKey("records")) {
      records = ByteBuffer.wrap(Base64.getDecoder().decode(json.getString("records")));
    } else {
      JsonArray messages = json.getJsonArray("messages");
      if (messages == null || messages.isEmpty()) {
        throw new InvalidRequestException("produce body needs 'records' (base64) or 'messages'");
      }
      records = JsonRecords.toBatch(messages, json.getString("encoding", JsonRecords.UTF8)).buffer();
    }
    return new ProduceRequest(topic, partition, acks, timeoutMs, records);
  }
}
