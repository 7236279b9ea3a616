package io.brook.verticles.partition;

import io.brook.protocol.BrookErrors;
import io.brook.protocol.message.DeleteRecordsRequest;
import io.brook.replication.DeleteRecordsWaiters;
import io.brook.verticles.log.LogRequests;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.ThrottlingQuotaExceededException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * The leader's side of DeleteRecords for one partition (Kafka's {@code ReplicaManager.deleteRecords}
 * and {@code DelayedDeleteRecords}): checks the offset against the high watermark, has the log move
 * its start offset (checkpointed there before the answer), then answers once the low watermark (the
 * lowest log start offset of the maximal ISR, see {@link DeleteRecordsWaiters}) reaches the offset,
 * or fails the request with REQUEST_TIMED_OUT at its timeout. Followers learn the new log start from
 * the next fetch response (the parked ones are woken for it) and report theirs in their next fetch.
 *
 * <p>Owned by the leader verticle's event loop.
 */
final class RecordsDeletion {
  private final PartitionLeaderVerticle leader;
  private final TopicPartition partition;
  private final Vertx vertx;
  private final DeleteRecordsWaiters<Waiting> waiters;
  private long timer = -1;

  private record Waiting(Message<?> message, long offset) {}

  RecordsDeletion(PartitionLeaderVerticle leader, TopicPartition partition, int localId, int capacity) {
    this.leader = leader;
    this.partition = partition;
    this.vertx = leader.vertx();
    this.waiters = new DeleteRecordsWaiters<>(localId, capacity);
  }

  void handle(Message<?> message, DeleteRecordsOnLeader request) {
    long highWatermark = leader.replica().highWatermark();
    long offset = request.offset() == DeleteRecordsRequest.HIGH_WATERMARK ? highWatermark : request.offset();
    if (offset < 0) {
      throw new OffsetOutOfRangeException("Cannot delete the records of " + partition + " up to offset "
          + request.offset() + ": give an offset >= 0, or -1 for the high watermark");
    }
    if (offset > highWatermark) {
      throw new OffsetOutOfRangeException("Cannot delete the records of " + partition + " up to offset " + offset
          + ": it is above the high watermark " + highWatermark);
    }
    if (waiters.size() >= leader.queuedMaxRequests()) {
      throw new ThrottlingQuotaExceededException(partition + " already has " + waiters.size()
          + " record deletions waiting for the replicas (queued.max.requests)");
    }
    long deadlineMs = System.currentTimeMillis() + Math.max(0, request.timeoutMs());
    leader.<LogRequests.LogOffsets>toLog(new LogRequests.DeleteRecords(offset)).onComplete(done -> {
      if (done.failed()) {
        BrookErrors.fail(message, done.cause());
        return;
      }
      leader.updateOffsets(done.result());
      followersLearnLogStart();
      if (!waiters.add(offset, deadlineMs, new Waiting(message, offset))) {
        BrookErrors.fail(message, new ThrottlingQuotaExceededException(partition
            + " has too many record deletions waiting for the replicas"));
        return;
      }
      maybeComplete();
      armTimer();
    });
  }

  /** A follower's accepted fetch reported its log start offset. */
  void onFollowerLogStart(int replicaId, long logStartOffset) {
    waiters.onFollowerLogStart(replicaId, logStartOffset);
    maybeComplete();
  }

  /** Answers every waiting deletion the low watermark has reached (after a fetch, an ISR change, ...). */
  void maybeComplete() {
    if (waiters.isEmpty()) {
      return;
    }
    long lowWatermark = lowWatermark();
    waiters.completeReached(lowWatermark).forEach(w -> w.message().reply(lowWatermark));
  }

  long lowWatermark() {
    return waiters.lowWatermark(leader.offsets().logStartOffset(), leader.replica().maximalIsr());
  }

  void failAll(NotLeaderOrFollowerException leaving) {
    vertx.cancelTimer(timer);
    waiters.removeAll().forEach(w -> BrookErrors.fail(w.message(), leaving));
  }

  /** Parked follower fetches are answered now, so they carry the new log start without waiting out their poll. */
  private void followersLearnLogStart() {
    leader.wakeParkedFollowers();
  }

  /** One timer for the earliest deadline. */
  private void armTimer() {
    vertx.cancelTimer(timer);
    if (waiters.isEmpty()) {
      return;
    }
    long delayMs = Math.max(1, waiters.nextDeadlineMs() - System.currentTimeMillis());
    timer = vertx.setTimer(delayMs, fired -> {
      waiters.expire(System.currentTimeMillis()).forEach(w -> BrookErrors.fail(w.message(), new TimeoutException(
          "The records of " + partition + " below " + w.offset() + " are deleted on the leader, but not yet on every"
              + " in-sync replica (low watermark " + lowWatermark() + ")")));
      armTimer();
    });
  }
}
