package io.brook.client.internals;

import io.brook.client.ConsumerConfigs;
import io.brook.client.ConsumerConfigs.OffsetReset;
import io.brook.protocol.Addresses;
import io.brook.protocol.message.FetchRequest;
import io.brook.protocol.message.FetchResponse;
import io.brook.protocol.message.ListOffsetsRequest;
import io.brook.protocol.message.ListOffsetsResponse;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.internals.BufferSupplier;

/**
 * Keeps every assigned partition fetching from its leader: one long-poll fetch in flight per
 * partition, all partitions at once (paused ones and ones about to be revoked excepted), up to two
 * responses buffered ahead of the application. Partitions without a position get one from
 * {@code auto.offset.reset} (earliest/latest look-up, or an error for {@code none}) once the group
 * has answered that it has no committed offset for them; an out-of-range fetch is reset the same way. Leader errors refresh
 * metadata and retry the partition after {@code retry.backoff.ms}.
 *
 * <p>Runs on the consumer's context; partition states are read and written under the
 * {@link SubscriptionState} lock. {@code onProgress} runs after every response (to wake a poll).
 */
final class Fetcher {
  /** What a fetch or look-up was started for: the very state instance and its generation then. */
  private record Target(TopicPartition tp, PartitionState state, int leader, int leaderEpoch, long offset,
      long generation) {}

  private final Vertx vertx;
  private final Rpc rpc;
  private final Metadata metadata;
  private final OffsetLookup lookup;
  private final SubscriptionState subscriptions;
  private final ConsumerConfigs config;
  private final OffsetReset resetStrategy;
  private final Runnable onProgress;
  private final BufferSupplier buffers = BufferSupplier.create();
  private boolean closed;
  private boolean retryTimerArmed;

  Fetcher(Vertx vertx, Rpc rpc, Metadata metadata, OffsetLookup lookup, SubscriptionState subscriptions,
      ConsumerConfigs config, Runnable onProgress) {
    this.vertx = vertx;
    this.rpc = rpc;
    this.metadata = metadata;
    this.lookup = lookup;
    this.subscriptions = subscriptions;
    this.config = config;
    this.resetStrategy = config.autoOffsetReset();
    this.onProgress = onProgress;
  }

  /** On the context: resets positions that need it and fetches every fetchable partition. */
  void run() {
    if (closed) {
      return;
    }
    resetPositions();
    sendFetches();
  }

  private void sendFetches() {
    long nowMs = System.currentTimeMillis();
    List<Target> targets = new ArrayList<>();
    MetadataSnapshot snapshot = metadata.snapshot();
    boolean leaderMissing = false;
    synchronized (subscriptions) {
      for (Map.Entry<TopicPartition, PartitionState> entry : subscriptions.all().entrySet()) {
        PartitionState state = entry.getValue();
        if (!state.fetchable(nowMs)) {
          continue;
        }
        int leader = snapshot.leader(entry.getKey());
        if (leader < 0) {
          leaderMissing = true;
          continue;
        }
        state.fetchInFlight = true;
        targets.add(new Target(entry.getKey(), state, leader, snapshot.leaderEpoch(entry.getKey()), state.fetchPosition,
            state.generation));
      }
    }
    if (leaderMissing) {
      metadata.requestUpdate(); // its completion runs us again
    }
    long timeoutMs = (long) config.requestTimeoutMs() + config.fetchMaxWaitMs();
    for (Target target : targets) {
      // with the epoch, a leader that was replaced (or not yet told it leads) refuses rather than
      // answering from its own log, which may end before the position (OFFSET_OUT_OF_RANGE, a reset)
      FetchRequest request = new FetchRequest(target.tp.topic(), target.tp.partition(), target.offset,
          config.maxPartitionFetchBytes(), config.fetchMinBytes(), config.fetchMaxWaitMs(),
          FetchRequest.CONSUMER_REPLICA_ID, target.leaderEpoch);
      rpc.request(Addresses.fetch(target.leader), request, timeoutMs, FetchResponse.class,
              metadata.snapshot().eventBusNode(target.leader))
          .onComplete(ar -> handleFetch(target, ar));
    }
  }

  private void handleFetch(Target target, AsyncResult<FetchResponse> ar) {
    synchronized (subscriptions) {
      PartitionState state = subscriptions.state(target.tp);
      if (state != target.state) {
        // unassigned meanwhile (and maybe assigned again: the new state's own fetch is not this one)
        return;
      }
      state.fetchInFlight = false;
      if (closed || state.generation != target.generation) {
        // a seek happened meanwhile: the data is for an old position
      } else if (ar.succeeded()) {
        accept(target, state, ar.result());
      } else {
        handleFetchError(target, state, ar.cause());
      }
    }
    onProgress.run();
    run();
  }

  private void accept(Target target, PartitionState state, FetchResponse response) {
    state.highWatermark = response.highWatermark();
    if (response.sizeInBytes() == 0) {
      return;
    }
    CompletedFetch fetch = new CompletedFetch(target.tp, response.memoryRecords(), target.offset,
        config.checkCrcs(), buffers);
    state.fetchPosition = fetch.nextFetchOffset;
    state.buffered.add(fetch);
  }

  private void handleFetchError(Target target, PartitionState state, Throwable error) {
    Errors code = Errors.forException(error);
    if (code == Errors.OFFSET_OUT_OF_RANGE) {
      if (resetStrategy == OffsetReset.NONE) {
        state.error = new OffsetOutOfRangeException("Fetch position " + target.offset + " is out of range for "
            + target.tp, Map.of(target.tp, target.offset));
      } else {
        state.requestReset();
      }
    } else if (error instanceof RetriableException) {
      backOff(state);
    } else {
      state.error = error instanceof RuntimeException re ? re : new RuntimeException(error);
    }
  }

  private void backOff(PartitionState state) {
    state.retryAtMs = System.currentTimeMillis() + config.retryBackoffMs();
    metadata.requestUpdate();
    armRetryTimer();
  }

  private void armRetryTimer() {
    if (!retryTimerArmed) {
      retryTimerArmed = true;
      vertx.setTimer(Math.max(1, config.retryBackoffMs()), id -> {
        retryTimerArmed = false;
        run();
      });
    }
  }

  /** Starts an earliest/latest look-up for each partition without a position. */
  private void resetPositions() {
    long nowMs = System.currentTimeMillis();
    List<Target> targets = new ArrayList<>();
    synchronized (subscriptions) {
      for (Map.Entry<TopicPartition, PartitionState> entry : subscriptions.all().entrySet()) {
        PartitionState state = entry.getValue();
        if (!state.needsReset() || state.resetInFlight || state.error != null || nowMs < state.retryAtMs) {
          continue;
        }
        if (resetStrategy == OffsetReset.NONE) {
          state.error = new NoOffsetForPartitionException(entry.getKey());
          continue;
        }
        state.resetInFlight = true;
        targets.add(new Target(entry.getKey(), state, -1, -1, -1, state.generation));
      }
    }
    long timestamp = resetStrategy == OffsetReset.EARLIEST ? ListOffsetsRequest.EARLIEST : ListOffsetsRequest.LATEST;
    for (Target target : targets) {
      lookup.lookup(target.tp, timestamp, nowMs + config.defaultApiTimeoutMs())
          .onComplete(ar -> handleReset(target, ar));
    }
  }

  private void handleReset(Target target, AsyncResult<ListOffsetsResponse> ar) {
    synchronized (subscriptions) {
      PartitionState state = subscriptions.state(target.tp);
      if (state != target.state) {
        return; // unassigned meanwhile (and maybe assigned again)
      }
      state.resetInFlight = false;
      if (state.generation != target.generation || state.hasPosition()) {
        // the application seeked meanwhile: its position wins
      } else if (ar.succeeded()) {
        state.seek(ar.result().offset());
      } else {
        backOff(state);
      }
    }
    onProgress.run();
    run();
  }

  /** On the context: stops fetching; responses still in flight are dropped. */
  void close() {
    closed = true;
  }
}
