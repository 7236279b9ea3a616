package io.brook.verticles.partition;

import io.brook.protocol.Addresses;
import io.brook.protocol.message.ReplicaFetchRequest;
import io.brook.protocol.message.ReplicaFetchResponse;
import io.brook.replication.LeaderReplicaState;
import io.brook.storage.CorruptRange;
import io.brook.verticles.log.LogRequests;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;

/**
 * The leader's repair of corrupt bytes its log found below the recovery point (a read failed with
 * CORRUPT_MESSAGE and the log sent {@link LogRequests.CorruptionFound}). Replicas hold the same
 * batches byte for byte, so it asks the other replicas of the partition, in-sync ones first, for
 * the same offsets, and has the log write the first copy that matches over the corrupt bytes
 * ({@link LogRequests.Repair}: same offsets, same size, valid CRC, same leader epochs; the log
 * refuses anything else).
 *
 * <p>The copy is asked with a {@link ReplicaFetchRequest} sent the other way round: from the leader
 * to {@code brook.internal.broker.<follower>.replica-fetch}, with {@code replicaId} the leader's id,
 * {@code currentLeaderEpoch} its epoch and {@code maxWaitMs} 0; the follower answers from its log at
 * {@code fetchOffset} (see {@link ReplicaFollowerVerticle}). A copy that spans the follower's segment
 * boundary takes more than one such fetch.
 *
 * <p>Bounds: one repair at a time (a read of another corrupt range reports it again later); after
 * every replica was asked in vain, a range is tried again only when a read hits it after
 * {@link #RETRY_AFTER_MS} or after the ISR changed (a replica that caught up may have a copy now); a
 * lone replica (no other replica) or a range no replica can supply is reported once at ERROR and
 * stays unreadable, while every other offset is served.
 *
 * <p>Owned by the leader verticle's event loop.
 */
final class CorruptionRepair {
  private static final System.Logger LOG = System.getLogger(CorruptionRepair.class.getName());
  static final long RETRY_AFTER_MS = 30_000;
  private static final int MAX_REMEMBERED_RANGES = 64;
  private static final int MAX_FETCHES_PER_COPY = 16;

  private final PartitionLeaderVerticle leader;
  private final TopicPartition partition;
  private final int leaderEpoch;
  private final long requestTimeoutMs;
  /** Ranges no replica could supply, with when and under which ISR; bounded, oldest forgotten first. */
  private final Map<CorruptRange, Unrepaired> unrepaired = new LinkedHashMap<>();
  private CorruptRange inProgress;
  private boolean stopped;

  private record Unrepaired(long atMs, Set<Integer> isr) {}

  CorruptionRepair(PartitionLeaderVerticle leader, TopicPartition partition, int leaderEpoch, long requestTimeoutMs) {
    this.leader = leader;
    this.partition = partition;
    this.leaderEpoch = leaderEpoch;
    this.requestTimeoutMs = requestTimeoutMs;
  }

  void stop() {
    stopped = true;
  }

  boolean inProgress() {
    return inProgress != null;
  }

  /** A read found {@code range} corrupt: repair it unless a repair runs or it failed recently. */
  void onCorruptionFound(CorruptRange range, long nowMs) {
    if (stopped || inProgress != null) {
      return;
    }
    Unrepaired failed = unrepaired.get(range);
    if (failed != null && nowMs - failed.atMs() < RETRY_AFTER_MS && failed.isr().equals(leader.replica().isr())) {
      return;
    }
    List<Integer> candidates = candidates(leader.replica());
    if (candidates.isEmpty()) {
      giveUp(range, "no other replica holds " + partition, failed == null, nowMs);
      return;
    }
    inProgress = range;
    LOG.log(System.Logger.Level.WARNING, "Offsets " + range + " of " + partition + " are corrupt on broker "
        + leader.replica().localId() + "; asking replicas " + candidates + " for their copy");
    tryReplica(range, candidates, 0, new ArrayList<>(), failed == null);
  }

  /** The in-sync followers first, then the other replicas; never this broker. */
  static List<Integer> candidates(LeaderReplicaState replica) {
    List<Integer> candidates = new ArrayList<>();
    replica.isr().stream().sorted().filter(id -> id != replica.localId()).forEach(candidates::add);
    replica.replicas().stream().filter(id -> id != replica.localId() && !candidates.contains(id))
        .forEach(candidates::add);
    return candidates;
  }

  private void tryReplica(CorruptRange range, List<Integer> candidates, int index, List<String> refusals,
      boolean firstFailure) {
    if (stopped) {
      return;
    }
    if (index == candidates.size()) {
      inProgress = null;
      giveUp(range, String.join("; ", refusals), firstFailure, System.currentTimeMillis());
      return;
    }
    int replicaId = candidates.get(index);
    fetchCopy(replicaId, range)
        .compose(copy -> stopped ? Future.failedFuture("the leader stopped")
            : leader.<LogRequests.Repaired>toLog(new LogRequests.Repair(range, copy)))
        .onComplete(done -> {
          if (done.succeeded()) {
            inProgress = null;
            unrepaired.remove(range);
            leader.updateOffsets(done.result().offsets());
            LOG.log(System.Logger.Level.WARNING, done.result().replaced()
                ? "Repaired the corrupt offsets " + range + " of " + partition + " with broker " + replicaId + "'s copy"
                : "Offsets " + range + " of " + partition + " were no longer corrupt");
          } else {
            refusals.add("broker " + replicaId + ": " + done.cause().getMessage());
            tryReplica(range, candidates, index + 1, refusals, firstFailure);
          }
        });
  }

  private void giveUp(CorruptRange range, String why, boolean firstFailure, long nowMs) {
    unrepaired.remove(range);
    unrepaired.put(range, new Unrepaired(nowMs, Set.copyOf(leader.replica().isr())));
    if (unrepaired.size() > MAX_REMEMBERED_RANGES) {
      unrepaired.remove(unrepaired.keySet().iterator().next());
    }
    String text = "Offsets " + range + " of " + partition + " are corrupt on broker " + leader.replica().localId()
        + " and no replica could supply a copy (" + why + "): they stay unreadable (reads fail with CORRUPT_MESSAGE); "
        + "every other offset is served. Tried again when read after " + RETRY_AFTER_MS + " ms or once the ISR changes.";
    LOG.log(firstFailure ? System.Logger.Level.ERROR : System.Logger.Level.DEBUG, text);
  }

  /** The replica's batches for exactly the range, concatenated: as many fetches as its segments need. */
  private Future<MemoryRecords> fetchCopy(int replicaId, CorruptRange range) {
    return fetchInto(replicaId, range, ByteBuffer.allocate(range.sizeInBytes()), range.firstOffset(), 0);
  }

  private Future<MemoryRecords> fetchInto(int replicaId, CorruptRange range, ByteBuffer copy, long nextOffset,
      int fetches) {
    if (nextOffset > range.lastOffset()) {
      copy.flip();
      return Future.succeededFuture(MemoryRecords.readableRecords(copy));
    }
    if (fetches == MAX_FETCHES_PER_COPY || !copy.hasRemaining()) {
      return Future.failedFuture(new CorruptRecordException("its copy of " + range + " does not fit "
          + range.sizeInBytes() + " bytes"));
    }
    ReplicaFetchRequest request = new ReplicaFetchRequest(partition.topic(), partition.partition(),
        leader.replica().localId(), leaderEpoch, nextOffset, ReplicaFetchRequest.NO_EPOCH, copy.remaining(), 0,
        ReplicaFetchRequest.UNKNOWN_LOG_START);
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(requestTimeoutMs);
    Vertx vertx = leader.vertx();
    return vertx.eventBus().<ReplicaFetchResponse>request(Addresses.replicaFetch(replicaId), request, options)
        .map(Message::body)
        .compose(response -> {
          if (response.errorCode() != Errors.NONE.code()) {
            return Future.failedFuture(Errors.forCode(response.errorCode()).exception());
          }
          long after = append(response.memoryRecords(), range, copy, nextOffset);
          if (after == nextOffset) {
            return Future.failedFuture(new CorruptRecordException("it has no copy of offset " + nextOffset));
          }
          return fetchInto(replicaId, range, copy, after, fetches + 1);
        });
  }

  /** Copies the answer's batches from {@code nextOffset} on that fall in the range; returns the offset after them. */
  private static long append(MemoryRecords answer, CorruptRange range, ByteBuffer copy, long nextOffset) {
    long next = nextOffset;
    for (MutableRecordBatch batch : answer.batches()) {
      if (batch.baseOffset() != next || batch.lastOffset() > range.lastOffset()
          || batch.sizeInBytes() > copy.remaining()) {
        break; // not these offsets, or not these bytes: the log would refuse the copy anyway
      }
      batch.writeTo(copy);
      next = batch.lastOffset() + 1;
    }
    return next;
  }
}
