package io.brook.verticles.log;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.message.FetchResponse;
import io.brook.storage.AppendResult;
import io.brook.storage.CorruptBatchException;
import io.brook.storage.LogConfig;
import io.brook.storage.PartitionLog;
import io.brook.storage.ReadResult;
import io.brook.storage.Time;
import io.brook.verticles.lifecycle.ShutdownProgress;
import io.brook.replication.EpochEndOffset;
import io.brook.replication.EpochEndOffsetLookup;
import io.brook.replication.FetchValidation;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * The file-backed log of one partition: the only owner of its {@link PartitionLog}.
 *
 * <p>Deployed as a <em>worker</em> verticle, so every handler runs on a worker thread, one at a
 * time, in arrival order: file I/O and fsync never touch an event loop, and the log needs no lock.
 * Thousands of log verticles share the worker pool; none has a thread or a timer of its own: the
 * broker's {@link LogScheduler} publishes the flush, retention, producer expiration and cleaner ticks, and lends the
 * cleaner's offset map to one compacted log at a time ({@link LogRequests.Clean}): the clean runs here,
 * in order with appends, rolls, retention and truncations, so the swap of cleaned segments never races
 * them.
 *
 * <p>Serves {@link LogRequests} to its partition's role through the {@link LogHandle} it deploys the role
 * with, and to the replica manager and the scheduler on {@code brook.local.log.<topic>.<partition>}, all in
 * one order; it tells the leader (on {@code brook.local.leader.<topic>.<partition>}) when retention
 * moved the log start offset. The partition's role verticle (its leader) is this verticle's child:
 * Vert.x stops children first, so the leader finishes its in-flight work before the log closes, on
 * topic deletion and on shutdown alike.
 *
 * <p>Flush on roll: after answering an append that rolled a segment, and before the next request,
 * it fsyncs the rolled segment and moves the recovery point ({@link PartitionLog#flushRolledSegments}),
 * so the fsync is off the append's latency and a kill -9 re-validates the active segment only.
 *
 * <p>DeleteRecords: the leader's {@link LogRequests.DeleteRecords} moves the log start (refused for a
 * topic without {@code cleanup.policy=delete}); a follower takes its leader's log start with every
 * append ({@link LogRequests.FollowerAppend}) or alone ({@link LogRequests.FollowLogStart}). The next
 * retention tick deletes the segments wholly below it.
 *
 * <p>A read that runs into corrupt bytes below the recovery point fails with CORRUPT_MESSAGE
 * (naming the partition and the offsets), and the partition's role hears of the range
 * ({@link LogRequests.CorruptionFound}); a leader repairs it with a replica's copy
 * ({@link LogRequests.Repair}).
 *
 * <p>A log that a failed fsync or write took offline is reopened (with recovery) on the next
 * request or flush/retention tick, at most every {@link #REOPEN_BACKOFF_MS}; until then requests
 * fail with KAFKA_STORAGE_ERROR. No free space is needed to reopen (the storage keeps its older
 * checkpoint on a full disk when that is safe), so a retention tick reopens the log and can then
 * free the disk; a config update reaches an offline log too.
 */
public final class LogVerticle extends VerticleBase {
  private static final System.Logger LOG = System.getLogger(LogVerticle.class.getName());

  static final long REOPEN_BACKOFF_MS = 5_000;

  private final TopicPartition partition;
  private final PartitionDirs dirs;
  private final Path dir;
  private final Uuid topicId;
  private final Time time;
  private final Function<LogHandle, ? extends Deployable> role;
  private LogConfig config;
  /** The broker's {@code producer.id.expiration.ms}. */
  private final long producerIdExpirationMs;
  private PartitionLog log;
  private String roleDeployment;
  /** The partition role's direct way here, handed to every role this log deploys. */
  private LogHandle handle;
  private HighWatermarkCheckpoint highWatermark;
  private long lastReopenAttemptMs;
  private boolean offlineReported;
  /** False while a full disk kept {@code partition.metadata} from being written; the flush tick retries. */
  private boolean topicIdRecorded;
  /** The partition's meters (docs/METRICS.md): its log figures are set after every answer. */
  private io.brook.verticles.metrics.PartitionMeters meters;

  /**
   * The log of {@code partition} of topic {@code topicId} in its directory under {@code dirs};
   * {@code role}: the partition's role verticle, deployed as a child once the log is open.
   *
   * @throws org.apache.kafka.common.errors.KafkaStorageException for a name that would leave data.dir
   */
  public LogVerticle(TopicPartition partition, PartitionDirs dirs, Uuid topicId, LogConfig config,
      long producerIdExpirationMs, Time time, Function<LogHandle, ? extends Deployable> role) {
    this.partition = partition;
    this.dirs = dirs;
    this.dir = dirs.dir(partition);
    this.topicId = topicId;
    this.config = config;
    this.producerIdExpirationMs = producerIdExpirationMs;
    this.time = time;
    this.role = role;
  }

  @Override
  public Future<?> start() throws Exception {
    topicIdRecorded = dirs.claim(partition, topicId); // a deleted incarnation's directory is removed, never reused
    log = PartitionLog.open(dir, config, time, producerIdExpirationMs);
    highWatermark = new HighWatermarkCheckpoint(dir, time);
    meters = io.brook.verticles.metrics.BrokerMeters.of(vertx).hosted(partition);
    handle = new LogHandle(context, this);
    EventBus bus = vertx.eventBus();
    List<MessageConsumer<Object>> consumers = List.of(
        bus.localConsumer(Addresses.localLog(partition.topic(), partition.partition()), this::dispatch),
        bus.localConsumer(Addresses.LOCAL_FLUSH_TICK, tick -> onFlushTick()),
        bus.localConsumer(Addresses.LOCAL_RETENTION_TICK, tick -> onRetentionTick()),
        bus.localConsumer(Addresses.LOCAL_PRODUCER_EXPIRATION_TICK, tick -> onProducerExpirationTick()),
        bus.localConsumer(Addresses.LOCAL_CLEANER_TICK, tick -> onCleanerTick()));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList())
        .compose(registered -> vertx.deployVerticle(() -> role.apply(handle), new DeploymentOptions()))
        .onSuccess(id -> roleDeployment = id);
  }

  /**
   * Closing fsyncs what the log had not flushed and writes the clean-shutdown marker; a node that is
   * shutting down counts both for its shutdown line ({@link ShutdownProgress}).
   */
  @Override
  public Future<?> stop() throws Exception {
    io.brook.verticles.metrics.BrokerMeters.of(vertx).removed(partition, meters);
    if (log != null) {
      ShutdownProgress progress = ShutdownProgress.of(vertx);
      long unflushed = log.unflushedMessages();
      boolean offline = log.isOffline(); // closed without a flush or marker: recovered at the next open
      try {
        highWatermark.write(log.logEndOffset());
        log.close();
      } catch (RuntimeException e) {
        progress.logFailedToClose();
        throw e;
      }
      if (offline) {
        progress.logFailedToClose();
      } else {
        progress.logClosed(unflushed);
      }
    }
    return Future.succeededFuture();
  }

  private void dispatch(Message<Object> message) {
    Object body = message.body();
    if (body instanceof LogRequests.SwitchRole switchRole) {
      switchRole(switchRole, message);
      return;
    }
    Object answer;
    try {
      answer = answer(body);
    } catch (RuntimeException e) {
      BrookErrors.fail(message, e);
      return;
    }
    if (answer != null) {
      message.reply(answer);
    }
    afterAnswer(body);
  }

  /**
   * The answer to {@code body} (null for a message that gets none), from the event bus or the role's
   * {@link LogHandle}; a corrupt read also tells the role which range it found.
   */
  Object answer(Object body) {
    try {
      if (body instanceof LogRequests.UpdateConfig update) {
        // before any reopen: an offline log must still get the new config (say, a lower
        // retention.bytes that lets retention free a full disk), and nobody resends it
        config = update.config();
        log.updateConfig(config);
        return offsets();
      }
      reopenIfOffline();
      if (body instanceof LogRequests.Append append) {
        return handleAppend(append);
      } else if (body instanceof LogRequests.Read read) {
        return handleRead(read);
      } else if (body instanceof LogRequests.ReadSlice read) {
        return handleReadSlice(read);
      } else if (body instanceof LogRequests.OffsetForTime lookup) {
        return handleOffsetForTime(lookup);
      } else if (body instanceof LogRequests.EndOffsetForEpoch lookup) {
        return EpochEndOffsetLookup.forLog(log).endOffsetFor(lookup.leaderEpoch());
      } else if (body instanceof LogRequests.Describe) {
        return offsets();
      } else if (body instanceof LogRequests.FollowerRead read) {
        return handleFollowerRead(read);
      } else if (body instanceof LogRequests.FollowerAppend append) {
        appendAsFollower(append);
        return offsets();
      } else if (body instanceof LogRequests.FollowLogStart follow) {
        followLeaderLogStart(follow.leaderLogStartOffset());
        return offsets();
      } else if (body instanceof LogRequests.DeleteRecords delete) {
        if (!config.delete()) { // as Kafka: a compacted-only topic keeps its records until the cleaner drops them
          throw new org.apache.kafka.common.errors.PolicyViolationException("The records of " + partition
              + " cannot be deleted: its cleanup.policy does not include delete");
        }
        log.maybeIncrementLogStartOffset(delete.offset());
        return offsets();
      } else if (body instanceof LogRequests.Repair repair) {
        return new LogRequests.Repaired(log.repair(repair.range(), repair.copy()), offsets());
      } else if (body instanceof LogRequests.TruncateDiverged diverged) {
        return handleTruncateDiverged(diverged);
      } else if (body instanceof LogRequests.TruncateTo truncate) {
        return handleTruncate(truncate);
      } else if (body instanceof LogRequests.UpdateHighWatermark update) {
        highWatermark.update(update.highWatermark());
        return null;
      } else if (body instanceof LogRequests.Clean clean) {
        return handleClean(clean);
      }
      throw new IllegalArgumentException("log of " + partition + " got an unknown message " + body);
    } catch (CorruptBatchException e) {
      tellRole(new LogRequests.CorruptionFound(e.range()));
      throw e;
    }
  }

  /** After the answer went out, before the next request: the fsync of a segment an append rolled. */
  void afterAnswer(Object body) {
    if (body instanceof LogRequests.Append || body instanceof LogRequests.FollowerAppend) {
      flushRolledSegments();
    }
  }

  /** The owner's half of flush on roll: the answer has gone out, the next request waits for this. */
  private void flushRolledSegments() {
    try {
      log.flushRolledSegments();
    } catch (RuntimeException e) {
      reportOnce("Flush of rolled segments", e); // the log is offline now; the next request reopens it
    }
  }

  private void tellRole(Object news) {
    vertx.eventBus().send(Addresses.localLeader(partition.topic(), partition.partition()), news,
        new DeliveryOptions().setLocalOnly(true));
  }

  private LogRequests.Appended handleAppend(LogRequests.Append append) {
    highWatermark.update(append.highWatermark());
    List<AppendResult> results = log.appendAsLeader(append.requests(), append.leaderEpoch());
    return new LogRequests.Appended(results, offsets());
  }

  private LogRequests.ReadDone handleRead(LogRequests.Read read) {
    ReadResult result = log.read(read.offset(), read.maxBytes(), read.maxOffset(), true);
    return new LogRequests.ReadDone(result.readFully(), offsets());
  }

  /** The slice, and its records counted from the batch headers (for the fetch meters, which run on event loops). */
  private LogRequests.SliceDone handleReadSlice(LogRequests.ReadSlice read) {
    FileRecords slice = log.read(read.offset(), read.maxBytes(), read.maxOffset(), true).records();
    long count = 0;
    for (RecordBatch batch : slice.batches()) {
      Integer records = batch.countOrNull();
      count += records == null ? 1 : records;
    }
    return new LogRequests.SliceDone(new FetchResponse.FileSlice(slice, count), offsets());
  }

  private LogRequests.FollowerReadDone handleFollowerRead(LogRequests.FollowerRead read) {
    Optional<EpochEndOffset> diverging = FetchValidation.divergence(read.lastFetchedEpoch(), read.fetchOffset(),
        EpochEndOffsetLookup.forLog(log));
    if (diverging.isPresent()) {
      return new LogRequests.FollowerReadDone(diverging.get().epoch(), diverging.get().endOffset(),
          ByteBuffer.allocate(0), offsets());
    }
    ReadResult result = log.read(read.fetchOffset(), read.maxBytes(), read.maxOffset(), true);
    return new LogRequests.FollowerReadDone(-1, -1L, result.readFully(), offsets());
  }

  /**
   * The leader's log start may fall inside the first batch it sends (a DeleteRecords): an empty log
   * restarts at that batch's base to take it whole, as Kafka's follower does, and the start moves
   * back up right after, in this same step.
   */
  private void appendAsFollower(LogRequests.FollowerAppend append) {
    highWatermark.update(append.highWatermark());
    long startBefore = log.logStartOffset();
    long end = log.logEndOffset();
    java.util.Iterator<? extends org.apache.kafka.common.record.internal.RecordBatch> batches =
        append.records().batches().iterator();
    if (startBefore == end && batches.hasNext()) {
      org.apache.kafka.common.record.internal.RecordBatch first = batches.next();
      if (first.baseOffset() < end && first.lastOffset() >= end) {
        log.truncateFullyAndStartAt(first.baseOffset());
      }
    }
    log.appendAsFollower(append.records());
    followLeaderLogStart(Math.max(startBefore, append.leaderLogStartOffset()));
  }

  /**
   * A follower takes its leader's log start offset (as far as its own log reaches), so a failover
   * never serves records the leader deleted. The checkpointed high watermark is raised to it too:
   * the leader had committed every offset below its log start.
   */
  private void followLeaderLogStart(long leaderLogStartOffset) {
    long target = Math.min(leaderLogStartOffset, log.logEndOffset());
    if (log.maybeIncrementLogStartOffset(target)) {
      highWatermark.update(target);
    }
  }

  private LogRequests.LogOffsets handleTruncateDiverged(LogRequests.TruncateDiverged diverged) {
    EpochEndOffset leaderEnd = new EpochEndOffset(diverged.divergingEpoch(), diverged.divergingEndOffset());
    log.truncateTo(FetchValidation.followerTruncationOffset(leaderEnd, EpochEndOffsetLookup.forLog(log),
        log.logEndOffset()));
    return offsets();
  }

  private LogRequests.LogOffsets handleTruncate(LogRequests.TruncateTo truncate) {
    if (truncate.fully()) {
      log.truncateFullyAndStartAt(truncate.offset());
    } else {
      log.truncateTo(truncate.offset());
    }
    return offsets();
  }

  /** The old role stops first (it may still need the log), then the new one starts. */
  private void switchRole(LogRequests.SwitchRole switchRole, Message<Object> message) {
    Future<?> stopped = roleDeployment == null ? Future.succeededFuture() : vertx.undeploy(roleDeployment);
    roleDeployment = null;
    stopped.transform(done -> vertx.deployVerticle(() -> switchRole.role().apply(handle), new DeploymentOptions()))
        .onSuccess(id -> {
          roleDeployment = id;
          message.reply(offsets());
        })
        .onFailure(e -> BrookErrors.fail(message, e));
  }

  private LogRequests.OffsetForTimeDone handleOffsetForTime(LogRequests.OffsetForTime lookup) {
    Optional<FileRecords.TimestampAndOffset> found = log.offsetForTimestamp(lookup.timestampMs());
    return found
        .map(f -> new LogRequests.OffsetForTimeDone(f.offset, f.timestamp))
        .orElse(new LogRequests.OffsetForTimeDone(-1L, -1L));
  }

  private void onFlushTick() {
    if (!topicIdRecorded) {
      topicIdRecorded = dirs.recordTopicId(partition, topicId);
    }
    try {
      reopenIfOffline();
      log.maybeFlush();
      highWatermark.write(log.logEndOffset());
    } catch (RuntimeException e) {
      reportOnce("Flush", e);
    }
  }

  private void onRetentionTick() {
    try {
      reopenIfOffline();
      if (log.deleteOldSegments() > 0) {
        tellRole(offsets());
      }
    } catch (RuntimeException e) {
      reportOnce("Retention", e);
    }
  }

  /** Forgets the producers past producer.id.expiration.ms; on this worker, in order with the appends. */
  private void onProducerExpirationTick() {
    if (log.isOffline()) {
      return; // a reopen leaves the expired ones out anyway
    }
    try {
      int removed = log.removeExpiredProducers();
      if (removed > 0) {
        LOG.log(System.Logger.Level.DEBUG, "{0}: forgot {1} idle producer id(s)", partition, removed);
      }
    } catch (RuntimeException e) {
      reportOnce("Producer expiration", e);
    }
  }

  /**
   * The cleaner scheduler asks which compacted logs are due: this one answers when it is, with its
   * dirty ratio (cheap: segment sizes and timestamps only, bounded by the high watermark).
   */
  private void onCleanerTick() {
    if (!config.compact() || log.isOffline()) {
      return;
    }
    try {
      io.brook.storage.CleanableStats stats = log.cleanableStats(highWatermark());
      if (stats.due()) {
        vertx.eventBus().send(Addresses.LOCAL_CLEANER, new LogRequests.CleanCandidate(partition, stats.dirtyRatio()),
            new DeliveryOptions().setLocalOnly(true));
      }
    } catch (RuntimeException e) {
      reportOnce("Cleanable check", e);
    }
  }

  /** One round of compaction, on this verticle's worker thread like every other change of the log. */
  private LogRequests.CleanDone handleClean(LogRequests.Clean clean) {
    io.brook.storage.CleanResult result = log.clean(clean.map(), clean.ioBufferBytes(), highWatermark());
    if (result.groupsCleaned() > 0) {
      tellRole(offsets());
    }
    return new LogRequests.CleanDone(result, offsets());
  }

  /** A failed fsync or write leaves the log offline: reopening runs recovery on what the disk holds. */
  private void reopenIfOffline() {
    if (!log.isOffline()) {
      return;
    }
    long nowMs = time.milliseconds();
    if (nowMs - lastReopenAttemptMs < REOPEN_BACKOFF_MS) {
      throw new KafkaStorageException("The log of " + partition + " is offline after a disk error; retrying soon");
    }
    lastReopenAttemptMs = nowMs;
    try {
      log.close();
    } catch (RuntimeException alreadyBroken) {
      // an offline log may fail to flush on close; recovery below decides what survives
    }
    try {
      log = PartitionLog.open(dir, config, time, producerIdExpirationMs);
      offlineReported = false;
      LOG.log(System.Logger.Level.WARNING, "Reopened the log of " + partition + " after a disk error");
    } catch (IOException | RuntimeException e) {
      throw new KafkaStorageException("Cannot reopen the log of " + partition + ": " + e.getMessage(), e);
    }
  }

  /** One report per offline period, not one every scheduler tick. */
  private void reportOnce(String what, RuntimeException e) {
    if (!offlineReported) {
      offlineReported = true;
      LOG.log(System.Logger.Level.ERROR, what + " of " + partition + " failed", e);
    }
  }

  private long highWatermark() {
    return Math.min(highWatermark.value(), log.logEndOffset());
  }

  private LogRequests.LogOffsets offsets() {
    LogRequests.LogOffsets offsets = new LogRequests.LogOffsets(log.logStartOffset(), log.logEndOffset(), log.sizeInBytes(),
        log.numberOfSegments(), log.recoveryPoint(), log.latestEpoch().orElse(-1), highWatermark());
    meters.onLog(offsets.logStartOffset(), offsets.logEndOffset(), offsets.sizeInBytes());
    return offsets;
  }
}
