package io.brook.client;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads partitions from their leaders over the clustered event bus (groups come later: partitions
 * are assigned by the application). {@link #poll} long-polls every assigned partition
 * ({@code fetch.min.bytes}, {@code fetch.max.wait.ms}, {@code max.partition.fetch.bytes}) and
 * returns up to {@code max.poll.records} records in offset order per partition, advancing the
 * positions. A partition without a position starts per {@code auto.offset.reset} (earliest|latest|none).
 * Leader changes and retriable errors are retried after a metadata refresh.
 *
 * <p>Not thread-safe, like Kafka's consumer: one caller at a time. Futures complete on the
 * caller's Vert.x context when the call was made on one (as Vert.x's own clients do); called from a
 * thread without a context (a plain {@code main}) they complete on the consumer's context, the one
 * it was created on. Nothing blocks a Vert.x thread (event loop or worker): see {@link #position}.
 * Configuration keys: {@link ConsumerConfigs}.
 */
public interface BrookConsumer extends AutoCloseable {

  void assign(Collection<TopicPartition> partitions);

  Set<TopicPartition> assignment();

  /** Waits up to {@code timeout} for records; an empty list when none arrived. */
  Future<List<ConsumerRecord<byte[], byte[]>>> poll(Duration timeout);

  void seek(TopicPartition partition, long offset);

  Future<Void> seekToBeginning(Collection<TopicPartition> partitions);

  Future<Void> seekToEnd(Collection<TopicPartition> partitions);

  /** Seeks each partition to the first offset whose timestamp is at least the given time (or the end). */
  Future<Void> seekToTimestamp(Map<TopicPartition, Long> timestampsMs);

  /** The first offset at or after each time, null for a partition with none. */
  Future<Map<TopicPartition, OffsetAndTimestamp>> offsetsForTimes(Map<TopicPartition, Long> timestampsMs);

  Future<Map<TopicPartition, Long>> beginningOffsets(Collection<TopicPartition> partitions);

  /** The high watermark of each partition (the offset the next record will get, as consumers see it). */
  Future<Map<TopicPartition, Long>> endOffsets(Collection<TopicPartition> partitions);

  /**
   * The offset of the next record poll will return. A partition without a position gets one from
   * {@code auto.offset.reset} first: off Vert.x threads this waits up to
   * {@code default.api.timeout.ms}; on a Vert.x thread it never blocks and answers -1 until the
   * position is known.
   */
  long position(TopicPartition partition);

  @Override
  void close();
}
