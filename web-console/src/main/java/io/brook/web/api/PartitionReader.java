package io.brook.web.api;

import io.brook.protocol.message.FetchRequest;
import io.brook.protocol.message.FetchResponse;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.apache.kafka.common.utils.internals.CloseableIterator;

/**
 * Reads up to {@code limit} records of one partition from an offset, fetching from the leader again
 * while the high watermark is ahead and the byte budgets last. Fetches answer whole batches, so
 * records below the requested offset are skipped. Only the first fetch long-polls ({@code maxWaitMs});
 * follow-ups take what is there.
 *
 * <p>Limits: a fetch asks for at most {@code http.max.partition.fetch.bytes} and at most the
 * partition's share of the read; the records taken are charged to the read's {@link ReadBudget}
 * (shared by all its partitions), and a read stops taking records once it is spent. Batches are
 * decoded one record at a time (a compressed batch is not decompressed beyond what is taken).
 * Owned by its verticle's event loop.
 */
final class PartitionReader {
  /** What a read found; {@code nextOffset} is where the next read of this partition starts. */
  record Read(int partition, long fromOffset, List<Record> records, long nextOffset, long highWatermark) {
    boolean isEmpty() {
      return records.isEmpty();
    }
  }

  private final int maxPartitionFetchBytes;

  PartitionReader(int maxPartitionFetchBytes) {
    this.maxPartitionFetchBytes = maxPartitionFetchBytes;
  }

  /**
   * @param shareBytes the bytes this partition may fetch
   * @param budget the record bytes the whole read may still decode
   */
  Future<Read> read(BrokerClient caller, String topic, int partition, long fromOffset, int limit, long shareBytes, ReadBudget budget,
      int maxWaitMs) {
    Cursor cursor = new Cursor(caller, topic, partition, fromOffset, limit, shareBytes, budget);
    return fetchMore(cursor, maxWaitMs);
  }

  private Future<Read> fetchMore(Cursor cursor, int maxWaitMs) {
    int maxBytes = (int) Math.max(1, Math.min(maxPartitionFetchBytes,
        Math.min(cursor.bytesLeft, cursor.budget.bytesLeft())));
    FetchRequest request = FetchRequest.consumer(cursor.topic, cursor.partition, cursor.next, maxBytes, 1, maxWaitMs);
    return cursor.caller.fetch(request).compose(response -> {
      boolean advanced = cursor.take(response);
      if (!advanced || cursor.isDone()) {
        return Future.succeededFuture(cursor.result());
      }
      return fetchMore(cursor, 0);
    });
  }

  /** The state of one read; confined to the event loop. */
  private static final class Cursor {
    final BrokerClient caller;
    final String topic;
    final int partition;
    final long fromOffset;
    final int limit;
    final ReadBudget budget;
    final List<Record> records = new ArrayList<>();
    long next;
    long bytesLeft;
    long highWatermark = -1;

    Cursor(BrokerClient caller, String topic, int partition, long fromOffset, int limit, long shareBytes, ReadBudget budget) {
      this.caller = caller;
      this.topic = topic;
      this.partition = partition;
      this.fromOffset = fromOffset;
      this.next = fromOffset;
      this.limit = limit;
      this.bytesLeft = shareBytes;
      this.budget = budget;
    }

    /** Takes the response's records at or after {@code next}; false if it brought nothing new. */
    boolean take(FetchResponse response) {
      highWatermark = response.highWatermark();
      bytesLeft -= response.sizeInBytes();
      long before = next;
      for (MutableRecordBatch batch : response.memoryRecords().batches()) {
        if (batch.nextOffset() <= next) {
          continue; // wholly below the start
        }
        if (!takeFrom(batch)) {
          return next > before; // stopped inside the batch: the next read resumes at its next record
        }
        // a batch may end past its last record (compaction): resume after the whole batch
        next = Math.max(next, batch.nextOffset());
      }
      return next > before;
    }

    /** Takes the batch's records at or after {@code next}; false when a limit stopped it first. */
    private boolean takeFrom(MutableRecordBatch batch) {
      try (CloseableIterator<Record> it = batch.streamingIterator(BufferSupplier.NO_CACHING)) {
        while (it.hasNext()) {
          if (records.size() == limit || budget.isExhausted()) {
            return false;
          }
          Record record = it.next();
          if (record.offset() >= next) {
            records.add(record);
            budget.spend(record.sizeInBytes());
            next = record.offset() + 1;
          }
        }
      }
      return true;
    }

    boolean isDone() {
      return records.size() >= limit || next >= highWatermark || bytesLeft <= 0 || budget.isExhausted();
    }

    Read result() {
      return new Read(partition, fromOffset, records, next, highWatermark);
    }
  }
}
