package io.brook.groups;

import io.brook.groups.GroupCoordinatorShard.Outcome;
import io.brook.groups.GroupMessages.CommitOffset;
import io.brook.groups.GroupMessages.GroupResponse;
import io.brook.groups.GroupMessages.HeartbeatRequest;
import io.brook.groups.GroupMessages.HeartbeatResponse;
import io.brook.groups.GroupMessages.JoinGroupRequest;
import io.brook.groups.GroupMessages.JoinGroupResponse;
import io.brook.groups.GroupMessages.OffsetCommitRequest;
import io.brook.groups.GroupMessages.OffsetCommitResponse;
import io.brook.groups.GroupMessages.OffsetFetchRequest;
import io.brook.groups.GroupMessages.OffsetFetchResponse;
import io.brook.groups.GroupMessages.Protocol;
import io.brook.groups.GroupMessages.SyncGroupRequest;
import io.brook.groups.GroupMessages.SyncGroupResponse;
import io.brook.groups.GroupRecords.CoordinatorRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * Drives one shard synchronously with a manual clock: every append succeeds and commits at once
 * (unless {@link #holdAppends} is set), replies are collected by request id, records in a log.
 */
final class ShardDriver {
  static final int SESSION_MS = 10_000;
  static final int REBALANCE_MS = 30_000;
  static final List<Protocol> RANGE = List.of(new Protocol("range", new byte[] {1}));

  GroupCoordinatorShard shard;
  long nowMs = 1_000;
  long nextRequestId = 1;
  final Map<Long, GroupResponse> replies = new HashMap<>();
  final List<CoordinatorRecord> log = new ArrayList<>();
  final List<Outcome> held = new ArrayList<>();
  boolean holdAppends;

  ShardDriver(GroupCoordinatorConfig config) {
    shard = new GroupCoordinatorShard(config, 42);
    shard.onLoaded(nowMs);
  }

  ShardDriver() {
    this(GroupCoordinatorConfig.defaults());
  }

  long send(LongFunction<Outcome> request) {
    long id = nextRequestId++;
    apply(request.apply(id));
    return id;
  }

  void apply(Outcome o) {
    if (holdAppends) {
      held.add(o);
      return;
    }
    log.addAll(o.records());
    o.replies().forEach(r -> replies.put(r.requestId(), r.response()));
    shard.onCommitted(o.opId());
  }

  @SuppressWarnings("unchecked")
  <T extends GroupResponse> T reply(long requestId) {
    return (T) replies.get(requestId);
  }

  boolean answered(long requestId) {
    return replies.containsKey(requestId);
  }

  /** Moves the clock to nowMs + ms, firing every deadline on the way at its time. */
  void advance(long ms) {
    long target = nowMs + ms;
    while (shard.nextDeadlineMs() <= target) {
      nowMs = Math.max(nowMs, shard.nextDeadlineMs());
      shard.tick(nowMs).forEach(this::apply);
    }
    nowMs = target;
  }

  long join(String group, String memberId, String instanceId, List<Protocol> protocols) {
    return join(group, memberId, instanceId, protocols, SESSION_MS);
  }

  long join(String group, String memberId, String instanceId, List<Protocol> protocols, int sessionMs) {
    return send(id -> shard.joinGroup(id, new JoinGroupRequest(group, sessionMs, REBALANCE_MS, memberId, instanceId,
        "consumer", protocols, "client", "/127.0.0.1"), nowMs));
  }

  /** A new dynamic member: the MEMBER_ID_REQUIRED round trip, then the real join (maybe parked). */
  long joinDynamic(String group) {
    JoinGroupResponse first = reply(join(group, "", null, RANGE));
    if (first.error() != Errors.MEMBER_ID_REQUIRED) {
      throw new AssertionError("expected MEMBER_ID_REQUIRED, got " + first);
    }
    return join(group, first.memberId(), null, RANGE);
  }

  long sync(String group, int generation, String memberId, String instanceId, Map<String, byte[]> assignments) {
    return send(id -> shard.syncGroup(id, new SyncGroupRequest(group, generation, memberId, instanceId, "consumer",
        "range", assignments), nowMs));
  }

  Errors heartbeat(String group, int generation, String memberId, String instanceId) {
    HeartbeatResponse r = reply(send(id -> shard.heartbeat(id, new HeartbeatRequest(group, generation, memberId, instanceId),
        nowMs)));
    return r.error();
  }

  Errors commit(String group, int generation, String memberId, TopicPartition tp, long offset, String metadata) {
    OffsetCommitResponse r = reply(send(id -> shard.commitOffsets(id, new OffsetCommitRequest(group, generation, memberId,
        null, Map.of(tp, new CommitOffset(offset, 3, metadata))), nowMs)));
    return r.errors().get(tp);
  }

  long fetch(String group, TopicPartition tp) {
    OffsetFetchResponse r = reply(send(id -> shard.fetchOffsets(id, new OffsetFetchRequest(group, List.of(tp)), nowMs)));
    return r.offsets().get(tp).offset();
  }

  /** One dynamic member joins an empty group and syncs with the assignment: Stable, generation 1. */
  JoinGroupResponse stableGroupOfOne(String group, byte[] assignment) {
    long join = joinDynamic(group);
    advance(GroupCoordinatorConfig.defaults().initialRebalanceDelayMs());
    JoinGroupResponse joined = reply(join);
    SyncGroupResponse synced = reply(sync(group, joined.generationId(), joined.memberId(), null,
        Map.of(joined.memberId(), assignment)));
    if (synced.error() != Errors.NONE) {
      throw new AssertionError("sync failed: " + synced);
    }
    return joined;
  }
}
