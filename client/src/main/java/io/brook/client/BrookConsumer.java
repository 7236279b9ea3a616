package io.brook.client;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads partitions from their leaders over the clustered event bus, either the partitions the
 * application {@link #assign}s, or, with a {@code group.id}, those its consumer group assigns it
 * ({@link #subscribe}): Kafka's classic group protocol, with rebalance listeners, commits and
 * auto-commit. {@link #poll} long-polls every assigned partition ({@code fetch.min.bytes},
 * {@code fetch.max.wait.ms}, {@code max.partition.fetch.bytes}) and returns up to
 * {@code max.poll.records} records in offset order per partition, advancing the positions. A
 * partition without a position starts from its group's committed offset, else per
 * {@code auto.offset.reset} (earliest|latest|none). Leader changes and retriable errors are retried
 * after a metadata refresh.
 *
 * <p><b>Threads.</b> Not thread-safe, like Kafka's consumer: one caller at a time. Futures complete
 * on the caller's Vert.x context when the call was made on one (as Vert.x's own clients do); called
 * from a thread without a context (a plain {@code main}) they complete on the consumer's context,
 * the one it was created on. Nothing blocks a Vert.x thread (event loop or worker): see
 * {@link #position} and {@link #close()}. The group membership (heartbeats, the coordinator) runs on
 * the consumer's context whether or not the application polls; the rebalance listener runs inside
 * {@link #poll} (and {@link #unsubscribe}, {@link #close}), on the caller's context when it has one,
 * else on the consumer's, before the call's future completes. Configuration keys: {@link ConsumerConfigs}.
 */
public interface BrookConsumer extends AutoCloseable {

  /**
   * Reads these partitions (no group management); replaces the previous assignment. Empty: drops it
   * (subscribed: {@link #unsubscribe}).
   */
  void assign(Collection<TopicPartition> partitions);

  Set<TopicPartition> assignment();

  /** Joins the group ({@code group.id}) for these topics at the next poll; replaces the previous subscription. */
  void subscribe(Collection<String> topics);

  /** As {@link #subscribe(Collection)}, with a listener told of partitions assigned, revoked and lost, inside poll. */
  void subscribe(Collection<String> topics, ConsumerRebalanceListener listener);

  /**
   * Subscribes to the topics matching {@code pattern} (whole names; internal topics never match),
   * checked against the cluster's topics at every metadata refresh ({@code metadata.max.age.ms}): a
   * topic created later joins the subscription then.
   */
  void subscribe(Pattern pattern, ConsumerRebalanceListener listener);

  void subscribe(Pattern pattern);

  /**
   * Leaves the group (dynamic members send LeaveGroup; with auto-commit the consumed positions are
   * committed first; the listener hears the partitions revoked) or drops the assignment. Completes
   * once done; subscribe or assign again only then.
   */
  Future<Void> unsubscribe();

  /** The topics subscribed to; a pattern's are those it matched at the last metadata refresh. */
  Set<String> subscription();

  /**
   * Waits up to {@code timeout} for records; an empty list when none arrived. In a group it also
   * joins and rebalances (running the listener), and auto-commits; it fails with what the group
   * raised: a listener's exception, {@code FencedInstanceIdException} (fatal: every later poll fails
   * too), {@code GroupAuthorizationException}, ...
   */
  Future<List<ConsumerRecord<byte[], byte[]>>> poll(Duration timeout);

  /** Sets the position (the next offset poll returns); the group's committed offset does not change. */
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
   * The offset of the next record poll will return. A partition without a position gets one first
   * (the group's committed offset, else {@code auto.offset.reset}): off Vert.x threads this waits up
   * to {@code default.api.timeout.ms}; on a Vert.x thread it never blocks and answers -1 until the
   * position is known.
   */
  long position(TopicPartition partition);

  /**
   * Commits the positions of every assigned partition (what poll has returned), with the leader
   * epoch of the last record returned; retries retriable errors until {@code default.api.timeout.ms}.
   * Fails with {@code CommitFailedException} when the member is no longer in the generation (its
   * partitions may have gone to others), {@code RebalanceInProgressException} while a rebalance is
   * under way (poll to finish it, then commit again).
   */
  Future<Void> commitSync();

  /** As {@link #commitSync()}, these offsets (the next offset to read, as Kafka's). */
  Future<Void> commitSync(Map<TopicPartition, OffsetAndMetadata> offsets);

  /**
   * Commits the positions of every assigned partition once, without retries (commits stay in
   * order); answers what it committed. A failure a retry could fix is a
   * {@code RetriableCommitFailedException}.
   */
  Future<Map<TopicPartition, OffsetAndMetadata>> commitAsync();

  Future<Map<TopicPartition, OffsetAndMetadata>> commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets);

  /** The group's committed offsets; null for a partition without one. */
  Future<Map<TopicPartition, OffsetAndMetadata>> committed(Set<TopicPartition> partitions);

  /** Stops fetching and returning these assigned partitions until {@link #resume}d (a rebalance does not resume them). */
  void pause(Collection<TopicPartition> partitions);

  void resume(Collection<TopicPartition> partitions);

  Set<TopicPartition> paused();

  /** The group, generation and member id this consumer has now (generation -1 when not in a generation). */
  ConsumerGroupMetadata groupMetadata();

  /** Asks for a rebalance at the next poll (no-op while one is under way); e.g. after the assignor's inputs changed. */
  void enforceRebalance();

  /**
   * Closes the consumer: in a group, commits the consumed positions first (auto-commit), waits for
   * commits in flight, tells the listener the partitions are revoked and sends LeaveGroup at once
   * (static members do not leave: their session does); then stops fetching. Never blocks; the future
   * completes once closed, within {@code timeout}.
   */
  Future<Void> close(Duration timeout);

  /**
   * {@link #close(Duration)} with a 30 s timeout. Off Vert.x threads (try-with-resources in a plain
   * {@code main}) it blocks until the consumer is closed, like Kafka's {@code close()}. On a Vert.x
   * thread, which must never block, it only starts the close and returns at once: there, use
   * {@link #close(Duration)} and its future.
   */
  @Override
  default void close() {
    Future<Void> closed = close(Duration.ofSeconds(30));
    if (!Context.isOnVertxThread()) {
      closed.await();
    }
  }
}
