package io.brook.client.internals;

import io.brook.protocol.Addresses;
import io.brook.protocol.message.DeleteRecordsRequest;
import io.brook.protocol.message.DeleteRecordsResponse;
import io.brook.protocol.message.MetadataRequest;
import io.brook.protocol.message.MetadataResponse;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.TopicMetadata;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.protocol.Errors;

/**
 * DeleteRecords from the admin client (Kafka's {@code Admin.deleteRecords}): looks up each
 * partition's leader, sends each leader one request per topic ({@code brook.api.broker.<id>.delete-records}),
 * and completes each partition's future with its low watermark or its error. Partitions that fail
 * with a retriable error (a leader that moved, no leader yet) are sent again with fresh metadata
 * after {@code retry.backoff.ms}, until {@code default.api.timeout.ms}.
 *
 * <p>Stateless between calls; every step of a call runs on one context of its own (so its maps
 * need no lock), and the futures complete there.
 */
final class RecordsDeleter {
  private final Vertx vertx;
  private final Rpc rpc;
  private final long requestTimeoutMs;
  private final long apiTimeoutMs;
  private final long backoffMs;

  RecordsDeleter(Vertx vertx, Rpc rpc, long requestTimeoutMs, long apiTimeoutMs, long backoffMs) {
    this.vertx = vertx;
    this.rpc = rpc;
    this.requestTimeoutMs = requestTimeoutMs;
    this.apiTimeoutMs = apiTimeoutMs;
    this.backoffMs = backoffMs;
  }

  Map<TopicPartition, Future<Long>> delete(Map<TopicPartition, Long> offsets) {
    Map<TopicPartition, Promise<Long>> promises = new LinkedHashMap<>();
    offsets.keySet().forEach(tp -> promises.put(tp, Promise.promise()));
    long deadlineMs = System.currentTimeMillis() + apiTimeoutMs;
    Map<TopicPartition, Long> pending = new HashMap<>(offsets);
    // requests, timers and their callbacks made on this context run on it, one at a time
    vertx.getOrCreateContext().runOnContext(v -> attempt(pending, promises, deadlineMs));
    Map<TopicPartition, Future<Long>> futures = new LinkedHashMap<>();
    promises.forEach((tp, promise) -> futures.put(tp, promise.future()));
    return futures;
  }

  private void attempt(Map<TopicPartition, Long> pending, Map<TopicPartition, Promise<Long>> promises, long deadlineMs) {
    List<String> topics = pending.keySet().stream().map(TopicPartition::topic).distinct().toList();
    rpc.request(Addresses.METADATA, new MetadataRequest(topics), leftMs(deadlineMs), MetadataResponse.class)
        .onComplete(metadata -> {
          Map<TopicPartition, Long> retry = new HashMap<>();
          Map<TopicPartition, Throwable> lastErrors = new HashMap<>();
          if (metadata.failed()) {
            pending.keySet().forEach(tp -> lastErrors.put(tp, metadata.cause()));
            retryOrFail(pending, lastErrors, promises, deadlineMs);
            return;
          }
          Map<Integer, Map<String, List<DeleteRecordsRequest.PartitionOffset>>> byLeader = new HashMap<>();
          pending.forEach((tp, offset) -> {
            int leader = leaderOf(metadata.result(), tp, promises);
            if (leader >= 0) {
              byLeader.computeIfAbsent(leader, l -> new HashMap<>()).computeIfAbsent(tp.topic(), t -> new ArrayList<>())
                  .add(new DeleteRecordsRequest.PartitionOffset(tp.partition(), offset));
            } else if (leader == NO_LEADER) {
              retry.put(tp, offset);
              lastErrors.put(tp, Errors.LEADER_NOT_AVAILABLE.exception(tp + " has no leader right now"));
            }
          });
          List<Future<?>> sent = new ArrayList<>();
          byLeader.forEach((leader, perTopic) -> perTopic.forEach((topic, partitions) ->
              sent.add(send(leader, topic, partitions, pending, promises, retry, lastErrors, deadlineMs))));
          Future.join(sent).onComplete(all -> retryOrFail(retry, lastErrors, promises, deadlineMs));
        });
  }

  private static final int NO_LEADER = -1;
  private static final int FAILED = -2;

  /** The partition's leader, {@link #NO_LEADER} to retry, or {@link #FAILED} after failing its promise. */
  private static int leaderOf(MetadataResponse metadata, TopicPartition tp, Map<TopicPartition, Promise<Long>> promises) {
    TopicMetadata topic = metadata.topics().stream().filter(t -> t.name().equals(tp.topic())).findFirst().orElse(null);
    if (topic == null || topic.error() != null && !topic.error().equals(Errors.NONE.name())) {
      String error = topic == null ? Errors.UNKNOWN_TOPIC_OR_PARTITION.name() : topic.error();
      promises.get(tp).tryFail(errorOf(error, "Topic '" + tp.topic() + "': " + error));
      return FAILED;
    }
    PartitionMetadata partition = topic.partitions().stream().filter(p -> p.partition() == tp.partition())
        .findFirst().orElse(null);
    if (partition == null) {
      promises.get(tp).tryFail(new UnknownTopicOrPartitionException("Topic '" + tp.topic() + "' has no partition "
          + tp.partition()));
      return FAILED;
    }
    return partition.leader() < 0 ? NO_LEADER : partition.leader();
  }

  private Future<DeleteRecordsResponse> send(int leader, String topic, List<DeleteRecordsRequest.PartitionOffset> partitions,
      Map<TopicPartition, Long> pending, Map<TopicPartition, Promise<Long>> promises, Map<TopicPartition, Long> retry,
      Map<TopicPartition, Throwable> lastErrors, long deadlineMs) {
    // the leader waits for its replicas at most until the deadline; the reply may take a request timeout more
    int waitMs = (int) Math.min(DeleteRecordsRequest.MAX_TIMEOUT_MS, Math.min(requestTimeoutMs, leftMs(deadlineMs)));
    DeleteRecordsRequest request = new DeleteRecordsRequest(topic, partitions, waitMs);
    return rpc.request(Addresses.deleteRecords(leader), request, waitMs + requestTimeoutMs, DeleteRecordsResponse.class)
        .onSuccess(response -> response.results().forEach(result -> {
          TopicPartition tp = new TopicPartition(topic, result.partition());
          if (!promises.containsKey(tp)) {
            return;
          }
          if (result.error() == null) {
            promises.get(tp).tryComplete(result.lowWatermark());
            return;
          }
          ApiException error = errorOf(result.error(), result.message());
          if (error instanceof RetriableException && !(error instanceof TimeoutException)) {
            retry.put(tp, pending.get(tp));
            lastErrors.put(tp, error);
          } else {
            promises.get(tp).tryFail(error);
          }
        }))
        .onFailure(failure -> partitions.forEach(p -> {
          TopicPartition tp = new TopicPartition(topic, p.partition());
          if (failure instanceof RetriableException && !(failure instanceof TimeoutException)) {
            retry.put(tp, p.offset());
            lastErrors.put(tp, failure);
          } else {
            promises.get(tp).tryFail(failure);
          }
        }));
  }

  private void retryOrFail(Map<TopicPartition, Long> retry, Map<TopicPartition, Throwable> lastErrors,
      Map<TopicPartition, Promise<Long>> promises, long deadlineMs) {
    if (retry.isEmpty()) {
      return;
    }
    if (System.currentTimeMillis() + backoffMs >= deadlineMs) {
      retry.keySet().forEach(tp -> promises.get(tp).tryFail(new TimeoutException("Deleting the records of " + tp
          + " did not complete in time: " + lastErrors.get(tp).getMessage(), lastErrors.get(tp))));
      return;
    }
    vertx.setTimer(Math.max(1, backoffMs), id -> attempt(retry, promises, deadlineMs));
  }

  private static long leftMs(long deadlineMs) {
    return Math.max(1, deadlineMs - System.currentTimeMillis());
  }

  private static ApiException errorOf(String name, String message) {
    Errors error;
    try {
      error = Errors.valueOf(name);
    } catch (IllegalArgumentException unknown) {
      error = Errors.UNKNOWN_SERVER_ERROR;
    }
    return error.exception(message);
  }
}
