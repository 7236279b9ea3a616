package io.brook.protocol.message;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Objects;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * Record batches read from a partition (whole v2 batches, possibly none) with the partition's
 * offsets at the time of the read. Consumers only ever see batches below the high watermark.
 *
 * <p>The batches are held one of two ways: as bytes ({@code records}), or, for a caller on the
 * leader's node that asked with {@link io.brook.protocol.Addresses#FILE_RECORDS_HEADER}, as a slice
 * of the segment file ({@code file}) that its transport sends to a socket without copying
 * (Kafka's own fetch path). {@link #records()} copies such a slice into memory (file I/O: not on an
 * event loop), which only happens if one has to cross the wire after all.
 *
 * <p>JSON form (bridge): the offsets, {@code "records"} as base64 and {@code "messages"}, the same
 * records decoded ({@code offset, timestamp, key, value, headers}; key and value base64).
 */
public record FetchResponse(long highWatermark, long logStartOffset, long logEndOffset, ByteBuffer records,
    FileSlice file) implements JsonForm {

  /** Whole batches left in a segment file, and how many records they hold (counted where reading is allowed). */
  public record FileSlice(FileRecords records, long recordCount) {}

  public FetchResponse {
    if ((records == null) == (file == null)) {
      throw new IllegalArgumentException("a fetch response holds its records either as bytes or as a file slice");
    }
  }

  public FetchResponse(long highWatermark, long logStartOffset, long logEndOffset, ByteBuffer records) {
    this(highWatermark, logStartOffset, logEndOffset, Objects.requireNonNull(records, "records"), null);
  }

  /** Records left in the segment file, to be sent from it. */
  public static FetchResponse ofFile(long highWatermark, long logStartOffset, long logEndOffset, FileSlice slice) {
    return new FetchResponse(highWatermark, logStartOffset, logEndOffset, null, Objects.requireNonNull(slice, "slice"));
  }

  /** The batches as bytes; a file slice is read into a new buffer. */
  @Override
  public ByteBuffer records() {
    if (file == null) {
      return records;
    }
    ByteBuffer copy = ByteBuffer.allocate(file.records().sizeInBytes());
    try {
      file.records().readInto(copy, 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the fetched records from " + file.records(), e);
    }
    return copy;
  }

  /** The batches as they are held, for a transport: bytes or the file slice. */
  public BaseRecords baseRecords() {
    return file != null ? file.records() : MemoryRecords.readableRecords(records.duplicate());
  }

  public MemoryRecords memoryRecords() {
    return MemoryRecords.readableRecords(records().duplicate());
  }

  public int sizeInBytes() {
    return file != null ? file.records().sizeInBytes() : records.remaining();
  }

  @Override
  public JsonObject toJson() {
    ByteBuffer bytes = records();
    return new JsonObject()
        .put("highWatermark", highWatermark)
        .put("logStartOffset", logStartOffset)
        .put("logEndOffset", logEndOffset)
        .put("records", Base64.getEncoder().encodeToString(Bytes.toArray(bytes)))
        .put("messages", JsonRecords.toJson(MemoryRecords.readableRecords(bytes.duplicate()), JsonRecords.BASE64));
  }

  public static FetchResponse fromJson(JsonObject json) {
    return new FetchResponse(
        json.getLong("highWatermark"),
        json.getLong("logStartOffset"),
        json.getLong("logEndOffset"),
        ByteBuffer.wrap(Base64.getDecoder().decode(json.getString("records", ""))));
  }
}
