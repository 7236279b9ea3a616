package io.brook.protocol.message;

import java.util.List;

/**
 * Delete records (Kafka's DeleteRecords): move the log start offset of each named partition of
 * {@code topic} up to its {@code offset} ({@link #HIGH_WATERMARK} for the partition's high
 * watermark), sent to {@code brook.api.broker.<leader>.delete-records} of the partitions' leader.
 * The leader answers once the lowest log start offset of its in-sync replicas reaches the offset,
 * or at {@code timeoutMs} (REQUEST_TIMED_OUT for that partition). Answered with a
 * {@link DeleteRecordsResponse}, one result per partition asked.
 */
public record DeleteRecordsRequest(String topic, List<PartitionOffset> partitions, int timeoutMs) {
  /** The offset that stands for the partition's high watermark: delete every committed record. */
  public static final long HIGH_WATERMARK = -1L;

  /** At most this many partitions in one request. */
  public static final int MAX_PARTITIONS = 10_000;

  /** The longest a request may wait for the replicas (5 minutes). */
  public static final int MAX_TIMEOUT_MS = 300_000;

  public record PartitionOffset(int partition, long offset) {}
}
