package io.brook.verticles.partition;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.message.FetchRequest;
import io.brook.protocol.message.FetchResponse;
import io.brook.protocol.message.ListOffsetsRequest;
import io.brook.protocol.message.ListOffsetsResponse;
import io.brook.protocol.message.PartitionDescription;
import io.brook.protocol.message.ProduceRequest;
import io.brook.protocol.message.ProduceResponse;
import io.brook.storage.AppendResult;
import io.brook.verticles.BrokerConfig;
import io.brook.verticles.log.LogRequests;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedLeaderEpochException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.ThrottlingQuotaExceededException;
import org.apache.kafka.common.errors.UnknownLeaderEpochException;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * The leader of one partition: answers produce, fetch and list-offsets requests for it, on
 * {@code brook.local.leader.<topic>.<partition>} (the broker's API verticle routes client
 * requests here). The only owner of the partition's leader state: log start, log end and high
 * watermark, the produce queue (group commit) and the waiting long-poll fetches. Runs on one event
 * loop; all file work goes to the partition's {@link io.brook.verticles.log.LogVerticle}.
 *
 * <p>Invariants: at most one append is in flight to the log; the high watermark never moves back;
 * consumers never see a batch at or above the high watermark. With one replica the high watermark
 * follows the log end offset after each append; with followers (next issue) it becomes the lowest
 * log end offset of the in-sync replicas.
 */
public final class PartitionLeaderVerticle extends VerticleBase {
  private static final long LOG_REQUEST_TIMEOUT_MS = 120_000;
  private static final ByteBuffer NO_RECORDS = ByteBuffer.allocate(0);

  private final TopicPartition partition;
  private final int nodeId;
  private final int leaderEpoch;
  private final BrokerConfig limits;
  private final String logAddress;
  private final DeliveryOptions toLog = new DeliveryOptions().setLocalOnly(true).setSendTimeout(LOG_REQUEST_TIMEOUT_MS);
  private final ProduceQueue<PendingProduce> produceQueue;
  private final DelayedFetches<WaitingFetch> delayedFetches;
  private final Set<Future<?>> inFlight = new HashSet<>();
  private AppendHistory history;
  private LogRequests.LogOffsets offsets;
  private long highWatermark;

  private record PendingProduce(Message<?> message, ProduceRequest request) {}

  public PartitionLeaderVerticle(TopicPartition partition, int nodeId, int leaderEpoch, BrokerConfig limits) {
    this.partition = partition;
    this.nodeId = nodeId;
    this.leaderEpoch = leaderEpoch;
    this.limits = limits;
    this.logAddress = Addresses.localLog(partition.topic(), partition.partition());
    this.produceQueue = new ProduceQueue<>(limits.queuedMaxRequests());
    this.delayedFetches = new DelayedFetches<>(limits.queuedMaxRequests());
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<LogRequests.LogOffsets>request(logAddress, new LogRequests.Describe(), toLog)
        .compose(reply -> {
          offsets = reply.body();
          highWatermark = offsets.logEndOffset();
          history = new AppendHistory(offsets.logEndOffset());
          return vertx.eventBus()
              .localConsumer(Addresses.localLeader(partition.topic(), partition.partition()), this::dispatch)
              .completion();
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
        "The leader of " + partition + " on broker " + nodeId + " is shutting down");
    produceQueue.drainAll().forEach(p -> BrookErrors.fail(p.message(), leaving));
    delayedFetches.removeAll().forEach(f -> {
      vertx.cancelTimer(f.timerId);
      BrookErrors.fail(f.message, leaving);
    });
    return Future.join(new ArrayList<>(inFlight)).otherwiseEmpty();
  }

  /** A request to this partition's log, tracked until answered so that stop() can wait for it. */
  private <T> Future<T> toLog(Object request) {
    Future<T> answer = vertx.eventBus().<T>request(logAddress, request, toLog).map(Message::body);
    inFlight.add(answer);
    return answer.andThen(done -> inFlight.remove(answer));
  }

  private void dispatch(Message<Object> message) {
    Object body = message.body();
    try {
      if (body instanceof ProduceRequest produce) {
        handleProduce(message, produce);
      } else if (body instanceof FetchRequest fetch) {
        handleFetch(message, fetch);
      } else if (body instanceof ListOffsetsRequest listOffsets) {
        handleListOffsets(message, listOffsets);
      } else if (body instanceof DescribePartition) {
        handleDescribe(message);
      } else if (body instanceof LogRequests.LogOffsets moved) {
        offsets = moved; // retention moved the log start
      } else {
        throw new InvalidRequestException("partition " + partition + " got an unknown message " + body);
      }
    } catch (RuntimeException e) {
      BrookErrors.fail(message, e);
    }
  }

  // ---- produce: group commit ----

  private void handleProduce(Message<?> message, ProduceRequest request) {
    if (request.sizeInBytes() > limits.requestMaxBytes()) {
      throw new RecordTooLargeException("Produce request of " + request.sizeInBytes()
          + " bytes exceeds request.max.bytes=" + limits.requestMaxBytes());
    }
    if (!produceQueue.offer(new PendingProduce(message, request))) {
      throw new ThrottlingQuotaExceededException(partition + " already has " + produceQueue.size()
          + " produce requests queued (queued.max.requests)");
    }
    maybeAppend();
  }

  private void maybeAppend() {
    List<PendingProduce> batch = produceQueue.drainForAppend();
    if (batch.isEmpty()) {
      return;
    }
    List<MemoryRecords> records = batch.stream().map(p -> p.request().memoryRecords()).toList();
    this.<LogRequests.Appended>toLog(new LogRequests.Append(records, leaderEpoch)).onComplete(done -> {
      produceQueue.onAppendDone();
      if (done.succeeded()) {
        onAppended(batch, done.result());
      } else {
        batch.forEach(p -> BrookErrors.fail(p.message(), done.cause()));
        resyncOffsets(); // the write may have happened anyway (a timeout): learn the log's real end
      }
      maybeAppend();
    });
  }

  private void onAppended(List<PendingProduce> batch, LogRequests.Appended appended) {
    long bytes = 0;
    long committedEnd = highWatermark;
    for (int i = 0; i < batch.size(); i++) {
      PendingProduce pending = batch.get(i);
      AppendResult result = appended.results().get(i);
      if (result.ok()) {
        bytes += pending.request().sizeInBytes();
        committedEnd = Math.max(committedEnd, result.lastOffset() + 1);
        pending.message().reply(new ProduceResponse(result.firstOffset(), result.logAppendTimeMs(),
            result.logStartOffset()));
      } else {
        BrookErrors.fail(pending.message(), result.error());
      }
    }
    offsets = appended.offsets();
    history.onAppend(offsets.logEndOffset(), bytes);
    // one replica: what was acknowledged is committed (not what a failed flush left in the file)
    highWatermark = Math.max(highWatermark, committedEnd);
    completeReadyFetches();
  }

  private void resyncOffsets() {
    this.<LogRequests.LogOffsets>toLog(new LogRequests.Describe()).onSuccess(log -> {
      offsets = log;
      highWatermark = Math.max(highWatermark, log.logEndOffset());
      completeReadyFetches();
    });
  }

  // ---- fetch: long poll ----

  private void handleFetch(Message<?> message, FetchRequest request) {
    throwIfInvalid(request);
    WaitingFetch fetch = new WaitingFetch(message, request, Math.min(request.maxBytes(), limits.fetchMaxBytes()));
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
    int epoch = request.currentLeaderEpoch();
    if (epoch != FetchRequest.NO_EPOCH && epoch < leaderEpoch) {
      throw new FencedLeaderEpochException("Leader epoch " + epoch + " of the fetch for " + partition
          + " is older than the current " + leaderEpoch);
    }
    if (epoch > leaderEpoch) {
      throw new UnknownLeaderEpochException("Leader epoch " + epoch + " of the fetch for " + partition
          + " is newer than the current " + leaderEpoch);
    }
    long offset = request.fetchOffset();
    if (offset < offsets.logStartOffset() || offset > offsets.logEndOffset()) {
      throw new OffsetOutOfRangeException("Fetch offset " + offset + " is out of range for " + partition
          + ": log start " + offsets.logStartOffset() + ", log end " + offsets.logEndOffset());
    }
  }

  private boolean hasEnoughData(WaitingFetch fetch) {
    return fetch.offset() < highWatermark && history.bytesFrom(fetch.offset()) >= fetch.minBytes();
  }

  private void completeReadyFetches() {
    for (WaitingFetch fetch : delayedFetches.removeReady(this::hasEnoughData)) {
      vertx.cancelTimer(fetch.timerId);
      read(fetch);
    }
  }

  private void read(WaitingFetch fetch) {
    if (fetch.offset() >= highWatermark) {
      fetch.message.reply(fetchResponse(NO_RECORDS));
      return;
    }
    LogRequests.Read read = new LogRequests.Read(fetch.offset(), fetch.maxBytes, highWatermark);
    this.<LogRequests.ReadDone>toLog(read).onComplete(done -> {
      if (done.succeeded()) {
        fetch.message.reply(fetchResponse(done.result().records()));
      } else {
        BrookErrors.fail(fetch.message, done.cause());
      }
    });
  }

  private FetchResponse fetchResponse(ByteBuffer records) {
    return new FetchResponse(highWatermark, offsets.logStartOffset(), offsets.logEndOffset(), records);
  }

  // ---- list offsets, describe ----

  private void handleListOffsets(Message<?> message, ListOffsetsRequest request) {
    long timestamp = request.timestamp();
    if (timestamp == ListOffsetsRequest.EARLIEST) {
      message.reply(new ListOffsetsResponse(offsets.logStartOffset(), -1L));
    } else if (timestamp == ListOffsetsRequest.LATEST) {
      message.reply(new ListOffsetsResponse(highWatermark, -1L));
    } else if (timestamp < 0) {
      throw new InvalidRequestException("Unsupported list-offsets timestamp " + timestamp
          + " (use -2 earliest, -1 latest or a time in ms)");
    } else {
      this.<LogRequests.OffsetForTimeDone>toLog(new LogRequests.OffsetForTime(timestamp))
          .onComplete(done -> {
            if (done.failed()) {
              BrookErrors.fail(message, done.cause());
              return;
            }
            LogRequests.OffsetForTimeDone found = done.result();
            boolean visible = found.offset() >= 0 && found.offset() < highWatermark;
            message.reply(visible ? new ListOffsetsResponse(found.offset(), found.timestampMs())
                : new ListOffsetsResponse(-1L, -1L));
          });
    }
  }

  private void handleDescribe(Message<?> message) {
    this.<LogRequests.LogOffsets>toLog(new LogRequests.Describe())
        .onComplete(done -> {
          if (done.failed()) {
            BrookErrors.fail(message, done.cause());
            return;
          }
          LogRequests.LogOffsets log = done.result();
          message.reply(new PartitionDescription(partition.partition(), nodeId, leaderEpoch, List.of(nodeId),
              List.of(nodeId), log.logStartOffset(), log.logEndOffset(), highWatermark, log.sizeInBytes(),
              log.segments()));
        });
  }
}
