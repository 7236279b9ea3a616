package io.brook.client.internals;

import io.brook.protocol.Addresses;
import io.brook.protocol.message.ListOffsetsRequest;
import io.brook.protocol.message.ListOffsetsResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.protocol.Errors;

/**
 * Offset look-ups ({@code brook.api.broker.<leader>.list-offsets}) by time, earliest or latest, sent
 * to each partition's leader and retried on retriable errors (after a metadata refresh and
 * {@code retry.backoff.ms}) until a deadline. A topic that two fresh refreshes in a row do not know
 * (the second asks another broker) fails then, not at the deadline.
 *
 * <p>Runs on the consumer's context; its futures complete there.
 */
final class OffsetLookup {
  /** Fresh metadata answers in a row that must not know a partition before it counts as missing. */
  private static final int MISSING_ANSWERS_TO_FAIL = 2;

  private final Vertx vertx;
  private final Rpc rpc;
  private final Metadata metadata;
  private final long requestTimeoutMs;
  private final long backoffMs;

  OffsetLookup(Vertx vertx, Rpc rpc, Metadata metadata, long requestTimeoutMs, long backoffMs) {
    this.vertx = vertx;
    this.rpc = rpc;
    this.metadata = metadata;
    this.requestTimeoutMs = requestTimeoutMs;
    this.backoffMs = backoffMs;
  }

  /** One look-up per partition, all at once; fails with the first failure. */
  Future<Map<TopicPartition, ListOffsetsResponse>> lookup(Map<TopicPartition, Long> timestamps, long timeoutMs) {
    long deadlineMs = System.currentTimeMillis() + timeoutMs;
    List<TopicPartition> partitions = new ArrayList<>(timestamps.keySet());
    List<Future<ListOffsetsResponse>> futures = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      futures.add(lookup(tp, timestamps.get(tp), deadlineMs));
    }
    return Future.all(futures).map(all -> {
      Map<TopicPartition, ListOffsetsResponse> result = new HashMap<>();
      for (int i = 0; i < partitions.size(); i++) {
        result.put(partitions.get(i), futures.get(i).result());
      }
      return result;
    });
  }

  Future<Map<TopicPartition, ListOffsetsResponse>> lookup(Collection<TopicPartition> partitions, long timestamp,
      long timeoutMs) {
    Map<TopicPartition, Long> timestamps = new HashMap<>();
    partitions.forEach(tp -> timestamps.put(tp, timestamp));
    return lookup(timestamps, timeoutMs);
  }

  /** The look-up of one partition, retried until {@code deadlineMs}. */
  Future<ListOffsetsResponse> lookup(TopicPartition tp, long timestamp, long deadlineMs) {
    if (metadata.addTopic(tp.topic()) || metadata.snapshot().leader(tp) < 0) {
      return metadata.refresh().transform(ar -> attempt(tp, timestamp, deadlineMs, true, 0));
    }
    return attempt(tp, timestamp, deadlineMs, false, 0);
  }

  /** {@code missingAnswers}: fresh metadata answers in a row that did not know the partition. */
  private Future<ListOffsetsResponse> attempt(TopicPartition tp, long timestamp, long deadlineMs, boolean refreshed,
      int missingAnswers) {
    int leader = metadata.snapshot().leader(tp);
    if (leader < 0) {
      MetadataSnapshot.TopicInfo topic = metadata.snapshot().topic(tp.topic());
      boolean missing = topic != null && (topic.error() == Errors.UNKNOWN_TOPIC_OR_PARTITION
          || (topic.known() && tp.partition() >= topic.partitionCount()));
      int missingNow = refreshed && missing ? missingAnswers + 1 : 0;
      // one broker may not have applied a topic created a moment ago: the next refresh asks another
      if (missingNow >= MISSING_ANSWERS_TO_FAIL) {
        return Future.failedFuture(new UnknownTopicOrPartitionException("Partition " + tp + " does not exist"));
      }
      return retryLater(tp, timestamp, deadlineMs, null, missingNow);
    }
    long timeoutMs = Math.min(requestTimeoutMs, Math.max(1, deadlineMs - System.currentTimeMillis()));
    return rpc.request(Addresses.listOffsets(leader), new ListOffsetsRequest(tp.topic(), tp.partition(), timestamp),
            timeoutMs, ListOffsetsResponse.class)
        .recover(error -> error instanceof RetriableException
            ? retryLater(tp, timestamp, deadlineMs, error, 0)
            : Future.failedFuture(error));
  }

  private Future<ListOffsetsResponse> retryLater(TopicPartition tp, long timestamp, long deadlineMs, Throwable last,
      int missingAnswers) {
    if (System.currentTimeMillis() + backoffMs >= deadlineMs) {
      return Future.failedFuture(new TimeoutException("Failed to get offsets of " + tp + " in time"
          + (last == null ? ": no leader known" : ": " + last.getMessage()), last));
    }
    Promise<ListOffsetsResponse> retried = Promise.promise();
    vertx.setTimer(Math.max(1, backoffMs), id -> metadata.refresh()
        .transform(ar -> attempt(tp, timestamp, deadlineMs, ar.succeeded(), missingAnswers))
        .onComplete(retried));
    return retried.future();
  }
}
