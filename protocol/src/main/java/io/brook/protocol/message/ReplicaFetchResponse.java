package io.brook.protocol.message;

import java.nio.ByteBuffer;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * The leader's answer to a follower: batches from the fetch offset (appended by the follower as they
 * are), the leader's high watermark and log range, or, when the follower's log diverges from the
 * leader's, {@code divergingEpoch} and {@code divergingEndOffset} (the leader's end offset of that
 * epoch) and no records: the follower truncates there and fetches again. Both are -1 otherwise.
 * Errors the follower acts on (FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH, OFFSET_OUT_OF_RANGE,
 * NOT_LEADER_OR_FOLLOWER) come in band as {@code errorCode} (Kafka's code, 0 for none) with the
 * leader's log range, which the follower needs to restart its log.
 */
public record ReplicaFetchResponse(short errorCode, long highWatermark, long logStartOffset, long logEndOffset,
    int divergingEpoch, long divergingEndOffset, ByteBuffer records) {

  public static ReplicaFetchResponse error(short errorCode, long highWatermark, long logStartOffset, long logEndOffset) {
    return new ReplicaFetchResponse(errorCode, highWatermark, logStartOffset, logEndOffset, -1, -1L, ByteBuffer.allocate(0));
  }

  public boolean diverging() {
    return divergingEpoch >= 0;
  }

  public MemoryRecords memoryRecords() {
    return MemoryRecords.readableRecords(records.duplicate());
  }
}
