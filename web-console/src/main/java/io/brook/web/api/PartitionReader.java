package io.brook.web.api;

import io.brook.protocol.message.FetchRequest;
import io.brook.protocol.message.FetchResponse;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Reads up to {@code limit} records of one partition from an offset, fetching from the leader again
 * while the high watermark is ahead and the byte budget lasts. Fetches answer whole batches, so
 * records below the requested offset are skipped. Only the first fetch long-polls ({@code maxWaitMs});
 * follow-ups take what is there. Owned by its verticle's event loop.
 */
final class PartitionReader {
  /** What a read found; {@code nextOffset} is where the next read of this partition starts. */
  record Read(int partition, long fromOffset, List<Record> records, long nextOffset, long highWatermark) {
    boolean isEmpty() {
      return records.isEmpty();
    }
  }

  private final BrokerClient brokers;
  private final int maxPartitionFetchBytes;

  PartitionReader(BrokerClient brokers, int maxPartitionFetchBytes) {
    this.brokers = brokers;
    this.maxPartitionFetchBytes = maxPartitionFetchBytes;
  }

  Future<Read> read(String topic, int partition, long fromOffset, int limit, long maxBytes, int maxWaitMs) {
    Cursor cursor = new Cursor(topic, partition, fromOffset, limit, maxBytes);
    return fetchMore(cursor, maxWaitMs);
  }

  private Future<Read> fetchMore(Cursor cursor, int maxWaitMs) {
    int maxBytes = (int) Math.max(1, Math.min(maxPartitionFetchBytes, cursor.bytesLeft));
    FetchRequest request = FetchRequest.consumer(cursor.topic, cursor.partition, cursor.next, maxBytes, 1, maxWaitMs);
    return brokers.fetch(request).compose(response -> {
      boolean advanced = cursor.take(response);
      if (!advanced || cursor.isDone()) {
        return Future.succeededFuture(cursor.result());
      }
      return fetchMore(cursor, 0);
    });
  }

  /** The state of one read; confined to the event loop. */
  private static final class Cursor {
    final String topic;
    final int partition;
    final long fromOffset;
    final int limit;
    final List<Record> records = new ArrayList<>();
    long next;
    long bytesLeft;
    long highWatermark = -1;

    Cursor(String topic, int partition, long fromOffset, int limit, long maxBytes) {
      this.topic = topic;
      this.partition = partition;
      this.fromOffset = fromOffset;
      this.next = fromOffset;
      this.limit = limit;
      this.bytesLeft = maxBytes;
    }

    /** Takes the response's records at or after {@code next}; false if it brought nothing new. */
    boolean take(FetchResponse response) {
      highWatermark = response.highWatermark();
      bytesLeft -= response.sizeInBytes();
      long before = next;
      for (RecordBatch batch : response.memoryRecords().batches()) {
        for (Record record : batch) {
          if (records.size() == limit) {
            return next > before;
          }
          if (record.offset() >= next) {
            records.add(record);
            next = record.offset() + 1;
          }
        }
        // a batch may end past its last record (compaction): resume after the whole batch
        next = Math.max(next, batch.nextOffset());
      }
      return next > before;
    }

    boolean isDone() {
      return records.size() >= limit || next >= highWatermark || bytesLeft <= 0;
    }

    Read result() {
      return new Read(partition, fromOffset, records, next, highWatermark);
    }
  }
}
