package io.brook.protocol.message;

import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.util.Base64;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * Record batches read from a partition (whole v2 batches, possibly none) with the partition's
 * offsets at the time of the read. Consumers only ever see batches below the high watermark.
 *
 * <p>JSON form (bridge): the offsets, {@code "records"} as base64 and {@code "messages"}, the same
 * records decoded ({@code offset, timestamp, key, value, headers}; key and value base64).
 */
public record FetchResponse(long highWatermark, long logStartOffset, long logEndOffset, ByteBuffer records)
    implements JsonForm {

  public MemoryRecords memoryRecords() {
    return MemoryRecords.readableRecords(records.duplicate());
  }

  public int sizeInBytes() {
    return records.remaining();
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("highWatermark", highWatermark)
        .put("logStartOffset", logStartOffset)
        .put("logEndOffset", logEndOffset)
        .put("records", Base64.getEncoder().encodeToString(Bytes.toArray(records)))
        .put("messages", JsonRecords.toJson(memoryRecords(), JsonRecords.BASE64));
  }

  public static FetchResponse fromJson(JsonObject json) {
    return new FetchResponse(
        json.getLong("highWatermark"),
        json.getLong("logStartOffset"),
        json.getLong("logEndOffset"),
        ByteBuffer.wrap(Base64.getDecoder().decode(json.getString("records", ""))));
  }
}
