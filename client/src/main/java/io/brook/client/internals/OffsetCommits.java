package io.brook.client.internals;

import io.brook.client.ConsumerConfigs;
import io.brook.protocol.GroupApi;
import io.brook.protocol.message.OffsetCommitRequest;
import io.brook.protocol.message.OffsetCommitResponse;
import io.brook.protocol.message.OffsetFetchRequest;
import io.brook.protocol.message.OffsetFetchResponse;
import io.brook.protocol.message.TopicPartitionRef;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RetriableCommitFailedException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.protocol.Errors;

/**
 * A consumer's committed offsets in its group, as Kafka's {@code ConsumerCoordinator} handles them:
 * OffsetCommit (a member's with its generation and member id, outside group management with
 * generation -1), OffsetFetch, the positions of newly assigned partitions from the committed
 * offsets, and auto-commit every {@code auto.commit.interval.ms}.
 *
 * <p>A synchronous commit retries retriable errors ({@code COORDINATOR_LOAD_IN_PROGRESS},
 * {@code NOT_COORDINATOR} after a new look-up, ...) until its deadline; an asynchronous one is sent
 * once, in order, and fails with {@link RetriableCommitFailedException} where a retry could help.
 * Rebalance errors become {@code CommitFailedException} or {@code RebalanceInProgressException}
 * as the {@link Member} decides. Every commit is tracked until it completes, so a rebalance can wait
 * for the commits the application started in its listener.
 *
 * <p>Runs on the consumer's context; partition states are read and written under the
 * {@link SubscriptionState} lock.
 */
final class OffsetCommits {
  private static final System.Logger LOG = System.getLogger(OffsetCommits.class.getName());

  /** What commits need from the group member. */
  interface Member {
    /**
     * The generation a commit is sent with ({@link Generation#NO_GENERATION} outside group
     * management); throws {@code RebalanceInProgressException} or {@code CommitFailedException}
     * when the member is not in a stable generation.
     */
    Generation commitGeneration();

    /** The instance id a commit carries (static members in a group), or null. */
    String commitInstanceId();

    /** Acts on a rebalance error answered to a commit sent in {@code sent}; answers what the commit fails with. */
    KafkaException onCommitError(Errors error, Generation sent);
  }

  private final Vertx vertx;
  private final CoordinatorChannel channel;
  private final SubscriptionState subscriptions;
  private final ConsumerConfigs config;
  private final String groupId;
  private final Runnable onProgress;
  private Member member;
  private final List<Future<?>> inFlight = new ArrayList<>();
  private long nextAutoCommitMs;
  private long initRetryAtMs;

  OffsetCommits(Vertx vertx, CoordinatorChannel channel, SubscriptionState subscriptions, ConsumerConfigs config,
      Runnable onProgress) {
    this.vertx = vertx;
    this.channel = channel;
    this.subscriptions = subscriptions;
    this.config = config;
    this.groupId = config.groupId().orElseThrow();
    this.onProgress = onProgress;
    this.nextAutoCommitMs = System.currentTimeMillis() + config.autoCommitIntervalMs();
  }

  void member(Member groupMember) {
    this.member = groupMember;
  }

  // ---- commits ----

  /** One attempt: a look-up first if the coordinator is unknown. */
  Future<Void> commitOnce(Map<TopicPartition, OffsetAndMetadata> offsets) {
    for (Map.Entry<TopicPartition, OffsetAndMetadata> e : offsets.entrySet()) {
      if (e.getValue() == null || e.getValue().offset() < 0) {
        return Future.failedFuture(new IllegalArgumentException("Invalid offset for " + e.getKey() + ": "
            + e.getValue()));
      }
    }
    if (offsets.isEmpty()) {
      return Future.succeededFuture();
    }
    Future<?> ready = channel.unknown() ? channel.lookup() : Future.succeededFuture();
    Future<Void> commit = ready.compose(v -> {
      Generation generation = member.commitGeneration();
      return channel.send(GroupApi.OFFSET_COMMIT, request(generation, offsets), OffsetCommitResponse.class)
          .compose(response -> onCommitResponse(response, generation));
    });
    return track(commit);
  }

  private OffsetCommitRequest request(Generation generation, Map<TopicPartition, OffsetAndMetadata> offsets) {
    List<OffsetCommitRequest.Offset> entries = new ArrayList<>();
    offsets.forEach((tp, o) -> entries.add(new OffsetCommitRequest.Offset(tp.topic(), tp.partition(), o.offset(),
        o.leaderEpoch().orElse(-1), o.metadata())));
    return new OffsetCommitRequest(groupId, generation.generationId(), generation.memberId(),
        generation == Generation.NO_GENERATION ? null : member.commitInstanceId(), entries);
  }

  private Future<Void> onCommitResponse(OffsetCommitResponse response, Generation sent) {
    Set<String> unauthorized = new TreeSet<>();
    for (OffsetCommitResponse.Partition p : response.partitions()) {
      Errors error = MetadataSnapshot.errorOf(p.error());
      if (error == Errors.TOPIC_AUTHORIZATION_FAILED) {
        unauthorized.add(p.topic());
      } else if (error != Errors.NONE) {
        return Future.failedFuture(commitError(error, sent));
      }
    }
    return unauthorized.isEmpty() ? Future.succeededFuture()
        : Future.failedFuture(new TopicAuthorizationException(unauthorized));
  }

  /** Kafka's {@code OffsetCommitResponseHandler}: the exception a partition's error raises. */
  private KafkaException commitError(Errors error, Generation sent) {
    switch (error) {
      case GROUP_AUTHORIZATION_FAILED:
        return GroupAuthorizationException.forGroupId(groupId);
      case OFFSET_METADATA_TOO_LARGE:
      case INVALID_COMMIT_OFFSET_SIZE:
      case COORDINATOR_LOAD_IN_PROGRESS:
      case UNKNOWN_TOPIC_OR_PARTITION:
        return error.exception();
      case COORDINATOR_NOT_AVAILABLE:
      case NOT_COORDINATOR:
      case REQUEST_TIMED_OUT:
        channel.markUnknown(error + " on OffsetCommit");
        return error.exception();
      case FENCED_INSTANCE_ID:
      case REBALANCE_IN_PROGRESS:
      case UNKNOWN_MEMBER_ID:
      case ILLEGAL_GENERATION:
        return member.onCommitError(error, sent);
      default:
        return new KafkaException("Unexpected error in commit: " + error.message());
    }
  }

  /** Commits, retrying retriable errors after {@code retry.backoff.ms} until {@code deadlineMs}. */
  Future<Void> commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, long deadlineMs) {
    if (offsets.isEmpty()) {
      return awaitInFlight(deadlineMs); // as Kafka: an empty commitSync waits for the async commits before it
    }
    return track(retryUntil(() -> commitOnce(offsets), deadlineMs, "committing offsets " + offsets));
  }

  /** One attempt; a retriable failure is a {@link RetriableCommitFailedException}. */
  Future<Map<TopicPartition, OffsetAndMetadata>> commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets) {
    return commitOnce(offsets).transform(ar -> {
      if (ar.succeeded()) {
        return Future.succeededFuture(offsets);
      }
      Throwable error = ar.cause();
      return Future.failedFuture(error instanceof RetriableException
          ? new RetriableCommitFailedException(error) : error);
    });
  }

  private <T> Future<T> track(Future<T> commit) {
    if (!commit.isComplete()) {
      inFlight.add(commit);
      commit.onComplete(ar -> inFlight.remove(commit));
    }
    return commit;
  }

  /** Completes when every commit started before it has completed, or at {@code deadlineMs}. */
  Future<Void> awaitInFlight(long deadlineMs) {
    if (inFlight.isEmpty()) {
      return Future.succeededFuture();
    }
    return Retries.withDeadline(vertx, Future.join(new ArrayList<>(inFlight)).mapEmpty(), deadlineMs)
        .<Void>mapEmpty().otherwiseEmpty();
  }

  // ---- auto-commit ----

  /** From poll: commits what was consumed once {@code auto.commit.interval.ms} passed since the last time. */
  void maybeAutoCommit(long nowMs) {
    if (!config.autoCommit() || nowMs < nextAutoCommitMs) {
      return;
    }
    nextAutoCommitMs = nowMs + config.autoCommitIntervalMs();
    Map<TopicPartition, OffsetAndMetadata> offsets = subscriptions.allConsumed();
    commitAsync(offsets).onFailure(error -> {
      if (error instanceof RetriableCommitFailedException) {
        nextAutoCommitMs = System.currentTimeMillis() + config.retryBackoffMs(); // try again soon
        LOG.log(System.Logger.Level.DEBUG, "Auto-commit of " + offsets + " failed, retrying: " + error.getMessage());
      } else {
        LOG.log(System.Logger.Level.WARNING, "Auto-commit of offsets " + offsets + " failed: " + error.getMessage());
      }
    });
  }

  /** A new assignment: the next auto-commit is a whole interval away (Kafka reschedules it too). */
  void resetAutoCommitTimer(long nowMs) {
    nextAutoCommitMs = nowMs + config.autoCommitIntervalMs();
  }

  // ---- committed offsets ----

  /** One OffsetFetch: each partition's committed offset, null where the group has none. */
  Future<Map<TopicPartition, OffsetAndMetadata>> fetchOnce(Collection<TopicPartition> partitions) {
    List<TopicPartitionRef> refs = partitions.stream().map(tp -> new TopicPartitionRef(tp.topic(), tp.partition()))
        .toList();
    return channel.sendWhenKnown(GroupApi.OFFSET_FETCH, new OffsetFetchRequest(groupId, refs),
        OffsetFetchResponse.class).compose(response -> {
          Errors error = MetadataSnapshot.errorOf(response.error());
          if (error != Errors.NONE) {
            return fetchError(error);
          }
          Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>();
          partitions.forEach(tp -> result.put(tp, null));
          for (OffsetFetchResponse.Offset o : response.offsets()) {
            TopicPartition tp = new TopicPartition(o.topic(), o.partition());
            if (result.containsKey(tp) && o.offset() >= 0) {
              result.put(tp, new OffsetAndMetadata(o.offset(),
                  o.leaderEpoch() < 0 ? Optional.empty() : Optional.of(o.leaderEpoch()), o.metadata()));
            }
          }
          return Future.succeededFuture(result);
        });
  }

  private <T> Future<T> fetchError(Errors error) {
    switch (error) {
      case GROUP_AUTHORIZATION_FAILED:
        return Future.failedFuture(GroupAuthorizationException.forGroupId(groupId));
      case NOT_COORDINATOR:
      case COORDINATOR_NOT_AVAILABLE:
      case COORDINATOR_LOAD_IN_PROGRESS:
        return channel.failWith(error, "OffsetFetch");
      default:
        return Future.failedFuture(new KafkaException("Unexpected error in fetch offset response: " + error.message()));
    }
  }

  /** The committed offsets, retrying retriable errors until {@code deadlineMs}. */
  Future<Map<TopicPartition, OffsetAndMetadata>> fetchCommitted(Collection<TopicPartition> partitions,
      long deadlineMs) {
    if (partitions.isEmpty()) {
      return Future.succeededFuture(new HashMap<>());
    }
    Set<TopicPartition> asked = new HashSet<>(partitions);
    return retryUntil(() -> fetchOnce(asked), deadlineMs, "fetching committed offsets of " + asked);
  }

  /**
   * Starts one OffsetFetch for the partitions waiting for their committed offset: each then takes
   * it as its position, or (none committed) goes to {@code auto.offset.reset}. A failure retries
   * after {@code retry.backoff.ms}. {@code onProgress} runs when the answer is applied.
   */
  void initPositions() {
    long nowMs = System.currentTimeMillis();
    if (nowMs < initRetryAtMs) {
      return;
    }
    Map<TopicPartition, PartitionState> waiting;
    synchronized (subscriptions) {
      waiting = subscriptions.awaitingCommittedOffsets();
      waiting.values().forEach(state -> state.committedFetchInFlight = true);
    }
    if (waiting.isEmpty()) {
      return;
    }
    fetchOnce(waiting.keySet()).onComplete(ar -> {
      synchronized (subscriptions) {
        waiting.forEach((tp, state) -> {
          state.committedFetchInFlight = false;
          if (ar.succeeded() && subscriptions.state(tp) == state && state.needsCommittedOffset && !state.hasPosition()) {
            OffsetAndMetadata committed = ar.result().get(tp);
            if (committed == null) {
              state.needsCommittedOffset = false; // none: auto.offset.reset decides
            } else {
              state.seek(committed.offset(), committed.leaderEpoch().orElse(-1));
            }
          }
        });
      }
      if (ar.failed()) {
        LOG.log(System.Logger.Level.DEBUG, "Fetching the committed offsets of " + waiting.keySet() + " failed, retrying: "
            + ar.cause());
        initRetryAtMs = System.currentTimeMillis() + config.retryBackoffMs();
        vertx.setTimer(Math.max(1, config.retryBackoffMs()), id -> onProgress.run());
      }
      onProgress.run();
    });
  }

  private <T> Future<T> retryUntil(Supplier<Future<T>> attempt, long deadlineMs, String what) {
    return Retries.until(vertx, attempt, deadlineMs, config.retryBackoffMs(), what);
  }
}
