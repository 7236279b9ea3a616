package io.brook.verticles.partition;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.message.FetchRequest;
import io.brook.protocol.message.ListOffsetsRequest;
import io.brook.protocol.message.PartitionDescription;
import io.brook.protocol.message.ProduceRequest;
import io.brook.replication.EpochEndOffset;
import io.brook.replication.FetchDecision;
import io.brook.replication.FollowerState;
import io.brook.protocol.message.ReplicaFetchRequest;
import io.brook.protocol.message.ReplicaFetchResponse;
import io.brook.replication.FollowerFetch;
import io.brook.replication.FollowerFetchResult;
import io.brook.replication.ReplicationConfig;
import io.brook.verticles.log.LogHandle;
import io.brook.verticles.log.LogRequests;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * A follower replica of one partition for one leader epoch: long-polls the leader's
 * {@code brook.internal.broker.<leader>.replica-fetch}, appends the batches unchanged, truncates
 * where the leader says its log diverges, and answers clients that it is not the leader. The
 * decisions are {@link FollowerState}'s; this verticle does the messaging and the log work (through
 * its parent, the partition's log verticle). One fetch in flight at a time: the replication window.
 *
 * <p>It also answers its leader's repair fetch: a {@code ReplicaFetchRequest} whose
 * {@code replicaId} is the leader, asking for a copy of offsets the leader's log holds corrupt.
 *
 * <p>Runs on one event loop; a new leader or leader epoch means a new follower verticle.
 */
public final class ReplicaFollowerVerticle extends VerticleBase {
  private final TopicPartition partition;
  private final int localId;
  private final int leaderId;
  private final int leaderEpoch;
  private final ReplicationConfig config;
  private final int fetchMaxBytes;
  private final int fetchMaxWaitMs;
  private final LogHandle log;
  private final List<Future<?>> inFlight = new ArrayList<>();
  private final HighWatermarkForLog highWatermarkForLog;
  private static final System.Logger LOG = System.getLogger(ReplicaFollowerVerticle.class.getName());
  private FollowerState state;
  private String lastProblem = "";
  private LogRequests.LogOffsets offsets;
  private long wakeupTimer = -1;
  private boolean stopped;
  /** Its log's meters (null when run without one, in tests). */
  private io.brook.verticles.metrics.PartitionMeters meters;

  public ReplicaFollowerVerticle(TopicPartition partition, int localId, int leaderId, int leaderEpoch,
      ReplicationConfig config, int fetchMaxBytes, int fetchMaxWaitMs, LogHandle log) {
    this.partition = partition;
    this.localId = localId;
    this.leaderId = leaderId;
    this.leaderEpoch = leaderEpoch;
    this.config = config;
    this.fetchMaxBytes = fetchMaxBytes;
    this.fetchMaxWaitMs = fetchMaxWaitMs;
    this.log = log;
    this.highWatermarkForLog = new HighWatermarkForLog(log);
  }

  @Override
  public Future<?> start() {
    meters = io.brook.verticles.metrics.BrokerMeters.of(vertx).find(partition.topic(), partition.partition());
    return this.<LogRequests.LogOffsets>toLog(new LogRequests.Describe()).compose(described -> {
      offsets = described;
      LOG.log(System.Logger.Level.INFO, "Broker " + localId + " follows " + partition + " from broker " + leaderId
          + " at epoch " + leaderEpoch + ", log end " + described.logEndOffset());
      state = new FollowerState(localId, leaderId, leaderEpoch, described.logEndOffset(), described.latestEpoch(),
          described.highWatermark(), config);
      return Future.all(
          vertx.eventBus().localConsumer(Addresses.localLeader(partition.topic(), partition.partition()), this::dispatch)
              .completion(),
          vertx.eventBus().localConsumer(Addresses.LOCAL_FLUSH_TICK,
              tick -> highWatermarkForLog.sendIfMoved(state.highWatermark())).completion());
    }).onSuccess(registered -> pump());
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(wakeupTimer);
    // a log write in flight finishes before the log verticle (the parent) closes or switches role, and
    // the log's next role (the leader after a failover) starts from the high watermark it has
    return Future.join(new ArrayList<>(inFlight)).otherwiseEmpty().andThen(done -> {
      if (state != null) {
        highWatermarkForLog.sendIfMoved(state.highWatermark());
      }
    });
  }

  /** Clients that reach a follower are told to find the leader. */
  private void dispatch(Message<Object> message) {
    Object body = message.body();
    if (body instanceof DescribePartition) {
      message.reply(new PartitionDescription(partition.partition(), leaderId, leaderEpoch, List.of(), List.of(),
          offsets.logStartOffset(), offsets.logEndOffset(), state.highWatermark(), offsets.sizeInBytes(),
          offsets.segments()));
    } else if (body instanceof ReplicaFetchRequest fetch && fetch.replicaId() == leaderId) {
      serveRepairFetch(message, fetch);
    } else if (body instanceof ProduceRequest || body instanceof FetchRequest || body instanceof ListOffsetsRequest
        || body instanceof DeleteRecordsOnLeader || body instanceof ReplicaFetchRequest) {
      BrookErrors.fail(message, new NotLeaderOrFollowerException("Broker " + localId + " follows " + partition
          + "; its leader is broker " + leaderId + " (epoch " + leaderEpoch + ")"));
    } else if (!(body instanceof LogRequests.LogOffsets) && !(body instanceof LogRequests.CorruptionFound)) {
      // CorruptionFound: this log's copy of a range the leader asked for is corrupt too; the log reported it
      BrookErrors.fail(message, new InvalidRequestException("follower of " + partition + " got " + body));
    }
  }

  /**
   * The leader asks for a copy of offsets its own log holds corrupt ({@link CorruptionRepair}): the
   * batches from {@code fetchOffset}, at most {@code maxBytes} (capped by replica.fetch.max.bytes),
   * read from this log whatever the high watermark, answered at once and in band. Only the current
   * leader at the current epoch is answered.
   */
  private void serveRepairFetch(Message<Object> message, ReplicaFetchRequest fetch) {
    if (fetch.currentLeaderEpoch() != leaderEpoch) {
      Errors error = fetch.currentLeaderEpoch() < leaderEpoch ? Errors.FENCED_LEADER_EPOCH : Errors.UNKNOWN_LEADER_EPOCH;
      message.reply(ReplicaFetchResponse.error(error.code(), state.highWatermark(),
          offsets.logStartOffset(), offsets.logEndOffset()));
      return;
    }
    int maxBytes = Math.max(0, Math.min(fetch.maxBytes(), fetchMaxBytes));
    this.<LogRequests.ReadDone>toLog(new LogRequests.Read(fetch.fetchOffset(), maxBytes, Long.MAX_VALUE))
        .onComplete(done -> {
          if (done.succeeded()) {
            LogRequests.LogOffsets read = done.result().offsets();
            message.reply(new ReplicaFetchResponse((short) 0, state.highWatermark(),
                read.logStartOffset(), read.logEndOffset(), -1, -1L, done.result().records()));
          } else {
            message.reply(ReplicaFetchResponse.error(
                io.brook.protocol.BrookErrors.errorOf(done.cause()).code(), state.highWatermark(),
                offsets.logStartOffset(), offsets.logEndOffset()));
          }
        });
  }

  // ---- the fetch loop ----

  private void pump() {
    if (stopped) {
      return;
    }
    long nowMs = System.currentTimeMillis();
    Optional<FollowerState.FetchAttempt> attempt = state.maybeFetch(nowMs);
    if (attempt.isPresent()) {
      send(attempt.get());
    } else if (state.phase() != FollowerState.Phase.APPLYING) {
      long delayMs = Math.max(1, Math.min(state.nextWakeupMs() - nowMs, 60_000));
      vertx.cancelTimer(wakeupTimer);
      wakeupTimer = vertx.setTimer(delayMs, timer -> pump());
    }
  }

  private void send(FollowerState.FetchAttempt attempt) {
    FollowerFetch fetch = attempt.request();
    ReplicaFetchRequest request = new ReplicaFetchRequest(
        partition.topic(), partition.partition(), localId, fetch.currentLeaderEpoch(), fetch.fetchOffset(),
        fetch.lastFetchedEpoch(), fetchMaxBytes, fetchMaxWaitMs, offsets.logStartOffset());
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(config.replicaSocketTimeoutMs());
    vertx.eventBus().<ReplicaFetchResponse>request(Addresses.replicaFetch(leaderId), request, options)
        .onComplete(done -> {
          if (stopped) {
            return;
          }
          long nowMs = System.currentTimeMillis();
          if (done.failed()) {
            reportOnce("fetch failed: " + done.cause().getMessage());
            state.onFetchFailed(attempt.id(), nowMs);
            pump();
          } else {
            short errorCode = done.result().body().errorCode();
            if (errorCode != 0) {
              reportOnce("leader answered " + Errors.forCode(errorCode));
            }
            if (errorCode == 0 && meters != null) { // the leader's high watermark: this replica's lag (DescribeLogDirs)
              meters.onHighWatermark(done.result().body().highWatermark());
            }
            long before = state.highWatermark();
            FetchDecision decision = state.onFetchResponse(attempt.id(), fromWire(done.result().body()), nowMs);
            noteHighWatermarkIfMoved(before);
            apply(decision, errorCode == 0 ? done.result().body().logStartOffset() : -1L);
          }
        });
  }

  /** {@code leaderLogStartOffset}: the leader's, from the response (-1 with an error), which this log follows. */
  private void apply(FetchDecision decision, long leaderLogStartOffset) {
    Future<LogRequests.LogOffsets> logWork;
    if (decision instanceof FetchDecision.AppendRecords append) {
      logWork = toLog(new LogRequests.FollowerAppend(append.records(), leaderLogStartOffset,
          highWatermarkForLog.carried(state.highWatermark())));
    } else if (decision instanceof FetchDecision.TruncateDiverged diverged) {
      EpochEndOffset end = diverged.divergingEpoch();
      logWork = toLog(new LogRequests.TruncateDiverged(end.epoch(), end.endOffset()));
    } else if (decision instanceof FetchDecision.TruncateTo truncate) {
      logWork = toLog(new LogRequests.TruncateTo(truncate.offset(), false));
    } else if (decision instanceof FetchDecision.TruncateFullyAndStartAt restart) {
      logWork = toLog(new LogRequests.TruncateTo(restart.offset(), true));
    } else {
      if (decision instanceof FetchDecision.Backoff backoff) {
        reportOnce("backing off: " + backoff.error());
      } else if (decision instanceof FetchDecision.NoRecords) {
        followLeaderLogStart(leaderLogStartOffset);
      }
      pump(); // no records, back off, or a stale answer
      return;
    }
    logWork.onComplete(done -> {
      if (stopped) {
        return;
      }
      long nowMs = System.currentTimeMillis();
      if (done.failed()) {
        reportOnce("log work " + decision.getClass().getSimpleName() + " failed: " + done.cause().getMessage());
        state.onLogWorkFailed(nowMs);
      } else {
        offsets = done.result();
        long before = state.highWatermark();
        if (decision instanceof FetchDecision.AppendRecords) {
          state.onAppended(offsets.logEndOffset(), offsets.latestEpoch(), nowMs);
        } else {
          state.onTruncated(offsets.logEndOffset(), offsets.latestEpoch(), nowMs);
        }
        noteHighWatermarkIfMoved(before);
      }
      pump();
    });
  }

  /**
   * A caught-up follower still takes the leader's log start after a DeleteRecords; in order with the
   * appends (the log verticle serves one request at a time), without holding up the next fetch.
   */
  private void followLeaderLogStart(long leaderLogStartOffset) {
    if (leaderLogStartOffset > offsets.logStartOffset() && offsets.logEndOffset() > offsets.logStartOffset()) {
      this.<LogRequests.LogOffsets>toLog(new LogRequests.FollowLogStart(leaderLogStartOffset)).onComplete(done -> {
        if (done.succeeded()) {
          offsets = done.result();
        } else {
          reportOnce("taking the leader's log start " + leaderLogStartOffset + " failed: " + done.cause().getMessage());
        }
      });
    }
  }

  /** One line per kind of trouble, not one per retry. */
  private void reportOnce(String problem) {
    if (!problem.equals(lastProblem)) {
      lastProblem = problem;
      LOG.log(System.Logger.Level.INFO, "Follower of " + partition + " (leader " + leaderId + ", epoch " + leaderEpoch
          + "): " + problem);
    }
  }

  private void noteHighWatermarkIfMoved(long before) {
    if (state.highWatermark() > before) {
      highWatermarkForLog.moved();
    }
  }

  private static FollowerFetchResult fromWire(ReplicaFetchResponse wire) {
    Errors error = Errors.forCode(wire.errorCode());
    if (error != Errors.NONE) {
      return FollowerFetchResult.error(error, wire.logStartOffset(), wire.logEndOffset());
    }
    if (wire.diverging()) {
      return FollowerFetchResult.diverging(wire.highWatermark(), wire.logStartOffset(), wire.logEndOffset(),
          new EpochEndOffset(wire.divergingEpoch(), wire.divergingEndOffset()));
    }
    return FollowerFetchResult.records(wire.highWatermark(), wire.logStartOffset(), wire.logEndOffset(),
        MemoryRecords.readableRecords(wire.records().duplicate()));
  }

  private <T> Future<T> toLog(Object request) {
    Future<T> answer = log.call(request);
    inFlight.add(answer);
    return answer.andThen(done -> inFlight.remove(answer));
  }
}
