package io.brook.verticles.partition;

import io.brook.protocol.BrookErrors;
import io.brook.protocol.message.ReplicaFetchRequest;
import io.brook.protocol.message.ReplicaFetchResponse;
import io.brook.verticles.BrokerConfig;
import io.brook.verticles.log.LogRequests;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.protocol.Errors;

/**
 * The leader's side of replication for one partition: each follower fetch is checked (leader epoch
 * here; divergence and offset range on the log's thread, together with the read), counted as the
 * follower's log end offset in the replica state (only when accepted), and long-polled at the log
 * end until the leader appends. One fetch per follower at a time: a newer one replaces the parked one.
 * Errors the follower acts on travel in band with the leader's log range.
 *
 * <p>Owned by the leader verticle's event loop.
 */
final class FollowerFetches {
  private final PartitionLeaderVerticle leader;
  private final TopicPartition partition;
  private final BrokerConfig limits;
  private final Vertx vertx;
  private final Map<Integer, Parked> parked = new HashMap<>();

  private record Parked(Message<?> message, ReplicaFetchRequest request, long timerId) {}

  FollowerFetches(PartitionLeaderVerticle leader, TopicPartition partition, BrokerConfig limits) {
    this.leader = leader;
    this.partition = partition;
    this.limits = limits;
    this.vertx = leader.vertx();
  }

  void handle(Message<?> message, ReplicaFetchRequest request) {
    Errors epochError = leader.epochError(request.currentLeaderEpoch());
    if (epochError != Errors.NONE) {
      replyError(message, epochError);
      return;
    }
    if (!leader.replica().replicas().contains(request.replicaId()) || request.replicaId() == leader.replica().localId()) {
      replyError(message, Errors.NOT_LEADER_OR_FOLLOWER);
      return;
    }
    Parked previous = parked.remove(request.replicaId());
    if (previous != null) {
      vertx.cancelTimer(previous.timerId());
      reply(previous.message(), ByteBuffer.allocate(0));
    }
    read(message, request, true);
  }

  /** New records: every parked follower reads them now. */
  void onLocalAppend() {
    unparkAll(waiting -> read(waiting.message(), waiting.request(), false));
  }

  private void unparkAll(Consumer<Parked> then) {
    for (Parked waiting : new ArrayList<>(parked.values())) {
      parked.remove(waiting.request().replicaId());
      vertx.cancelTimer(waiting.timerId());
      then.accept(waiting);
    }
  }

  void failAll(NotLeaderOrFollowerException leaving) {
    parked.values().forEach(waiting -> {
      vertx.cancelTimer(waiting.timerId());
      replyError(waiting.message(), Errors.NOT_LEADER_OR_FOLLOWER);
    });
    parked.clear();
  }

  private void read(Message<?> message, ReplicaFetchRequest request, boolean mayWait) {
    int maxBytes = Math.max(0, Math.min(request.maxBytes(), limits.fetchMaxBytes()));
    LogRequests.FollowerRead read = new LogRequests.FollowerRead(request.lastFetchedEpoch(), request.fetchOffset(),
        maxBytes, leader.replica().logEndOffset());
    leader.<LogRequests.FollowerReadDone>toLog(read).onComplete(done -> {
      if (done.failed()) {
        if (done.cause() instanceof io.vertx.core.eventbus.ReplyException
            && BrookErrors.errorOf(done.cause()) == Errors.OFFSET_OUT_OF_RANGE) {
          replyError(message, Errors.OFFSET_OUT_OF_RANGE);
        } else {
          BrookErrors.fail(message, done.cause());
        }
        return;
      }
      onRead(message, request, done.result(), mayWait);
    });
  }

  private void onRead(Message<?> message, ReplicaFetchRequest request, LogRequests.FollowerReadDone read, boolean mayWait) {
    leader.updateOffsets(read.offsets());
    if (read.divergingEpoch() >= 0) {
      message.reply(new ReplicaFetchResponse((short) 0, leader.replica().highWatermark(), read.offsets().logStartOffset(),
          read.offsets().logEndOffset(), read.divergingEpoch(), read.divergingEndOffset(), ByteBuffer.allocate(0)));
      return;
    }
    boolean advanced;
    try {
      advanced = leader.replica().onFollowerFetch(request.replicaId(), request.fetchOffset(), System.currentTimeMillis());
    } catch (NotLeaderOrFollowerException notAFollower) {
      replyError(message, Errors.NOT_LEADER_OR_FOLLOWER);
      return;
    }
    leader.onFollowerLogStart(request.replicaId(), request.logStartOffset());
    leader.onHighWatermarkMaybeAdvanced(advanced);
    long maxWaitMs = Math.min(request.maxWaitMs(), limits.fetchMaxWaitMs());
    if (read.records().hasRemaining() || !mayWait || maxWaitMs <= 0) {
      reply(message, read.records());
      return;
    }
    long timer = vertx.setTimer(maxWaitMs, fired -> {
      Parked waiting = parked.get(request.replicaId());
      if (waiting != null && waiting.message() == message) {
        parked.remove(request.replicaId());
        reply(message, ByteBuffer.allocate(0));
      }
    });
    parked.put(request.replicaId(), new Parked(message, request, timer));
  }

  private void reply(Message<?> message, ByteBuffer records) {
    LogRequests.LogOffsets offsets = leader.offsets();
    message.reply(new ReplicaFetchResponse((short) 0, leader.replica().highWatermark(), offsets.logStartOffset(),
        offsets.logEndOffset(), -1, -1L, records));
  }

  private void replyError(Message<?> message, Errors error) {
    LogRequests.LogOffsets offsets = leader.offsets();
    message.reply(ReplicaFetchResponse.error(error.code(), leader.replica().highWatermark(),
        offsets.logStartOffset(), offsets.logEndOffset()));
  }
}
