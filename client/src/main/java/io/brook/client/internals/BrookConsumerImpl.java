package io.brook.client.internals;

import io.brook.client.BrookConsumer;
import io.brook.client.ConsumerConfigs;
import io.brook.protocol.ClusterView;
import io.brook.protocol.message.ListOffsetsRequest;
import io.brook.protocol.message.ListOffsetsResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.apache.kafka.common.errors.InvalidTopicException;

/**
 * The consumer: application calls ({@code assign}, {@code subscribe}, {@code seek}, {@code pause},
 * {@code position}) change the {@link SubscriptionState} under its lock; fetching, offset look-ups,
 * commits, the group membership and polls run on the consumer's context through {@link Fetcher},
 * {@link OffsetLookup}, {@link OffsetCommits} and {@link ConsumerCoordinator} (the last two only
 * with a {@code group.id}).
 *
 * <p><b>A poll</b> is a series of steps on the context, one at a time: the group member's step
 * (join, rebalance listener, auto-commit), then the positions that need the group's committed
 * offsets, then draining buffered records and fetching. A poll answers as soon as a step drained
 * records, or at its timeout (after the step under way, listener included); until then every event
 * that may change the answer (a fetch response, a join or sync answered, a commit done, a heartbeat
 * asking for a rebalance) runs another step. Futures complete on the caller's Vert.x context when
 * the call was made on one ({@link CallerContext}).
 */
public final class BrookConsumerImpl implements BrookConsumer {
  private final Vertx vertx;
  private final Context context;
  private final ConsumerConfigs config;
  private final Metadata metadata;
  private final SubscriptionState subscriptions;
  private final OffsetLookup lookup;
  private final Fetcher fetcher;
  /** With a group.id: commits and the committed offsets of new partitions. */
  private final OffsetCommits commits;
  /** With a group.id: the group membership. */
  private final ConsumerCoordinator coordinator;
  private final Promise<Void> closePromise = Promise.promise();
  private volatile boolean closed;
  // owned by the context
  private PendingPoll waitingPoll;

  /** A poll waiting for records on the context. */
  private static final class PendingPoll {
    final Promise<List<ConsumerRecord<byte[], byte[]>>> promise;
    final Context caller;
    long timerId = -1;
    boolean expired;
    boolean stepping;
    boolean again;

    PendingPoll(Promise<List<ConsumerRecord<byte[], byte[]>>> promise, Context caller) {
      this.promise = promise;
      this.caller = caller;
    }
  }

  public BrookConsumerImpl(Vertx vertx, ConsumerConfigs config) {
    this(vertx, config, java.util.Map.of());
  }

  /** With event bus headers on every request (see {@code BrookClients.consumer(vertx, config, headers)}). */
  public BrookConsumerImpl(Vertx vertx, ConsumerConfigs config, java.util.Map<String, String> headers) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.config = config;
    Rpc rpc = new Rpc(vertx, headers);
    this.subscriptions = new SubscriptionState(config.groupId().isPresent());
    this.metadata = new Metadata(vertx, context, rpc, config.requestTimeoutMs(), config.retryBackoffMs(),
        config.metadataMaxAgeMs(), this::onMetadataUpdate);
    this.lookup = new OffsetLookup(vertx, rpc, metadata, config.requestTimeoutMs(), config.retryBackoffMs());
    this.fetcher = new Fetcher(vertx, rpc, metadata, lookup, subscriptions, config, this::wake);
    if (config.groupId().isPresent()) {
      CoordinatorChannel channel = new CoordinatorChannel(vertx, rpc, config.groupId().get(), config.requestTimeoutMs(),
          config.retryBackoffMs());
      this.commits = new OffsetCommits(vertx, channel, subscriptions, config, this::onCommittedOffsets);
      this.coordinator = new ConsumerCoordinator(vertx, context, config, clientHost(vertx), subscriptions, metadata,
          channel, commits, this::wake, () -> waitingPoll != null);
    } else {
      this.commits = null;
      this.coordinator = null;
    }
  }

  /** The host a group's members are listed with: this node's cluster host, as Kafka lists the client's address. */
  private static String clientHost(Vertx vertx) {
    return "/" + ClusterView.of(vertx).host("127.0.0.1");
  }

  // ---- what is read ----

  @Override
  public void assign(Collection<TopicPartition> partitions) {
    throwIfClosed();
    if (partitions.isEmpty()) {
      if (subscriptions.hasAutoAssignedPartitions()) {
        unsubscribe(); // leaves the group, as Kafka's assign(empty)
      } else {
        subscriptions.unsubscribe(); // at once: an assign() may follow right away
      }
      return;
    }
    for (TopicPartition tp : partitions) {
      if (tp == null || tp.topic() == null || tp.topic().isBlank()) {
        throw new IllegalArgumentException("Topic partitions to assign to cannot have null or empty topic");
      }
    }
    subscriptions.assignFromUser(new LinkedHashSet<>(partitions));
    Set<String> topics = new HashSet<>();
    partitions.forEach(tp -> topics.add(tp.topic()));
    if (metadata.addTopics(topics)) {
      metadata.requestUpdate();
    }
  }

  @Override
  public Set<TopicPartition> assignment() {
    return subscriptions.assignment();
  }

  @Override
  public void subscribe(Collection<String> topics) {
    subscribe(topics, null);
  }

  @Override
  public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
    throwIfClosed();
    requireGroup("subscribe");
    if (topics.isEmpty()) {
      unsubscribe();
      return;
    }
    Set<String> names = new HashSet<>();
    for (String topic : topics) {
      if (topic == null || topic.isBlank()) {
        throw new IllegalArgumentException("Topic collection to subscribe to cannot contain null or empty topic");
      }
      if (io.brook.protocol.InternalTopics.isInternal(topic)) {
        throw new InvalidTopicException("Topic '" + topic + "' is internal to Brook: clients cannot consume it");
      }
      names.add(topic);
    }
    subscriptions.subscribe(names, listener);
    metadata.needAllTopics(false);
    if (metadata.addTopics(names)) {
      metadata.requestUpdate();
    }
    onContext(this::wake);
  }

  @Override
  public void subscribe(Pattern pattern, ConsumerRebalanceListener listener) {
    throwIfClosed();
    requireGroup("subscribe");
    if (pattern == null || pattern.pattern().isEmpty()) {
      throw new IllegalArgumentException("Topic pattern to subscribe to cannot be " + (pattern == null ? "null"
          : "empty"));
    }
    subscriptions.subscribe(pattern, listener);
    metadata.needAllTopics(true);
    metadata.requestUpdate();
  }

  @Override
  public void subscribe(Pattern pattern) {
    subscribe(pattern, null);
  }

  @Override
  public Future<Void> unsubscribe() {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("This consumer has already been closed."));
    }
    Context caller = CallerContext.foreign(context);
    Promise<Void> promise = Promise.promise();
    onContext(() -> {
      Future<Void> left = coordinator == null ? Future.succeededFuture()
          : coordinator.leave(System.currentTimeMillis() + config.defaultApiTimeoutMs(), caller,
              "the consumer unsubscribed from all topics");
      left.onComplete(ar -> {
        subscriptions.unsubscribe();
        metadata.needAllTopics(false);
        promise.handle(ar);
      });
    });
    return CallerContext.on(caller, promise.future());
  }

  @Override
  public Set<String> subscription() {
    return subscriptions.subscription();
  }

  @Override
  public void pause(Collection<TopicPartition> partitions) {
    subscriptions.pause(partitions);
  }

  @Override
  public void resume(Collection<TopicPartition> partitions) {
    subscriptions.resume(partitions);
    onContext(fetcher::run);
  }

  @Override
  public Set<TopicPartition> paused() {
    return subscriptions.paused();
  }

  // ---- poll ----

  @Override
  public Future<List<ConsumerRecord<byte[], byte[]>>> poll(Duration timeout) {
    Context caller = CallerContext.foreign(context);
    Promise<List<ConsumerRecord<byte[], byte[]>>> promise = Promise.promise();
    long timeoutMs = Math.max(0, Math.min(timeout.toMillis(), Integer.MAX_VALUE));
    onContext(() -> startPoll(new PendingPoll(promise, caller), timeoutMs));
    return CallerContext.on(caller, promise.future());
  }

  private void startPoll(PendingPoll poll, long timeoutMs) {
    try {
      throwIfClosed();
      if (subscriptions.hasNoSubscriptionOrUserAssignment()) {
        throw new IllegalStateException("Consumer is not subscribed to any topics or assigned any partitions");
      }
      if (waitingPoll != null) {
        throw new IllegalStateException("Another poll is in progress: the consumer is not thread-safe");
      }
    } catch (RuntimeException e) {
      poll.promise.fail(e);
      return;
    }
    waitingPoll = poll;
    if (timeoutMs == 0) {
      poll.expired = true; // one step, then answer what it found
    } else {
      poll.timerId = vertx.setTimer(timeoutMs, id -> {
        poll.timerId = -1;
        poll.expired = true;
        step(poll);
      });
    }
    step(poll);
  }

  /** On the context: something changed that a waiting poll may answer with. */
  private void wake() {
    if (waitingPoll != null) {
      step(waitingPoll);
    }
  }

  /** One step of {@code poll}: the group's, then records; steps asked for meanwhile run right after. */
  private void step(PendingPoll poll) {
    if (waitingPoll != poll) {
      return;
    }
    if (poll.stepping) {
      poll.again = true;
      return;
    }
    poll.stepping = true;
    poll.again = false;
    Future<Void> group;
    try {
      group = coordinator == null ? Future.succeededFuture() : coordinator.poll(System.currentTimeMillis(), poll.caller);
    } catch (RuntimeException e) {
      group = Future.failedFuture(e);
    }
    group.onComplete(ar -> {
      poll.stepping = false;
      if (waitingPoll != poll) {
        return;
      }
      if (ar.failed()) {
        finish(poll, null, ar.cause());
        return;
      }
      List<ConsumerRecord<byte[], byte[]>> records;
      try {
        records = fetchStep();
      } catch (RuntimeException e) {
        finish(poll, null, e);
        return;
      }
      if (!records.isEmpty() || poll.expired) {
        finish(poll, records, null);
      } else if (poll.again) {
        context.runOnContext(v -> step(poll));
      }
    });
  }

  private List<ConsumerRecord<byte[], byte[]>> fetchStep() {
    List<ConsumerRecord<byte[], byte[]>> records = drain();
    runFetcher();
    if (records.isEmpty()) {
      records = drain(); // raises what starting the fetches found (e.g. no offset with reset none)
    }
    return records;
  }

  /** Starts the committed-offset look-ups, resets and fetches that are due. */
  private void runFetcher() {
    if (commits != null) {
      commits.initPositions();
    }
    fetcher.run();
  }

  private void finish(PendingPoll poll, List<ConsumerRecord<byte[], byte[]>> records, Throwable error) {
    waitingPoll = null;
    if (poll.timerId >= 0) {
      vertx.cancelTimer(poll.timerId);
      poll.timerId = -1;
    }
    if (coordinator != null) {
      coordinator.onPollEnd(System.currentTimeMillis());
    }
    if (error != null) {
      poll.promise.fail(error);
    } else {
      poll.promise.complete(records);
    }
  }

  /**
   * Takes up to {@code max.poll.records} buffered records, advancing positions; raises a
   * partition's pending error (out of range with reset none, corrupt batch, fatal fetch error).
   */
  private List<ConsumerRecord<byte[], byte[]>> drain() {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    synchronized (subscriptions) {
      for (Map.Entry<TopicPartition, PartitionState> entry : subscriptions.drainOrder()) {
        PartitionState state = entry.getValue();
        if (state.error != null) {
          RuntimeException error = state.error;
          state.error = null;
          if (!out.isEmpty()) {
            state.error = error; // hand out what we have; raise it next poll
            return out;
          }
          throw error;
        }
        if (state.drainable()) {
          drainPartition(state, out);
        }
        if (out.size() >= config.maxPollRecords()) {
          break;
        }
      }
    }
    return out;
  }

  private void drainPartition(PartitionState state, List<ConsumerRecord<byte[], byte[]>> out) {
    int before = out.size();
    while (!state.buffered.isEmpty() && out.size() < config.maxPollRecords()) {
      CompletedFetch fetch = state.buffered.peekFirst();
      try {
        state.position = fetch.drain(state.position, config.maxPollRecords() - out.size(), out);
      } catch (KafkaException corrupt) {
        // drop what is buffered and fetch again from the position, which raises it again (as Kafka does)
        state.fetchPosition = state.position;
        state.invalidate();
        if (out.isEmpty()) {
          throw corrupt;
        }
        state.error = corrupt;
        return;
      }
      if (fetch.isExhausted()) {
        state.buffered.pollFirst();
      }
    }
    if (out.size() > before) {
      state.positionEpoch = out.get(out.size() - 1).leaderEpoch().orElse(-1); // what a commit of the position carries
    }
  }

  // ---- positions ----

  @Override
  public void seek(TopicPartition partition, long offset) {
    if (offset < 0) {
      throw new IllegalArgumentException("seek offset must not be a negative number");
    }
    synchronized (subscriptions) {
      subscriptions.assigned(partition).seek(offset);
    }
    onContext(fetcher::run);
  }

  @Override
  public Future<Void> seekToBeginning(Collection<TopicPartition> partitions) {
    return seekTo(partitions, ListOffsetsRequest.EARLIEST);
  }

  @Override
  public Future<Void> seekToEnd(Collection<TopicPartition> partitions) {
    return seekTo(partitions, ListOffsetsRequest.LATEST);
  }

  private Future<Void> seekTo(Collection<TopicPartition> partitions, long timestamp) {
    partitions.forEach(subscriptions::assigned);
    return call(() -> lookup.lookup(partitions, timestamp, config.defaultApiTimeoutMs())
        .map(offsets -> {
          offsets.forEach((tp, found) -> seek(tp, found.offset()));
          return null;
        }));
  }

  @Override
  public Future<Void> seekToTimestamp(Map<TopicPartition, Long> timestampsMs) {
    timestampsMs.keySet().forEach(subscriptions::assigned);
    return call(() -> lookup.lookup(timestampsMs, config.defaultApiTimeoutMs()).compose(found -> {
      List<TopicPartition> none = new ArrayList<>();
      found.forEach((tp, offset) -> {
        if (offset.offset() < 0) {
          none.add(tp); // no record at or after the time: go to the end
        } else {
          seek(tp, offset.offset());
        }
      });
      return none.isEmpty() ? Future.<Void>succeededFuture() : seekTo(none, ListOffsetsRequest.LATEST);
    }));
  }

  @Override
  public Future<Map<TopicPartition, OffsetAndTimestamp>> offsetsForTimes(Map<TopicPartition, Long> timestampsMs) {
    for (Map.Entry<TopicPartition, Long> entry : timestampsMs.entrySet()) {
      if (entry.getValue() == null || entry.getValue() < 0) {
        throw new IllegalArgumentException("The target time for partition " + entry.getKey() + " is "
            + entry.getValue() + ". The target time cannot be negative.");
      }
    }
    return call(() -> lookup.lookup(timestampsMs, config.defaultApiTimeoutMs()).map(found -> {
      Map<TopicPartition, OffsetAndTimestamp> result = new HashMap<>();
      found.forEach((tp, offset) -> result.put(tp,
          offset.offset() < 0 ? null : new OffsetAndTimestamp(offset.offset(), offset.timestamp())));
      return result;
    }));
  }

  @Override
  public Future<Map<TopicPartition, Long>> beginningOffsets(Collection<TopicPartition> partitions) {
    return offsets(partitions, ListOffsetsRequest.EARLIEST);
  }

  @Override
  public Future<Map<TopicPartition, Long>> endOffsets(Collection<TopicPartition> partitions) {
    return offsets(partitions, ListOffsetsRequest.LATEST);
  }

  private Future<Map<TopicPartition, Long>> offsets(Collection<TopicPartition> partitions, long timestamp) {
    return call(() -> lookup.lookup(partitions, timestamp, config.defaultApiTimeoutMs()).map(found -> {
      Map<TopicPartition, Long> result = new HashMap<>();
      found.forEach((tp, offset) -> result.put(tp, offset.offset()));
      return result;
    }));
  }

  /**
   * The position; a partition without one gets it first (the group's committed offset, else
   * {@code auto.offset.reset}), waiting up to {@code default.api.timeout.ms}. On a Vert.x thread
   * (event loop or worker), which must never block, it does not wait: it answers -1 until the
   * position is known and starts the look-up.
   */
  @Override
  public long position(TopicPartition partition) {
    PartitionState asked;
    long generation;
    boolean committedFirst;
    synchronized (subscriptions) {
      asked = subscriptions.assigned(partition);
      if (asked.hasPosition()) {
        return asked.position;
      }
      generation = asked.generation;
      committedFirst = asked.needsCommittedOffset;
    }
    if (Context.isOnVertxThread()) {
      onContext(this::runFetcher); // looks up the positions that need it
      return -1;
    }
    long deadlineMs = System.currentTimeMillis() + config.defaultApiTimeoutMs();
    if (committedFirst && positionFromCommitted(partition, asked, deadlineMs)) {
      return subscriptions.assigned(partition).position;
    }
    if (config.autoOffsetReset() == ConsumerConfigs.OffsetReset.NONE) {
      throw new NoOffsetForPartitionException(partition);
    }
    long timestamp = config.autoOffsetReset() == ConsumerConfigs.OffsetReset.EARLIEST
        ? ListOffsetsRequest.EARLIEST : ListOffsetsRequest.LATEST;
    ListOffsetsResponse found = call(() -> lookup.lookup(partition, timestamp, deadlineMs)).await();
    synchronized (subscriptions) {
      PartitionState state = subscriptions.assigned(partition);
      // only the state we looked up for, unchanged since: not one assigned again or seeked meanwhile
      if (state == asked && !state.hasPosition() && state.generation == generation) {
        state.seek(found.offset());
      }
      return state.position;
    }
  }

  /** Off Vert.x threads: the group's committed offset as the position; false when the group has none. */
  private boolean positionFromCommitted(TopicPartition partition, PartitionState asked, long deadlineMs) {
    OffsetAndMetadata committed = call(() -> commits.fetchCommitted(List.of(partition), deadlineMs))
        .await().get(partition);
    synchronized (subscriptions) {
      PartitionState state = subscriptions.assigned(partition);
      if (state != asked || state.hasPosition()) {
        return true; // seeked or set meanwhile
      }
      if (committed == null) {
        state.needsCommittedOffset = false;
        return false;
      }
      state.seek(committed.offset(), committed.leaderEpoch().orElse(-1));
      return true;
    }
  }

  // ---- commits ----

  @Override
  public Future<Void> commitSync() {
    return commitSync(subscriptions.allConsumed());
  }

  @Override
  public Future<Void> commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
    Map<TopicPartition, OffsetAndMetadata> copy = Map.copyOf(offsets);
    return groupCall("commitSync",
        () -> commits.commitSync(copy, System.currentTimeMillis() + config.defaultApiTimeoutMs()));
  }

  @Override
  public Future<Map<TopicPartition, OffsetAndMetadata>> commitAsync() {
    return commitAsync(subscriptions.allConsumed());
  }

  @Override
  public Future<Map<TopicPartition, OffsetAndMetadata>> commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets) {
    Map<TopicPartition, OffsetAndMetadata> copy = Map.copyOf(offsets);
    return groupCall("commitAsync", () -> commits.commitAsync(copy));
  }

  @Override
  public Future<Map<TopicPartition, OffsetAndMetadata>> committed(Set<TopicPartition> partitions) {
    Set<TopicPartition> copy = Set.copyOf(partitions);
    return groupCall("committed",
        () -> commits.fetchCommitted(copy, System.currentTimeMillis() + config.defaultApiTimeoutMs()));
  }

  /** A call that needs the group: {@link InvalidGroupIdException} without one; the fatal error once fenced. */
  private <T> Future<T> groupCall(String what, Supplier<Future<T>> operation) {
    if (coordinator == null) {
      return Future.failedFuture(noGroup(what));
    }
    RuntimeException fatal = coordinator.fatalError();
    if (fatal != null) {
      return Future.failedFuture(fatal);
    }
    return call(operation);
  }

  // ---- the group ----

  @Override
  public ConsumerGroupMetadata groupMetadata() {
    requireGroup("groupMetadata");
    return coordinator.groupMetadata();
  }

  @Override
  public void enforceRebalance() {
    throwIfClosed();
    if (coordinator == null) {
      throw new IllegalStateException("Tried to force a rebalance but consumer does not have a group.");
    }
    onContext(coordinator::enforceRebalance);
  }

  private void requireGroup(String what) {
    if (coordinator == null) {
      throw noGroup(what);
    }
  }

  private static InvalidGroupIdException noGroup(String what) {
    return new InvalidGroupIdException("To use the group management or offset commit APIs (" + what + "), you must "
        + "provide a valid " + ConsumerConfigs.GROUP_ID + " in the consumer configuration.");
  }

  private void onMetadataUpdate() {
    if (!closed) {
      if (coordinator != null) {
        coordinator.onMetadataUpdate();
      }
      fetcher.run();
    }
  }

  /** The committed offsets of new partitions arrived (or failed): fetch, and let a waiting poll look. */
  private void onCommittedOffsets() {
    if (!closed) {
      runFetcher();
      wake();
    }
  }

  // ---- close ----

  @Override
  public Future<Void> close(Duration timeout) {
    Context caller = CallerContext.foreign(context);
    if (!closed) {
      closed = true;
      long deadlineMs = System.currentTimeMillis() + Math.max(0, timeout.toMillis());
      onContext(() -> doClose(deadlineMs, caller));
    }
    return CallerContext.on(caller, closePromise.future());
  }

  private void doClose(long deadlineMs, Context caller) {
    if (waitingPoll != null) {
      finish(waitingPoll, List.of(), null);
    }
    // bounded: a listener whose context is gone must not keep the consumer open
    Future<Void> left = coordinator == null ? Future.succeededFuture()
        : Retries.withDeadline(vertx, coordinator.leave(deadlineMs, caller, "the consumer is being closed"),
            deadlineMs + config.requestTimeoutMs());
    left.onComplete(ar -> {
      if (coordinator != null) {
        coordinator.close();
      }
      fetcher.close();
      metadata.close();
      synchronized (subscriptions) {
        subscriptions.unsubscribe();
      }
      closePromise.handle(ar);
    });
  }

  private void throwIfClosed() {
    if (closed) {
      throw new IllegalStateException("This consumer has already been closed.");
    }
  }

  /** Runs {@code task} on the context: at once when already there, else as a task. */
  private void onContext(Runnable task) {
    if (Vertx.currentContext() == context) {
      task.run();
    } else {
      context.runOnContext(v -> task.run());
    }
  }

  /** Starts an asynchronous operation on the context; its future completes on the caller's context. */
  private <T> Future<T> call(Supplier<Future<T>> operation) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("This consumer has already been closed."));
    }
    Context caller = CallerContext.foreign(context);
    Promise<T> promise = Promise.promise();
    onContext(() -> {
      try {
        operation.get().onComplete(promise);
      } catch (RuntimeException e) {
        promise.fail(e);
      }
    });
    return CallerContext.on(caller, promise.future());
  }
}
