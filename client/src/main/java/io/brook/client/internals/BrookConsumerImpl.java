package io.brook.client.internals;

import io.brook.client.BrookConsumer;
import io.brook.client.ConsumerConfigs;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * The consumer: application calls ({@code assign}, {@code seek}, {@code position}) change partition
 * states under the {@link SubscriptionState} lock; fetching, offset look-ups and polls run on the
 * consumer's context through {@link Fetcher} and {@link OffsetLookup}. A poll returns buffered
 * records at once, or waits until a fetch brings some or its timeout passes. Futures complete on
 * the caller's Vert.x context when the call was made on one ({@link CallerContext}).
 */
public final class BrookConsumerImpl implements BrookConsumer {
  private final Vertx vertx;
  private final Context context;
  private final ConsumerConfigs config;
  private final Metadata metadata;
  private final SubscriptionState subscriptions = new SubscriptionState();
  private final OffsetLookup lookup;
  private final Fetcher fetcher;
  private volatile boolean closed;
  // owned by the context
  private Promise<List<ConsumerRecord<byte[], byte[]>>> waitingPoll;
  private long waitingPollTimer = -1;

  public BrookConsumerImpl(Vertx vertx, ConsumerConfigs config) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.config = config;
    Rpc rpc = new Rpc(vertx);
    this.metadata = new Metadata(vertx, context, rpc, config.requestTimeoutMs(), config.retryBackoffMs(),
        config.metadataMaxAgeMs(), this::onMetadataUpdate);
    this.lookup = new OffsetLookup(vertx, rpc, metadata, config.requestTimeoutMs(), config.retryBackoffMs());
    this.fetcher = new Fetcher(vertx, rpc, metadata, lookup, subscriptions, config, this::completeWaitingPoll);
  }

  @Override
  public void assign(Collection<TopicPartition> partitions) {
    throwIfClosed();
    subscriptions.assign(partitions);
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
  public Future<List<ConsumerRecord<byte[], byte[]>>> poll(Duration timeout) {
    Context caller = CallerContext.foreign(context);
    Promise<List<ConsumerRecord<byte[], byte[]>>> promise = Promise.promise();
    long timeoutMs = Math.max(0, Math.min(timeout.toMillis(), Integer.MAX_VALUE));
    onContext(() -> doPoll(promise, timeoutMs));
    return CallerContext.on(caller, promise.future());
  }

  private void doPoll(Promise<List<ConsumerRecord<byte[], byte[]>>> promise, long timeoutMs) {
    try {
      throwIfClosed();
      if (subscriptions.isEmpty()) {
        throw new IllegalStateException("Consumer is not subscribed to any topics or assigned any partitions");
      }
      if (waitingPoll != null) {
        throw new IllegalStateException("Another poll is in progress: the consumer is not thread-safe");
      }
      List<ConsumerRecord<byte[], byte[]>> records = drain();
      fetcher.run();
      if (records.isEmpty()) {
        records = drain(); // raises what starting the fetches found (e.g. no offset with reset none)
      }
      if (!records.isEmpty() || timeoutMs == 0) {
        promise.complete(records);
        return;
      }
      waitingPoll = promise;
      waitingPollTimer = vertx.setTimer(timeoutMs, id -> {
        waitingPollTimer = -1;
        finishWaitingPoll(true);
      });
    } catch (RuntimeException e) {
      promise.fail(e);
    }
  }

  /** On the context after each fetch or reset: answers a waiting poll if there is something. */
  private void completeWaitingPoll() {
    if (waitingPoll != null) {
      finishWaitingPoll(false);
    }
  }

  private void finishWaitingPoll(boolean timedOut) {
    Promise<List<ConsumerRecord<byte[], byte[]>>> promise = waitingPoll;
    try {
      List<ConsumerRecord<byte[], byte[]>> records = drain();
      if (records.isEmpty() && !timedOut) {
        return;
      }
      waitingPoll = null;
      cancelPollTimer();
      promise.complete(records);
    } catch (RuntimeException e) {
      waitingPoll = null;
      cancelPollTimer();
      promise.fail(e);
    }
  }

  private void cancelPollTimer() {
    if (waitingPollTimer >= 0) {
      vertx.cancelTimer(waitingPollTimer);
      waitingPollTimer = -1;
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
        drainPartition(state, out);
        if (out.size() >= config.maxPollRecords()) {
          break;
        }
      }
    }
    return out;
  }

  private void drainPartition(PartitionState state, List<ConsumerRecord<byte[], byte[]>> out) {
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
  }

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
   * The position; a partition without one gets it from {@code auto.offset.reset} first, waiting up
   * to {@code default.api.timeout.ms}. On a Vert.x thread (event loop or worker), which must never
   * block, it does not wait: it answers -1 until the position is known and starts the look-up.
   */
  @Override
  public long position(TopicPartition partition) {
    PartitionState asked;
    long generation;
    synchronized (subscriptions) {
      asked = subscriptions.assigned(partition);
      if (asked.hasPosition()) {
        return asked.position;
      }
      generation = asked.generation;
    }
    if (Context.isOnVertxThread()) {
      onContext(fetcher::run); // resets the positions that need it
      return -1;
    }
    if (config.autoOffsetReset() == ConsumerConfigs.OffsetReset.NONE) {
      throw new NoOffsetForPartitionException(partition);
    }
    long timestamp = config.autoOffsetReset() == ConsumerConfigs.OffsetReset.EARLIEST
        ? ListOffsetsRequest.EARLIEST : ListOffsetsRequest.LATEST;
    long deadlineMs = System.currentTimeMillis() + config.defaultApiTimeoutMs();
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

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    onContext(() -> {
      fetcher.close();
      metadata.close();
      if (waitingPoll != null) {
        Promise<List<ConsumerRecord<byte[], byte[]>>> promise = waitingPoll;
        waitingPoll = null;
        cancelPollTimer();
        promise.complete(List.of());
      }
      synchronized (subscriptions) {
        subscriptions.assign(List.of());
      }
    });
  }

  private void onMetadataUpdate() {
    if (!closed) {
      fetcher.run();
    }
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
