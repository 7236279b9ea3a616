package io.brook.verticles.log;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.storage.AppendResult;
import io.brook.storage.LogConfig;
import io.brook.storage.PartitionLog;
import io.brook.storage.ReadResult;
import io.brook.storage.Time;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.FileRecords;

/**
 * The file-backed log of one partition: the only owner of its {@link PartitionLog}.
 *
 * <p>Deployed as a <em>worker</em> verticle, so every handler runs on a worker thread, one at a
 * time, in arrival order: file I/O and fsync never touch an event loop, and the log needs no lock.
 * Thousands of log verticles share the worker pool; none has a thread or a timer of its own: the
 * broker's {@link LogScheduler} publishes the flush and retention ticks.
 *
 * <p>Serves {@link LogRequests} on {@code brook.local.log.<topic>.<partition>} for its partition's
 * leader, and tells the leader (on {@code brook.local.leader.<topic>.<partition>}) when retention
 * moved the log start offset.
 */
public final class LogVerticle extends VerticleBase {
  private static final System.Logger LOG = System.getLogger(LogVerticle.class.getName());

  private final TopicPartition partition;
  private final Path dir;
  private final Time time;
  private LogConfig config;
  private PartitionLog log;

  public LogVerticle(TopicPartition partition, Path dir, LogConfig config, Time time) {
    this.partition = partition;
    this.dir = dir;
    this.config = config;
    this.time = time;
  }

  @Override
  public Future<?> start() throws Exception {
    log = PartitionLog.open(dir, config, time);
    EventBus bus = vertx.eventBus();
    List<MessageConsumer<Object>> consumers = List.of(
        bus.localConsumer(Addresses.localLog(partition.topic(), partition.partition()), this::dispatch),
        bus.localConsumer(Addresses.LOCAL_FLUSH_TICK, tick -> onFlushTick()),
        bus.localConsumer(Addresses.LOCAL_RETENTION_TICK, tick -> onRetentionTick()));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  @Override
  public Future<?> stop() throws Exception {
    if (log != null) {
      log.close();
    }
    return Future.succeededFuture();
  }

  private void dispatch(Message<Object> message) {
    Object body = message.body();
    try {
      if (body instanceof LogRequests.Append append) {
        message.reply(handleAppend(append));
      } else if (body instanceof LogRequests.Read read) {
        message.reply(handleRead(read));
      } else if (body instanceof LogRequests.OffsetForTime lookup) {
        message.reply(handleOffsetForTime(lookup));
      } else if (body instanceof LogRequests.Describe) {
        message.reply(offsets());
      } else if (body instanceof LogRequests.UpdateConfig update) {
        config = update.config();
        log.updateConfig(config);
        message.reply(offsets());
      } else {
        throw new IllegalArgumentException("log of " + partition + " got an unknown message " + body);
      }
    } catch (RuntimeException e) {
      BrookErrors.fail(message, e);
    }
  }

  private LogRequests.Appended handleAppend(LogRequests.Append append) {
    List<AppendResult> results = log.appendAsLeader(append.requests(), append.leaderEpoch());
    return new LogRequests.Appended(results, offsets());
  }

  private LogRequests.ReadDone handleRead(LogRequests.Read read) {
    ReadResult result = log.read(read.offset(), read.maxBytes(), read.maxOffset(), true);
    return new LogRequests.ReadDone(result.readFully(), offsets());
  }

  private LogRequests.OffsetForTimeDone handleOffsetForTime(LogRequests.OffsetForTime lookup) {
    Optional<FileRecords.TimestampAndOffset> found = log.offsetForTimestamp(lookup.timestampMs());
    return found
        .map(f -> new LogRequests.OffsetForTimeDone(f.offset, f.timestamp))
        .orElse(new LogRequests.OffsetForTimeDone(-1L, -1L));
  }

  private void onFlushTick() {
    try {
      log.maybeFlush();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "Flush of " + partition + " failed", e);
    }
  }

  private void onRetentionTick() {
    try {
      if (log.deleteOldSegments() > 0) {
        vertx.eventBus().send(Addresses.localLeader(partition.topic(), partition.partition()), offsets());
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "Retention of " + partition + " failed", e);
    }
  }

  private LogRequests.LogOffsets offsets() {
    return new LogRequests.LogOffsets(log.logStartOffset(), log.logEndOffset(), log.sizeInBytes(),
        log.numberOfSegments(), log.recoveryPoint());
  }
}
