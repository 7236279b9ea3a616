package io.brook.client;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/** An in-memory partition log of the fake broker: whole v2 batches with stamped offsets. Thread-safe. */
final class FakePartition {
  private final List<ByteBuffer> batches = new ArrayList<>();
  private long logStartOffset;
  private long nextOffset;

  /** Validates and stamps each batch like a leader does; answers the base offset of the first. */
  synchronized long append(MemoryRecords records) {
    return append(records, RecordBatch.NO_TIMESTAMP);
  }

  /** As {@link #append(MemoryRecords)}; a {@code logAppendTimeMs} other than -1 is stamped as LogAppendTime. */
  synchronized long append(MemoryRecords records, long logAppendTimeMs) {
    long base = nextOffset;
    for (MutableRecordBatch batch : records.batches()) {
      batch.ensureValid();
      ByteBuffer copy = ByteBuffer.allocate(batch.sizeInBytes());
      batch.writeTo(copy);
      copy.flip();
      MutableRecordBatch stored = MemoryRecords.readableRecords(copy).batches().iterator().next();
      long delta = batch.lastOffset() - batch.baseOffset();
      stored.setLastOffset(nextOffset + delta);
      if (logAppendTimeMs != RecordBatch.NO_TIMESTAMP) {
        stored.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, logAppendTimeMs);
      }
      nextOffset += delta + 1;
      batches.add(copy);
    }
    return base;
  }

  /** Whole batches from the one holding {@code offset}, at most {@code maxBytes} but at least one. */
  synchronized ByteBuffer read(long offset, int maxBytes) {
    if (offset < logStartOffset || offset > nextOffset) {
      throw new OffsetOutOfRangeException("offset " + offset + " not in [" + logStartOffset + ", " + nextOffset + "]");
    }
    List<ByteBuffer> out = new ArrayList<>();
    int size = 0;
    for (ByteBuffer buffer : batches) {
      RecordBatch batch = batchOf(buffer);
      if (batch.lastOffset() < offset || batch.lastOffset() < logStartOffset) {
        continue;
      }
      if (!out.isEmpty() && size + buffer.remaining() > maxBytes) {
        break;
      }
      out.add(buffer.duplicate());
      size += buffer.remaining();
    }
    ByteBuffer all = ByteBuffer.allocate(size);
    out.forEach(all::put);
    return all.flip();
  }

  /** The first offset with a timestamp at least {@code timestampMs}: {offset, timestamp}, or null. */
  synchronized long[] offsetForTime(long timestampMs) {
    for (ByteBuffer buffer : batches) {
      for (Record record : batchOf(buffer)) {
        if (record.offset() >= logStartOffset && record.timestamp() >= timestampMs) {
          return new long[] {record.offset(), record.timestamp()};
        }
      }
    }
    return null;
  }

  synchronized void deleteRecordsBefore(long offset) {
    logStartOffset = Math.min(offset, nextOffset);
  }

  synchronized long logStartOffset() {
    return logStartOffset;
  }

  synchronized long nextOffset() {
    return nextOffset;
  }

  /** The stored batches (for assertions on batching and compression). */
  synchronized List<RecordBatch> batches() {
    List<RecordBatch> all = new ArrayList<>();
    for (ByteBuffer buffer : batches) {
      all.add(batchOf(buffer));
    }
    return all;
  }

  private static RecordBatch batchOf(ByteBuffer buffer) {
    return MemoryRecords.readableRecords(buffer.duplicate()).batches().iterator().next();
  }
}
