package io.brook.client.internals;

import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.apache.kafka.common.utils.internals.CloseableIterator;

/**
 * The record batches of one fetch response for one partition, decoded lazily as polls drain them:
 * records below the consumer's position are skipped (a fetch may start inside a batch), control
 * batches are skipped, and each batch's CRC is checked first when {@code check.crcs}. Decompression
 * (any codec) streams through Kafka's batch iterator.
 *
 * <p>Owned by the consumer and used under its subscription lock.
 */
final class CompletedFetch {
  final TopicPartition tp;
  /** The offset after the last batch of the response: where the next fetch starts. */
  final long nextFetchOffset;
  private final boolean checkCrcs;
  private final BufferSupplier buffers;
  private final Iterator<MutableRecordBatch> batches;
  private RecordBatch batch;
  private CloseableIterator<Record> records;
  private boolean exhausted;

  CompletedFetch(TopicPartition tp, MemoryRecords memoryRecords, long fetchOffset, boolean checkCrcs,
      BufferSupplier buffers) {
    this.tp = tp;
    this.checkCrcs = checkCrcs;
    this.buffers = buffers;
    long next = fetchOffset;
    for (RecordBatch b : memoryRecords.batches()) {
      next = Math.max(next, b.nextOffset());
    }
    this.nextFetchOffset = next;
    this.batches = memoryRecords.batches().iterator();
  }

  boolean isExhausted() {
    return exhausted;
  }

  /**
   * Appends up to {@code max} records at or after {@code position} to {@code out}.
   *
   * @return the new position: after the last record handed out or the last batch passed
   * @throws org.apache.kafka.common.errors.CorruptRecordException if a batch fails its CRC check
   */
  long drain(long position, int max, List<ConsumerRecord<byte[], byte[]>> out) {
    int added = 0;
    while (added < max && !exhausted) {
      if (records == null) {
        if (!batches.hasNext()) {
          exhausted = true;
          break;
        }
        batch = batches.next();
        if (batch.nextOffset() <= position) {
          continue; // wholly consumed already
        }
        if (checkCrcs) {
          batch.ensureValid();
        }
        if (batch.isControlBatch()) {
          position = batch.nextOffset(); // transaction markers are not records for the application
          continue;
        }
        records = batch.streamingIterator(buffers);
      }
      if (!records.hasNext()) {
        records.close();
        records = null;
        position = Math.max(position, batch.nextOffset());
        continue;
      }
      Record record = records.next();
      if (record.offset() >= position) {
        out.add(toConsumerRecord(record));
        position = record.offset() + 1;
        added++;
      }
    }
    return position;
  }

  /** Drops what is left (seek, reassignment, error). */
  void close() {
    if (records != null) {
      records.close();
      records = null;
    }
    exhausted = true;
  }

  private ConsumerRecord<byte[], byte[]> toConsumerRecord(Record record) {
    byte[] key = record.hasKey() ? Utils.toArray(record.key()) : null;
    byte[] value = record.hasValue() ? Utils.toArray(record.value()) : null;
    int epoch = batch.partitionLeaderEpoch();
    return new ConsumerRecord<>(tp.topic(), tp.partition(), record.offset(), record.timestamp(), batch.timestampType(),
        key == null ? ConsumerRecord.NULL_SIZE : key.length, value == null ? ConsumerRecord.NULL_SIZE : value.length,
        key, value, new RecordHeaders(record.headers()),
        epoch == RecordBatch.NO_PARTITION_LEADER_EPOCH ? Optional.empty() : Optional.of(epoch));
  }
}
