package io.brook.verticles.metrics;

import java.nio.ByteBuffer;

/**
 * Record counts of Kafka v2 record batches read from their headers, without decoding or allocating:
 * the meters of the produce and fetch paths count records at the cost of a few absolute reads per
 * batch. Header layout (Kafka's DefaultRecordBatch): baseOffset int64, batchLength int32 (bytes after
 * this field), partitionLeaderEpoch int32, magic int8 at 16, ..., recordCount int32 at 57; the header is
 * 61 bytes. A batch of another magic counts as one record; a cut last batch (a fetch may end inside
 * one) is not counted.
 */
public final class BatchCounts {
  static final int LENGTH_OFFSET = 8;
  static final int MAGIC_OFFSET = 16;
  static final int RECORD_COUNT_OFFSET = 57;
  static final int HEADER_BYTES = 61;
  private static final int LOG_OVERHEAD = 12;

  private BatchCounts() {}

  /** The records of the whole batches between {@code buffer}'s position and limit (neither is moved). */
  public static long records(ByteBuffer buffer) {
    if (buffer == null) {
      return 0;
    }
    long records = 0;
    int position = buffer.position();
    int limit = buffer.limit();
    while (limit - position >= LOG_OVERHEAD) {
      int batchBytes = buffer.getInt(position + LENGTH_OFFSET);
      if (batchBytes <= 0 || batchBytes > limit - position - LOG_OVERHEAD) {
        break; // cut short (or not a batch): stop counting
      }
      if (buffer.get(position + MAGIC_OFFSET) >= 2 && batchBytes + LOG_OVERHEAD >= HEADER_BYTES) {
        records += Math.max(0, buffer.getInt(position + RECORD_COUNT_OFFSET));
      } else {
        records += 1;
      }
      position += LOG_OVERHEAD + batchBytes;
    }
    return records;
  }
}
