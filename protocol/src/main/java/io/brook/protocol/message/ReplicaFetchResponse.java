package io.brook.protocol.message;

import java.nio.ByteBuffer;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * The leader's answer to a follower: batches from the fetch offset (appended by the follower as they
 * are), the leader's high watermark and log range, or, when the follower's log diverges from the
 * leader's, {@code divergingEpoch} and {@code divergingEndOffset} (the leader's end offset of that
 * epoch) and no records: the follower truncates there and fetches again. Both are -1 otherwise.
 */
public record ReplicaFetchResponse(long highWatermark, long logStartOffset, long logEndOffset,
    int divergingEpoch, long divergingEndOffset, ByteBuffer records) {

  public boolean diverging() {
    return divergingEpoch >= 0;
  }

  public MemoryRecords memoryRecords() {
    return MemoryRecords.readableRecords(records.duplicate());
  }
}
