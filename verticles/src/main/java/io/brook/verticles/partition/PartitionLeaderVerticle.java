package io.brook.verticles.partition;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.message.AlterPartitionResponse;
import io.brook.protocol.message.FetchRequest;
import io.brook.protocol.message.FetchResponse;
import io.brook.protocol.message.ListOffsetsRequest;
import io.brook.protocol.message.ListOffsetsResponse;
import io.brook.protocol.message.PartitionDescription;
import io.brook.protocol.message.ProduceRequest;
import io.brook.protocol.message.ProduceResponse;
import io.brook.protocol.message.AlterPartitionRequest;
import io.brook.protocol.message.ReplicaFetchRequest;
import io.brook.replication.AcksAllWaiters;
import io.brook.replication.IsrChangeProposal;
import io.brook.replication.LeaderReplicaState;
import io.brook.replication.PartitionState;
import io.brook.replication.ReplicationConfig;
import io.brook.storage.AppendResult;
import io.brook.verticles.BrokerConfig;
import io.brook.verticles.log.LogHandle;
import io.brook.verticles.log.LogRequests;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.ThrottlingQuotaExceededException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * The leader of one partition for one leader epoch: answers produce, fetch and list-offsets requests
 * from clients and fetches from follower replicas, on {@code brook.local.leader.<topic>.<partition>}
 * (the broker's API verticle routes them here). The only owner of the partition's leader state: the
 * {@link LeaderReplicaState} (followers' progress, ISR, high watermark), the produce queue (group
 * commit), the acks=all waiters and the waiting long polls. Runs on one event loop; all file work
 * goes to the partition's log verticle, this verticle's parent. Corrupt bytes its log finds below
 * the recovery point are repaired from another replica's copy ({@link CorruptionRepair}).
 *
 * <p>Invariants: at most one append is in flight to the log; the high watermark never moves back
 * and is the lowest log end offset of the in-sync replicas; consumers never see a batch at or above
 * it; an acks=all write is answered only once the high watermark passes it.
 */
public final class PartitionLeaderVerticle extends VerticleBase {
  private static final System.Logger LOG = System.getLogger(PartitionLeaderVerticle.class.getName());
  private static final ByteBuffer NO_RECORDS = ByteBuffer.allocate(0);

  private final TopicPartition partition;
  private final int nodeId;
  private final PartitionState initialState;
  private final ReplicationConfig replication;
  private final BrokerConfig limits;
  private final LogHandle log;
  private final ProduceQueue<PendingProduce> produceQueue;
  private final DelayedFetches<WaitingFetch> delayedFetches;
  private final AcksAllWaiters<PendingProduce> acksAllWaiters;
  private final Set<Future<?>> inFlight = new HashSet<>();
  private FollowerFetches followerFetches;
  private CorruptionRepair corruptionRepair;
  private RecordsDeletion recordsDeletion;
  private LeaderReplicaState replica;
  private AppendHistory history;
  private LogRequests.LogOffsets offsets;
  private long acksTimer = -1;
  private final HighWatermarkForLog highWatermarkForLog;
  private io.brook.verticles.metrics.PartitionMeters meters;

  /** A produce request, and once appended, its answer. */
  private static final class PendingProduce {
    final Message<?> message;
    final ProduceRequest request;
    ProduceResponse response;

    PendingProduce(Message<?> message, ProduceRequest request) {
      this.message = message;
      this.request = request;
    }
  }

  public PartitionLeaderVerticle(TopicPartition partition, int nodeId, PartitionState state,
      ReplicationConfig replication, BrokerConfig limits, LogHandle log) {
    this.partition = partition;
    this.nodeId = nodeId;
    this.initialState = state;
    this.replication = replication;
    this.limits = limits;
    this.log = log;
    this.highWatermarkForLog = new HighWatermarkForLog(log);
    this.produceQueue = new ProduceQueue<>(limits.queuedMaxRequests());
    this.delayedFetches = new DelayedFetches<>(limits.queuedMaxRequests());
    // refused beyond acksAllWaitingMax() before anything is written; room above that for what is
    // queued (at most queued.max.requests) and being appended (as many) when the check passes
    this.acksAllWaiters = new AcksAllWaiters<>(acksAllWaitingMax() + 2 * limits.queuedMaxRequests());
  }

  /** A single-replica partition led by {@code nodeId} at epoch 0. */
  public static PartitionState soleReplica(int nodeId) {
    return new PartitionState(nodeId, 0, 0, List.of(nodeId), Set.of(nodeId));
  }

  @Override
  public Future<?> start() {
    return this.<LogRequests.LogOffsets>toLog(new LogRequests.Describe()).compose(described -> {
      offsets = described;
      long nowMs = System.currentTimeMillis();
      replica = LeaderReplicaState.becomeLeader(nodeId, initialState, described.logEndOffset(), described.highWatermark(),
          replication, nowMs);
      if (initialState.replicas().size() > 1) {
        LOG.log(System.Logger.Level.INFO, "Broker " + nodeId + " leads " + partition + " at epoch " + initialState.leaderEpoch()
            + " with ISR " + initialState.isr() + ", log end " + described.logEndOffset());
      }
      replica.onLocalAppend(described.logEndOffset()); // a lone in-sync leader commits what it has
      meters = io.brook.verticles.metrics.BrokerMeters.of(vertx).forRole(partition);
      meters.onLeading(replica.replicas().size(), replica.isr().size());
      meters.onHighWatermark(replica.highWatermark());
      history = new AppendHistory(described.logEndOffset());
      followerFetches = new FollowerFetches(this, partition, limits);
      recordsDeletion = new RecordsDeletion(this, partition, nodeId, limits.queuedMaxRequests());
      corruptionRepair = new CorruptionRepair(this, partition, initialState.leaderEpoch(),
          replication.replicaSocketTimeoutMs());
      return Future.all(
          vertx.eventBus().localConsumer(Addresses.localLeader(partition.topic(), partition.partition()), this::dispatch)
              .completion(),
          vertx.eventBus().localConsumer(Addresses.LOCAL_REPLICA_TICK, tick -> onReplicaTick()).completion(),
          vertx.eventBus().localConsumer(Addresses.LOCAL_FLUSH_TICK,
              tick -> highWatermarkForLog.sendIfMoved(replica.highWatermark())).completion());
    });
  }

  /**
   * Fails what waits (clients retry on the new leader) and lets in-flight log work finish, so no
   * producer whose batch is being written is left without an answer. The log verticle, this
   * verticle's parent, stays open until then.
   */
  @Override
  public Future<?> stop() {
    NotLeaderOrFollowerException leaving = new NotLeaderOrFollowerException(
        "Broker " + nodeId + " no longer leads " + partition + " at epoch " + initialState.leaderEpoch());
    produceQueue.drainAll().forEach(p -> BrookErrors.fail(p.message, leaving));
    acksAllWaiters.removeAll().forEach(p -> BrookErrors.fail(p.message, leaving));
    delayedFetches.removeAll().forEach(f -> {
      vertx.cancelTimer(f.timerId);
      BrookErrors.fail(f.message, leaving);
    });
    if (followerFetches != null) {
      followerFetches.failAll(leaving);
    }
    if (recordsDeletion != null) {
      recordsDeletion.failAll(leaving);
    }
    if (corruptionRepair != null) {
      corruptionRepair.stop();
    }
    vertx.cancelTimer(acksTimer);
    if (meters != null) {
      meters.onNotLeading();
    }
    return Future.join(new ArrayList<>(inFlight)).otherwiseEmpty().andThen(done -> {
      if (replica != null) { // started: the log's next role (a follower) starts from the high watermark it has
        highWatermarkForLog.sendIfMoved(replica.highWatermark());
      }
    });
  }

  private void dispatch(Message<Object> message) {
    Object body = message.body();
    try {
      if (body instanceof ProduceRequest produce) {
        handleProduce(message, produce);
      } else if (body instanceof FetchRequest fetch) {
        handleFetch(message, fetch);
      } else if (body instanceof ReplicaFetchRequest replicaFetch) {
        followerFetches.handle(message, replicaFetch);
      } else if (body instanceof ListOffsetsRequest listOffsets) {
        handleListOffsets(message, listOffsets);
      } else if (body instanceof io.brook.protocol.message.OffsetForLeaderEpochRequest lookup) {
        handleOffsetForLeaderEpoch(message, lookup);
      } else if (body instanceof DeleteRecordsOnLeader delete) {
        recordsDeletion.handle(message, delete);
      } else if (body instanceof DescribePartition) {
        handleDescribe(message);
      } else if (body instanceof PartitionUpdate update) {
        onHighWatermarkMaybeAdvanced(replica.onPartitionChange(update.state(), System.currentTimeMillis()));
        meters.onIsr(replica.replicas().size(), replica.isr().size());
        message.reply(null); // the replica manager applies images in order and waits for this
      } else if (body instanceof LogRequests.LogOffsets moved) {
        offsets = moved; // retention moved the log start
        recordsDeletion.maybeComplete();
      } else if (body instanceof LogRequests.CorruptionFound found) {
        corruptionRepair.onCorruptionFound(found.range(), System.currentTimeMillis());
      } else {
        throw new InvalidRequestException("partition " + partition + " got an unknown message " + body);
      }
    } catch (RuntimeException e) {
      BrookErrors.fail(message, e);
    }
  }

  // ---- state shared with FollowerFetches ----

  Vertx vertx() {
    return vertx;
  }

  LeaderReplicaState replica() {
    return replica;
  }

  LogRequests.LogOffsets offsets() {
    return offsets;
  }

  void updateOffsets(LogRequests.LogOffsets latest) {
    offsets = latest;
  }

  int queuedMaxRequests() {
    return limits.queuedMaxRequests();
  }

  /** A follower's accepted fetch told its log start offset (for DeleteRecords' low watermark). */
  void onFollowerLogStart(int replicaId, long logStartOffset) {
    recordsDeletion.onFollowerLogStart(replicaId, logStartOffset);
  }

  /** After a DeleteRecords: parked follower fetches answer now, carrying the new log start. */
  void wakeParkedFollowers() {
    followerFetches.onLocalAppend();
  }

  /** After the high watermark moved: answer the acks=all writes and consumer fetches it unblocks. */
  void onHighWatermarkMaybeAdvanced(boolean advanced) {
    if (advanced) {
      highWatermarkForLog.moved();
      meters.onHighWatermark(replica.highWatermark());
      completeAcksAll();
      completeReadyFetches();
    }
    recordsDeletion.maybeComplete(); // an ISR change may have dropped the replica a deletion waited for
    sendIsrChange();
  }

  /**
   * Committed acks=all writes are answered whatever the controller's state, as in Kafka: the high
   * watermark counts every replica of the maximal ISR (a shrink counts only once the controller
   * committed it), and the controller elects only from that ISR, so a record below it is on every
   * replica that can become leader, even when this leader was deposed without knowing it yet.
   */
  private void completeAcksAll() {
    acksAllWaiters.completeBelow(replica.highWatermark()).forEach(p -> p.message.reply(p.response));
  }

  /** A request to this partition's log, tracked until answered so that stop() can wait for it. */
  <T> Future<T> toLog(Object request) {
    Future<T> answer = log.call(request);
    inFlight.add(answer);
    return answer.andThen(done -> inFlight.remove(answer));
  }

  // ---- produce: group commit, acks ----

  private void handleProduce(Message<?> message, ProduceRequest request) {
    if (request.sizeInBytes() > limits.requestMaxBytes()) {
      throw new RecordTooLargeException("Produce request of " + request.sizeInBytes()
          + " bytes exceeds request.max.bytes=" + limits.requestMaxBytes());
    }
    if (request.acks() == ProduceRequest.ACKS_ALL) {
      replica.checkAcksAll(); // NOT_ENOUGH_REPLICAS before anything is written
      if (acksAllWaiters.size() >= acksAllWaitingMax()) {
        throw new ThrottlingQuotaExceededException(partition + " has " + acksAllWaiters.size()
            + " acks=all writes waiting for replication; nothing was written");
      }
    }
    if (!produceQueue.offer(new PendingProduce(message, request))) {
      throw new ThrottlingQuotaExceededException(partition + " already has " + produceQueue.size()
          + " produce requests queued (queued.max.requests)");
    }
    maybeAppend();
  }

  /** acks=all writes that may wait for replication at once: 4 x queued.max.requests. */
  private int acksAllWaitingMax() {
    return limits.queuedMaxRequests() * 4;
  }

  private void maybeAppend() {
    List<PendingProduce> batch = produceQueue.drainForAppend();
    if (batch.isEmpty()) {
      return;
    }
    List<MemoryRecords> records = batch.stream().map(p -> p.request.memoryRecords()).toList();
    int epoch = initialState.leaderEpoch();
    long highWatermark = highWatermarkForLog.carried(replica.highWatermark());
    this.<LogRequests.Appended>toLog(new LogRequests.Append(records, epoch, highWatermark)).onComplete(done -> {
      produceQueue.onAppendDone();
      if (done.succeeded()) {
        onAppended(batch, done.result());
      } else {
        batch.forEach(p -> BrookErrors.fail(p.message, done.cause()));
        resyncOffsets(); // the write may have happened anyway (a timeout): learn the log's real end
      }
      maybeAppend();
    });
  }

  /**
   * The log end moves first: with the leader alone in the ISR the high watermark is then past these
   * records, and their acks=all writes are answered at once, after the older ones it unblocked.
   */
  private void onAppended(List<PendingProduce> batch, LogRequests.Appended appended) {
    long bytes = 0;
    for (int i = 0; i < batch.size(); i++) {
      if (appended.results().get(i).ok()) {
        bytes += batch.get(i).request.sizeInBytes();
      }
    }
    offsets = appended.offsets();
    history.onAppend(offsets.logEndOffset(), bytes);
    boolean advanced = replica.onLocalAppend(offsets.logEndOffset());
    followerFetches.onLocalAppend();
    onHighWatermarkMaybeAdvanced(advanced);
    long nowMs = System.currentTimeMillis();
    boolean waiting = false;
    for (int i = 0; i < batch.size(); i++) {
      PendingProduce pending = batch.get(i);
      AppendResult result = appended.results().get(i);
      if (!result.ok()) {
        BrookErrors.fail(pending.message, result.error());
        continue;
      }
      pending.response = new ProduceResponse(result.firstOffset(), result.logAppendTimeMs(), result.logStartOffset());
      if (pending.request.acks() != ProduceRequest.ACKS_ALL || result.lastOffset() < replica.highWatermark()) {
        pending.message.reply(pending.response); // (a batch sent again that was committed already: at once)
      } else if (acksAllWaiters.add(result.lastOffset(), nowMs + pending.request.timeoutMs(), pending)) {
        waiting = true;
      } else {
        BrookErrors.fail(pending.message, new ThrottlingQuotaExceededException(
            partition + " has too many acks=all writes waiting for replication"));
      }
    }
    if (waiting) {
      armAcksTimer();
    }
  }

  /** One timer for the earliest acks=all deadline, not one per request. */
  private void armAcksTimer() {
    vertx.cancelTimer(acksTimer);
    if (acksAllWaiters.isEmpty()) {
      return;
    }
    long delayMs = Math.max(1, acksAllWaiters.nextDeadlineMs() - System.currentTimeMillis());
    acksTimer = vertx.setTimer(delayMs, timer -> {
      acksAllWaiters.expire(System.currentTimeMillis()).forEach(p -> BrookErrors.fail(p.message,
          new org.apache.kafka.common.errors.TimeoutException("The write to " + partition + " was not replicated to the in-sync replicas in "
              + p.request.timeoutMs() + " ms (it may still be committed)")));
      armAcksTimer();
    });
  }

  private void resyncOffsets() {
    this.<LogRequests.LogOffsets>toLog(new LogRequests.Describe()).onSuccess(described -> {
      offsets = described;
      onHighWatermarkMaybeAdvanced(replica.onLocalAppend(described.logEndOffset()));
    });
  }

  // ---- ISR ----

  private void onReplicaTick() {
    replica.maybeShrinkIsr(System.currentTimeMillis());
    sendIsrChange();
  }

  private void sendIsrChange() {
    replica.isrChangeToSend(System.currentTimeMillis()).ifPresent(change -> {
      AlterPartitionRequest wire = new AlterPartitionRequest(
          partition.topic(), partition.partition(), change.leaderId(), change.leaderEpoch(), change.partitionEpoch(),
          List.copyOf(change.newIsr()));
      vertx.eventBus().<AlterPartitionResponse>request(Addresses.LOCAL_CONTROLLER_ALTER_PARTITION, wire)
          .onComplete(done -> onIsrChangeAnswered(change, done.succeeded() ? done.result().body() : null, done.cause()));
    });
  }

  private void onIsrChangeAnswered(IsrChangeProposal change, AlterPartitionResponse committed, Throwable failure) {
    long nowMs = System.currentTimeMillis();
    if (committed != null && committed.leader() != nodeId) {
      return; // a reassignment moved the leadership away: the metadata update replaces this verticle
    }
    if (committed != null) {
      onHighWatermarkMaybeAdvanced(replica.onIsrCommitted(Set.copyOf(committed.isr()), committed.partitionEpoch(), nowMs));
      meters.onIsr(replica.replicas().size(), replica.isr().size());
    } else {
      replica.onIsrRejected(change, BrookErrors.errorOf(failure));
    }
  }

  // ---- consumer fetch: long poll ----

  private void handleFetch(Message<?> message, FetchRequest request) {
    throwIfInvalid(request);
    WaitingFetch fetch = new WaitingFetch(message, request, Math.min(request.maxBytes(), limits.fetchMaxBytes()),
        message.headers().contains(Addresses.FILE_RECORDS_HEADER)); // only set by this node's BrokerApiVerticle
    long maxWaitMs = Math.min(request.maxWaitMs(), limits.fetchMaxWaitMs());
    if (maxWaitMs == 0 || hasEnoughData(fetch)) {
      read(fetch);
      return;
    }
    long id = delayedFetches.add(fetch);
    if (id < 0) {
      throw new ThrottlingQuotaExceededException(partition + " already has " + delayedFetches.size()
          + " fetches waiting (queued.max.requests)");
    }
    fetch.timerId = vertx.setTimer(maxWaitMs, timer -> {
      if (delayedFetches.remove(id) != null) {
        read(fetch);
      }
    });
  }

  private void throwIfInvalid(FetchRequest request) {
    if (request.maxBytes() < 0) {
      throw new InvalidRequestException("Fetch maxBytes must not be negative, was " + request.maxBytes());
    }
    io.brook.replication.FetchValidation.throwIfLeaderEpochInvalid(request.currentLeaderEpoch(), initialState.leaderEpoch());
    long offset = request.fetchOffset();
    if (offset < offsets.logStartOffset() || offset > offsets.logEndOffset()) {
      throw new OffsetOutOfRangeException("Fetch offset " + offset + " is out of range for " + partition
          + ": log start " + offsets.logStartOffset() + ", log end " + offsets.logEndOffset());
    }
  }

  private boolean hasEnoughData(WaitingFetch fetch) {
    return fetch.offset() < replica.highWatermark() && history.bytesFrom(fetch.offset()) >= fetch.minBytes();
  }

  private void completeReadyFetches() {
    for (WaitingFetch fetch : delayedFetches.removeReady(this::hasEnoughData)) {
      vertx.cancelTimer(fetch.timerId);
      read(fetch);
    }
  }

  private void read(WaitingFetch fetch) {
    long highWatermark = replica.highWatermark();
    if (fetch.offset() >= highWatermark) {
      fetch.message.reply(fetchResponse(NO_RECORDS));
      return;
    }
    Future<FetchResponse> answer = fetch.fileRecords
        ? this.<LogRequests.SliceDone>toLog(new LogRequests.ReadSlice(fetch.offset(), fetch.maxBytes, highWatermark))
            .map(slice -> FetchResponse.ofFile(replica.highWatermark(), offsets.logStartOffset(), offsets.logEndOffset(),
                slice.slice()))
        : this.<LogRequests.ReadDone>toLog(new LogRequests.Read(fetch.offset(), fetch.maxBytes, highWatermark))
            .map(read -> fetchResponse(read.records()));
    answer.onComplete(done -> {
      if (done.succeeded()) {
        fetch.message.reply(done.result());
      } else {
        BrookErrors.fail(fetch.message, done.cause());
      }
    });
  }

  private FetchResponse fetchResponse(ByteBuffer records) {
    return new FetchResponse(replica.highWatermark(), offsets.logStartOffset(), offsets.logEndOffset(), records);
  }

  // ---- list offsets, describe ----

  private void handleListOffsets(Message<?> message, ListOffsetsRequest request) {
    long timestamp = request.timestamp();
    long highWatermark = replica.highWatermark();
    if (timestamp == ListOffsetsRequest.EARLIEST) {
      message.reply(new ListOffsetsResponse(offsets.logStartOffset(), -1L));
    } else if (timestamp == ListOffsetsRequest.LATEST) {
      message.reply(new ListOffsetsResponse(highWatermark, -1L));
    } else if (timestamp < 0) {
      throw new InvalidRequestException("Unsupported list-offsets timestamp " + timestamp
          + " (use -2 earliest, -1 latest or a time in ms)");
    } else {
      this.<LogRequests.OffsetForTimeDone>toLog(new LogRequests.OffsetForTime(timestamp)).onComplete(done -> {
        if (done.failed()) {
          BrookErrors.fail(message, done.cause());
          return;
        }
        LogRequests.OffsetForTimeDone found = done.result();
        boolean visible = found.offset() >= 0 && found.offset() < replica.highWatermark();
        message.reply(visible ? new ListOffsetsResponse(found.offset(), found.timestampMs())
            : new ListOffsetsResponse(-1L, -1L));
      });
    }
  }

  /** Where an epoch ends, from the log's epoch cache (the client compares it with its position: KIP-320). */
  private void handleOffsetForLeaderEpoch(Message<?> message, io.brook.protocol.message.OffsetForLeaderEpochRequest request) {
    io.brook.replication.FetchValidation.throwIfLeaderEpochInvalid(request.currentLeaderEpoch(), initialState.leaderEpoch());
    this.<io.brook.replication.EpochEndOffset>toLog(new LogRequests.EndOffsetForEpoch(request.leaderEpoch()))
        .onComplete(done -> {
          if (done.failed()) {
            BrookErrors.fail(message, done.cause());
          } else {
            message.reply(new io.brook.protocol.message.OffsetForLeaderEpochResponse(done.result().epoch(),
                done.result().endOffset()));
          }
        });
  }

  private void handleDescribe(Message<?> message) {
    this.<LogRequests.LogOffsets>toLog(new LogRequests.Describe()).onComplete(done -> {
      if (done.failed()) {
        BrookErrors.fail(message, done.cause());
        return;
      }
      LogRequests.LogOffsets described = done.result();
      message.reply(new PartitionDescription(partition.partition(), nodeId, replica.leaderEpoch(), replica.replicas(),
          replica.isr().stream().sorted().toList(), described.logStartOffset(), described.logEndOffset(),
          replica.highWatermark(), described.sizeInBytes(), described.segments()));
    });
  }

  Errors epochError(int requestEpoch) {
    return io.brook.replication.FetchValidation.leaderEpochError(requestEpoch, initialState.leaderEpoch());
  }
}
