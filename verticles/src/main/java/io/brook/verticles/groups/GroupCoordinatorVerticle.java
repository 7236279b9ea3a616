package io.brook.verticles.groups;

import io.brook.groups.GroupCoordinatorConfig;
import io.brook.groups.GroupCoordinatorShard;
import io.brook.groups.GroupCoordinatorShard.Outcome;
import io.brook.groups.GroupMessages;
import io.brook.groups.GroupRecords;
import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.message.FetchRequest;
import io.brook.protocol.message.FetchResponse;
import io.brook.protocol.message.ListOffsetsRequest;
import io.brook.protocol.message.ListOffsetsResponse;
import io.brook.protocol.message.ProduceRequest;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;

/**
 * The group coordinator of one {@code __consumer_offsets} partition this broker leads, at one leader
 * epoch: the owner of a {@link GroupCoordinatorShard}, following the contract in groups/README.md.
 * It loads the shard by replaying the partition from the local leader (requests are answered
 * {@code COORDINATOR_LOAD_IN_PROGRESS} meanwhile), runs each request as an operation, appends the
 * operations' records through the local leader with acks=all, one append in flight (the records of
 * the operations that arrive meanwhile go together in the next), and releases each reply only when
 * its records and every earlier operation's are committed. A write refused before it reached the
 * log reverts the shard; a write whose fate is unknown (a timeout, a leader change) drops the shard
 * and replays the log. One timer, on the shard's next deadline.
 *
 * <p>Deployed and undeployed by {@link GroupCoordinatorManagerVerticle}; everything runs on this
 * verticle's event loop.
 */
public final class GroupCoordinatorVerticle extends VerticleBase {
  private static final System.Logger LOG = System.getLogger(GroupCoordinatorVerticle.class.getName());
  /** Errors of an append that was refused before anything was written: the shard can be reverted. */
  private static final Set<Errors> NOT_WRITTEN = Set.of(Errors.RECORD_LIST_TOO_LARGE, Errors.MESSAGE_TOO_LARGE,
      Errors.INVALID_RECORD, Errors.CORRUPT_MESSAGE, Errors.NOT_ENOUGH_REPLICAS, Errors.INVALID_REQUEST,
      Errors.INVALID_REQUIRED_ACKS);
  private static final int MAX_APPEND_BYTES = 512 * 1024;
  private static final int LOAD_FETCH_BYTES = 1024 * 1024;
  private static final long LOAD_RETRY_MS = 200;
  private static final long CORRUPT_LOG_RETRY_MS = 30_000;

  private final int partition;
  private final int leaderEpoch;
  private final GroupCoordinatorConfig config;
  private final int commitTimeoutMs;
  private final String leaderAddress;
  private final DeliveryOptions local;

  private GroupCoordinatorShard shard;
  /** A reload starts a new one; answers to an older one's requests (appends, loading fetches) are dropped. */
  private int incarnation;
  private long nextRequestId = 1;
  private final Map<Long, Message<?>> waiting = new HashMap<>();
  /** Outcomes whose replies are not released yet, in op order. */
  private final Deque<Pending> outcomes = new ArrayDeque<>();
  /** Outcomes whose records are not sent yet, in op order. */
  private final Deque<Pending> unsent = new ArrayDeque<>();
  private boolean appending;
  private long timerId = -1;
  private long timerAtMs = Long.MAX_VALUE;
  private long loadStartMs;

  private static final class Pending {
    final Outcome outcome;
    boolean committed;

    Pending(Outcome outcome) {
      this.outcome = outcome;
      this.committed = outcome.records().isEmpty();
    }
  }

  public GroupCoordinatorVerticle(int partition, int leaderEpoch, GroupCoordinatorConfig config, int commitTimeoutMs) {
    this.partition = partition;
    this.leaderEpoch = leaderEpoch;
    this.config = config;
    this.commitTimeoutMs = commitTimeoutMs;
    this.leaderAddress = Addresses.localLeader(OffsetsTopic.NAME, partition);
    this.local = new DeliveryOptions().setLocalOnly(true).setSendTimeout(commitTimeoutMs + 5_000L);
  }

  @Override
  public Future<?> start() {
    load("leader of " + name() + " at epoch " + leaderEpoch);
    return vertx.eventBus().<CoordinatorCall>localConsumer(Addresses.localGroupCoordinator(partition), this::handle).completion();
  }

  @Override
  public Future<?> stop() {
    failWaiting("the coordinator of " + name() + " stopped: this broker no longer leads it at epoch " + leaderEpoch);
    return Future.succeededFuture();
  }

  private String name() {
    return OffsetsTopic.NAME + "-" + partition;
  }

  // ---- requests ----

  private void handle(Message<CoordinatorCall> message) {
    long requestId = nextRequestId++;
    waiting.put(requestId, message);
    Outcome outcome;
    try {
      outcome = run(requestId, message.body().request(), System.currentTimeMillis());
    } catch (RuntimeException e) {
      waiting.remove(requestId);
      BrookErrors.fail(message, e);
      return;
    }
    accept(outcome);
    rearmTimer();
  }

  private Outcome run(long id, Object request, long nowMs) {
    if (request instanceof GroupMessages.JoinGroupRequest r) {
      return shard.joinGroup(id, r, nowMs);
    } else if (request instanceof GroupMessages.SyncGroupRequest r) {
      return shard.syncGroup(id, r, nowMs);
    } else if (request instanceof GroupMessages.HeartbeatRequest r) {
      return shard.heartbeat(id, r, nowMs);
    } else if (request instanceof GroupMessages.LeaveGroupRequest r) {
      return shard.leaveGroup(id, r, nowMs);
    } else if (request instanceof GroupMessages.OffsetCommitRequest r) {
      return shard.commitOffsets(id, r, nowMs);
    } else if (request instanceof GroupMessages.OffsetFetchRequest r) {
      return shard.fetchOffsets(id, r, nowMs);
    } else if (request instanceof GroupMessages.DescribeGroupsRequest r) {
      return shard.describeGroups(id, r, nowMs);
    } else if (request instanceof GroupMessages.ListGroupsRequest r) {
      return shard.listGroups(id, r, nowMs);
    } else if (request instanceof GroupMessages.DeleteGroupsRequest r) {
      return shard.deleteGroups(id, r, nowMs);
    } else if (request instanceof GroupMessages.OffsetDeleteRequest r) {
      return shard.deleteOffsets(id, r, nowMs);
    }
    throw new IllegalArgumentException("not a group request: " + request);
  }

  private void accept(Outcome outcome) {
    Pending pending = new Pending(outcome);
    outcomes.add(pending);
    if (!pending.committed) {
      unsent.add(pending);
      sendRecords();
    }
    release();
  }

  /** Replies of the committed outcomes at the head, in op order; each then drops its undo. */
  private void release() {
    while (!outcomes.isEmpty() && outcomes.peek().committed) {
      Outcome outcome = outcomes.poll().outcome;
      for (GroupMessages.Reply reply : outcome.replies()) {
        Message<?> message = waiting.remove(reply.requestId());
        if (message != null) { // null: answered already (a revert or a reload failed it)
          message.reply(new CoordinatorCall.Answer(reply.response()));
        }
      }
      shard.onCommitted(outcome.opId());
    }
  }

  // ---- appends ----

  private void sendRecords() {
    if (appending || unsent.isEmpty()) {
      return;
    }
    List<Pending> batch = new ArrayList<>();
    List<SimpleRecord> records = new ArrayList<>();
    long nowMs = System.currentTimeMillis();
    int bytes = 0;
    while (!unsent.isEmpty() && (batch.isEmpty() || bytes < MAX_APPEND_BYTES)) {
      Pending next = unsent.poll();
      batch.add(next);
      for (GroupRecords.EncodedRecord record : next.outcome.encoded()) {
        ByteBuffer key = record.key().duplicate();
        ByteBuffer value = record.value() == null ? null : record.value().duplicate();
        bytes += key.remaining() + (value == null ? 0 : value.remaining());
        records.add(new SimpleRecord(nowMs, key, value));
      }
    }
    MemoryRecords memory = MemoryRecords.withRecords(Compression.NONE, records.toArray(new SimpleRecord[0]));
    ProduceRequest produce = new ProduceRequest(OffsetsTopic.NAME, partition, ProduceRequest.ACKS_ALL, commitTimeoutMs,
        memory.buffer());
    appending = true;
    int sentBy = incarnation;
    vertx.eventBus().request(leaderAddress, produce, local).onComplete(done -> {
      if (sentBy != incarnation) {
        return; // the shard it was for is gone
      }
      appending = false;
      if (done.succeeded()) {
        batch.forEach(p -> p.committed = true);
        release();
        sendRecords();
      } else {
        onAppendFailed(batch, done.cause());
      }
    });
  }

  private void onAppendFailed(List<Pending> batch, Throwable failure) {
    Errors error = BrookErrors.errorOf(failure);
    if (!NOT_WRITTEN.contains(error)) {
      reload("a write to " + name() + " ended with " + error + " (" + failure.getMessage()
          + "): it may or may not be in the log");
      return;
    }
    long firstOp = batch.get(0).outcome.opId();
    shard.revert(firstOp);
    // every later operation was undone too; requests parked before it may have seen its state: all retry
    outcomes.clear();
    unsent.clear();
    failWaiting("a write to " + name() + " was refused (" + error + "): " + failure.getMessage());
    rearmTimer();
  }

  private void failWaiting(String why) {
    NotCoordinatorException error = new NotCoordinatorException(why);
    waiting.values().forEach(message -> BrookErrors.fail(message, error));
    waiting.clear();
  }

  // ---- loading ----

  /** Drops the shard (everything outstanding is answered NOT_COORDINATOR) and replays the log into a new one. */
  private void reload(String why) {
    LOG.log(System.Logger.Level.WARNING, "Group coordinator of " + name() + " reloads its groups: " + why);
    load(why);
  }

  private void load(String why) {
    incarnation++;
    failWaiting("the coordinator of " + name() + " is reloading its groups (" + why + ")");
    outcomes.clear();
    unsent.clear();
    appending = false;
    vertx.cancelTimer(timerId);
    timerAtMs = Long.MAX_VALUE;
    shard = new GroupCoordinatorShard(config, new SecureRandom().nextLong());
    loadStartMs = System.currentTimeMillis();
    findLogStart(incarnation);
  }

  private void findLogStart(int loading) {
    vertx.eventBus().<ListOffsetsResponse>request(leaderAddress,
            new ListOffsetsRequest(OffsetsTopic.NAME, partition, ListOffsetsRequest.EARLIEST), local)
        .onComplete(start -> {
          if (loading != incarnation) {
            return;
          }
          if (start.failed()) {
            retryLater(loading, start.cause(), () -> findLogStart(loading));
          } else {
            fetchForLoad(loading, start.result().body().offset(), -1, 0);
          }
        });
  }

  /**
   * Reads the partition from {@code next} and replays it, until the high watermark reaches
   * {@code until}: the log end when loading started, so that what the previous coordinator wrote is
   * in the shard once it is committed.
   */
  private void fetchForLoad(int loading, long next, long until, int maxWaitMs) {
    FetchRequest fetch = new FetchRequest(OffsetsTopic.NAME, partition, next, LOAD_FETCH_BYTES, until < 0 ? 0 : 1,
        maxWaitMs, FetchRequest.CONSUMER_REPLICA_ID, leaderEpoch);
    vertx.eventBus().<FetchResponse>request(leaderAddress, fetch, local).onComplete(done -> {
      if (loading != incarnation) {
        return;
      }
      if (done.failed()) {
        retryLater(loading, done.cause(), () -> fetchForLoad(loading, next, until, 0));
        return;
      }
      FetchResponse response = done.result().body();
      long target = until < 0 ? response.logEndOffset() : until;
      long position;
      try {
        position = replay(response, next);
      } catch (RuntimeException e) { // a record the codec refuses: never load state it cannot read
        LOG.log(System.Logger.Level.ERROR, "Group coordinator of " + name() + " cannot read its log at offset "
            + next + " or after: " + e + "; its groups stay unavailable (COORDINATOR_LOAD_IN_PROGRESS), "
            + "trying again in " + CORRUPT_LOG_RETRY_MS / 1000 + " s");
        vertx.setTimer(CORRUPT_LOG_RETRY_MS, t -> {
          if (loading == incarnation) {
            load("a retry after an unreadable record");
          }
        });
        return;
      }
      if (position >= target) {
        loaded(target);
      } else {
        fetchForLoad(loading, position, target, position == next ? 500 : 0);
      }
    });
  }

  /** Replays the committed records from {@code from}; answers the next offset to read. */
  private long replay(FetchResponse response, long from) {
    long next = from;
    for (RecordBatch batch : response.memoryRecords().batches()) {
      if (batch.lastOffset() < next) {
        continue;
      }
      if (batch.lastOffset() >= response.highWatermark()) {
        break;
      }
      if (!batch.isControlBatch()) {
        for (Record record : batch) {
          if (record.offset() >= next && record.hasKey()) {
            shard.replay(record.key(), record.hasValue() ? record.value() : null);
          }
        }
      }
      next = batch.nextOffset();
    }
    return next;
  }

  private void loaded(long to) {
    shard.onLoaded(System.currentTimeMillis());
    LOG.log(System.Logger.Level.INFO, "Group coordinator of " + name() + " (leader epoch " + leaderEpoch + ") loaded "
        + shard.groupCount() + " groups up to offset " + to + " in " + (System.currentTimeMillis() - loadStartMs)
        + " ms");
    rearmTimer();
  }

  /** A step of loading failed (the local leader not at this epoch yet, a timeout): the same step again soon. */
  private void retryLater(int loading, Throwable cause, Runnable step) {
    LOG.log(System.Logger.Level.DEBUG, "Group coordinator of " + name() + " retries a loading step: " + cause);
    vertx.setTimer(LOAD_RETRY_MS, t -> {
      if (loading == incarnation) {
        step.run();
      }
    });
  }

  // ---- deadlines ----

  private void rearmTimer() {
    long at = shard.isLoading() ? Long.MAX_VALUE : shard.nextDeadlineMs();
    if (at == timerAtMs) {
      return;
    }
    vertx.cancelTimer(timerId);
    timerAtMs = at;
    if (at == Long.MAX_VALUE) {
      return;
    }
    timerId = vertx.setTimer(Math.max(1, at - System.currentTimeMillis()), id -> {
      timerAtMs = Long.MAX_VALUE;
      for (Outcome outcome : shard.tick(System.currentTimeMillis())) {
        accept(outcome);
      }
      rearmTimer();
    });
  }
}
