package io.brook.groups;

import io.brook.groups.GroupMessages.DeleteGroupsRequest;
import io.brook.groups.GroupMessages.DeleteGroupsResponse;
import io.brook.groups.GroupMessages.DescribeGroupsRequest;
import io.brook.groups.GroupMessages.DescribeGroupsResponse;
import io.brook.groups.GroupMessages.DescribedGroup;
import io.brook.groups.GroupMessages.DescribedMember;
import io.brook.groups.GroupMessages.HeartbeatRequest;
import io.brook.groups.GroupMessages.HeartbeatResponse;
import io.brook.groups.GroupMessages.JoinGroupRequest;
import io.brook.groups.GroupMessages.JoinGroupResponse;
import io.brook.groups.GroupMessages.LeaveGroupRequest;
import io.brook.groups.GroupMessages.LeaveGroupResponse;
import io.brook.groups.GroupMessages.ListGroupsRequest;
import io.brook.groups.GroupMessages.ListGroupsResponse;
import io.brook.groups.GroupMessages.ListedGroup;
import io.brook.groups.GroupMessages.OffsetCommitRequest;
import io.brook.groups.GroupMessages.OffsetCommitResponse;
import io.brook.groups.GroupMessages.OffsetFetchRequest;
import io.brook.groups.GroupMessages.OffsetFetchResponse;
import io.brook.groups.GroupMessages.Reply;
import io.brook.groups.GroupMessages.SyncGroupRequest;
import io.brook.groups.GroupMessages.SyncGroupResponse;
import io.brook.groups.GroupRecords.CoordinatorRecord;
import io.brook.groups.GroupRecords.GroupMetadataKey;
import io.brook.groups.GroupRecords.GroupMetadataValue;
import io.brook.groups.GroupRecords.OffsetCommitKey;
import io.brook.groups.GroupRecords.OffsetCommitValue;
import io.brook.groups.GroupRecords.RecordKey;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import io.brook.groups.GroupMessages.GroupResponse;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * The group coordinator of ONE {@code __consumer_offsets} partition: every classic group that
 * hashes to it, their members, rebalances and committed offsets. A plain state machine: each input
 * carries {@code nowMs}; no clock, no threads, no I/O. Its owner (a verticle, the simulation) calls
 * it on one thread.
 *
 * <p><b>Operations return records and replies.</b> Every request method and {@link #tick} returns
 * an {@link Outcome}: the records to append to the partition (Kafka's {@code __consumer_offsets}
 * format, {@link GroupRecordCodec}) and the replies to send, each to the request id the owner gave.
 * A JoinGroup or SyncGroup may be parked: its reply comes out of a later operation (the one that
 * completes the rebalance, or a timeout). The shard applies an operation's changes at once (later
 * operations see them, as Kafka's write operations read uncommitted state); the owner:
 * <ol>
 *   <li>appends each outcome's records as one batch with acks=all, in op order;</li>
 *   <li>releases an outcome's replies only once its records and every earlier outcome's are
 *       committed (an outcome without records waits only for the earlier ones), then calls
 *       {@link #onCommitted(long)};</li>
 *   <li>if an append fails and its records are known NOT to be in the log (refused before it was
 *       written), calls {@link #revert(long)} with that outcome's op id: the shard puts every group
 *       and offset back as it was before that op, undoing later ops too (they read its state), and
 *       the owner answers every outstanding reply of that outcome and of every later one with an
 *       error ({@code NOT_COORDINATOR}), whether or not {@code revert} listed its op, parked
 *       requests included. Replies for requests the owner already answered are dropped when they
 *       come out again;</li>
 *   <li>if the outcome of an append is unknown (a timeout, {@code NOT_ENOUGH_REPLICAS_AFTER_APPEND},
 *       a leader change after the write), the records may still be committed later: reverting
 *       would leave the shard behind the log. The owner drops the shard (answering
 *       {@code NOT_COORDINATOR} to everything outstanding) and, if it still leads the partition,
 *       loads a new shard by replaying the committed records.</li>
 * </ol>
 * So the state a client sees never runs ahead of the log.
 *
 * <p><b>Loading.</b> A new shard is loading: {@link #replay} the partition's committed records in
 * order (tombstones included), then {@link #onLoaded}. Until then every request is answered
 * {@code COORDINATOR_LOAD_IN_PROGRESS}. A group loads as Stable (members with their assignments),
 * Empty, or, when its last record is a generation whose SyncGroup was never written (members, no
 * assignments), PreparingRebalance: its members must join again. Every member's session starts at
 * {@code onLoaded}.
 *
 * <p><b>Timers are data.</b> {@link #nextDeadlineMs()} is the earliest deadline of any group
 * (session, pending member, join/initial delay, sync) or of the offset retention check; the owner
 * sets one timer and calls {@link #tick} at or after it.
 *
 * <p><b>Invariants.</b> Generations never go back, and no generation number is handed out twice,
 * even across failovers: a generation is in the log before any member hears of it. The persisted image ({@link #durableImage()})
 * after {@link #revert} of every uncommitted op equals what replaying the committed records gives.
 */
public final class GroupCoordinatorShard {
  /**
   * What one operation produced: records to append (maybe none), the same records encoded (what the
   * owner appends: each op encodes its records once, before it is handed out), and replies to release
   * after them.
   */
  public record Outcome(long opId, List<CoordinatorRecord> records, List<Reply> replies,
      List<GroupRecords.EncodedRecord> encoded) {}

  private record GroupDeadline(long deadlineMs, String groupId) {}

  private final GroupCoordinatorConfig config;
  private final SortedMap<String, ClassicGroup> groups = new TreeMap<>();
  private final Map<String, Map<TopicPartition, OffsetCommitValue>> offsets = new HashMap<>();
  private final ClassicMembership membership;
  private final Offsets offsetStore;
  /** Operations whose records are not known to be committed, oldest first. */
  private final Deque<Op> uncommitted = new ArrayDeque<>();
  /** Each group's earliest deadline (sessions, join, sync, pending members), ordered: O(log n) timers. */
  private final TreeSet<GroupDeadline> deadlines = new TreeSet<>(
      Comparator.comparingLong(GroupDeadline::deadlineMs).thenComparing(GroupDeadline::groupId));
  private final Map<String, Long> indexedDeadlines = new HashMap<>();
  private boolean loading = true;
  private long nextOpId = 1;
  private long nextRetentionCheckMs = Long.MAX_VALUE;

  /** @param memberIdSeed seeds the member ids this shard hands out (random in a broker, fixed in tests) */
  public GroupCoordinatorShard(GroupCoordinatorConfig config, long memberIdSeed) {
    this.config = config;
    this.membership = new ClassicMembership(config, groups, new Random(memberIdSeed));
    this.offsetStore = new Offsets(config, groups, offsets);
  }

  // ---- loading ----

  public boolean isLoading() {
    return loading;
  }

  /** Replays one record of the partition, as its bytes (value null: tombstone). */
  public void replay(ByteBuffer key, ByteBuffer value) {
    RecordKey k = GroupRecordCodec.decodeKey(key);
    replay(new CoordinatorRecord(k, GroupRecordCodec.decodeValue(k, value)));
  }

  public void replay(CoordinatorRecord record) {
    if (!loading) {
      throw new IllegalStateException("replay after the shard was loaded");
    }
    String groupId = record.key().group();
    if (record.key() instanceof OffsetCommitKey k) {
      TopicPartition tp = new TopicPartition(k.topic(), k.partition());
      Offsets.set(offsets, groupId, tp, record.isTombstone() ? null : (OffsetCommitValue) record.value());
      if (!record.isTombstone()) {
        groups.computeIfAbsent(groupId, ClassicGroup::new);
      }
    } else if (record.isTombstone()) {
      groups.remove(groupId);
      if (offsets.containsKey(groupId)) {
        groups.put(groupId, new ClassicGroup(groupId));
      }
    } else {
      groups.put(groupId, ClassicGroup.fromRecordValue(groupId, (GroupMetadataValue) record.value()));
    }
    if (record.isTombstone() && !offsets.containsKey(groupId)) {
      ClassicGroup g = groups.get(groupId);
      if (g != null && g.persisted == null) {
        groups.remove(groupId);
      }
    }
  }

  /** The end of loading: members' sessions start now; requests are served from now on. */
  public void onLoaded(long nowMs) {
    loading = false;
    for (ClassicGroup g : groups.values()) {
      for (ClassicMember m : g.members.values()) {
        m.sessionDeadlineMs = nowMs + m.sessionTimeoutMs;
      }
      if (g.is(GroupState.PREPARING_REBALANCE)) {
        g.joinDeadlineMs = nowMs + g.rebalanceTimeoutMs();
      }
    }
    nextRetentionCheckMs = nowMs + config.offsetsRetentionCheckIntervalMs();
    groups.keySet().forEach(this::reindex);
  }

  // ---- requests ----

  public Outcome joinGroup(long requestId, JoinGroupRequest req, long nowMs) {
    return runForGroup(nowMs, requestId, req.groupId(), e -> JoinGroupResponse.failed(e, req.memberId()),
        op -> membership.join(op, requestId, req));
  }

  public Outcome syncGroup(long requestId, SyncGroupRequest req, long nowMs) {
    return runForGroup(nowMs, requestId, req.groupId(), SyncGroupResponse::failed,
        op -> membership.sync(op, requestId, req));
  }

  public Outcome heartbeat(long requestId, HeartbeatRequest req, long nowMs) {
    return runForGroup(nowMs, requestId, req.groupId(), HeartbeatResponse::new,
        op -> membership.heartbeat(op, requestId, req));
  }

  public Outcome leaveGroup(long requestId, LeaveGroupRequest req, long nowMs) {
    return runForGroup(nowMs, requestId, req.groupId(), e -> new LeaveGroupResponse(e, List.of()),
        op -> membership.leave(op, requestId, req));
  }

  public Outcome commitOffsets(long requestId, OffsetCommitRequest req, long nowMs) {
    Function<Errors, GroupResponse> failed = e -> {
      Map<TopicPartition, Errors> all = new LinkedHashMap<>();
      req.offsets().keySet().forEach(tp -> all.put(tp, e));
      return new OffsetCommitResponse(all);
    };
    return runForGroup(nowMs, requestId, req.groupId(), failed, op -> offsetStore.commit(op, requestId, req));
  }

  public Outcome fetchOffsets(long requestId, OffsetFetchRequest req, long nowMs) {
    return runForGroup(nowMs, requestId, req.groupId(), e -> new OffsetFetchResponse(e, Map.of()),
        op -> offsetStore.fetch(op, requestId, req));
  }

  /**
   * Kafka's OffsetDelete of a classic group: refused for an unknown group (GROUP_ID_NOT_FOUND) and for an
   * active group not of the consumer protocol (NON_EMPTY_GROUP); per partition GROUP_SUBSCRIBED_TO_TOPIC
   * while a member of the group subscribes to its topic, else a tombstone for the offset (if any).
   */
  public Outcome deleteOffsets(long requestId, GroupMessages.OffsetDeleteRequest req, long nowMs) {
    return runForGroup(nowMs, requestId, req.groupId(), e -> new GroupMessages.OffsetDeleteResponse(e, Map.of()),
        op -> offsetStore.delete(op, requestId, req));
  }

  public Outcome describeGroups(long requestId, DescribeGroupsRequest req, long nowMs) {
    return run(nowMs, requestId, null, op -> {
      List<DescribedGroup> result = new ArrayList<>();
      for (String groupId : req.groupIds()) {
        result.add(describe(groupId));
      }
      op.reply(requestId, new DescribeGroupsResponse(result));
    });
  }

  public Outcome listGroups(long requestId, ListGroupsRequest req, long nowMs) {
    return run(nowMs, requestId, e -> new ListGroupsResponse(e, List.of()), op -> {
      if (loading) {
        op.reply(requestId, new ListGroupsResponse(Errors.COORDINATOR_LOAD_IN_PROGRESS, List.of()));
        return;
      }
      // as Kafka: the filter is case-insensitive ("stable" and "Stable" both match)
      Set<String> states = new HashSet<>();
      req.statesFilter().forEach(st -> states.add(st.toLowerCase(Locale.ROOT)));
      List<ListedGroup> result = new ArrayList<>();
      for (ClassicGroup g : groups.values()) {
        if (states.isEmpty() || states.contains(g.state.kafkaName().toLowerCase(Locale.ROOT))) {
          result.add(new ListedGroup(g.groupId, g.protocolType == null ? "" : g.protocolType, g.state.kafkaName()));
        }
      }
      op.reply(requestId, new ListGroupsResponse(Errors.NONE, result));
    });
  }

  /** Only an Empty group can be deleted: tombstones for its offsets and its metadata. */
  public Outcome deleteGroups(long requestId, DeleteGroupsRequest req, long nowMs) {
    Function<Errors, GroupResponse> failed = e -> {
      Map<String, Errors> all = new LinkedHashMap<>();
      req.groupIds().forEach(g -> all.put(g, e));
      return new DeleteGroupsResponse(all);
    };
    return run(nowMs, requestId, failed, op -> {
      Map<String, Errors> result = new LinkedHashMap<>();
      for (String groupId : req.groupIds()) {
        Errors error = precheck(groupId);
        ClassicGroup g = error == Errors.NONE ? groups.get(groupId) : null;
        if (error == Errors.NONE && g == null) {
          error = Errors.GROUP_ID_NOT_FOUND;
        } else if (error == Errors.NONE && !g.is(GroupState.EMPTY)) {
          error = Errors.NON_EMPTY_GROUP;
        }
        if (error == Errors.NONE) {
          deleteGroup(op, g);
        }
        result.put(groupId, error);
      }
      op.reply(requestId, new DeleteGroupsResponse(result));
    });
  }

  private void deleteGroup(Op op, ClassicGroup g) {
    op.touch(g.groupId);
    offsetStore.removeAll(op, g.groupId);
    op.write(CoordinatorRecord.tombstone(new GroupMetadataKey(g.groupId)));
    g.transitionTo(GroupState.DEAD, op.nowMs);
    groups.remove(g.groupId);
  }

  private DescribedGroup describe(String groupId) {
    Errors error = precheck(groupId);
    ClassicGroup g = error == Errors.NONE ? groups.get(groupId) : null;
    if (error == Errors.NONE && g == null) {
      error = Errors.GROUP_ID_NOT_FOUND;
    }
    if (error != Errors.NONE) {
      return new DescribedGroup(error, groupId, GroupState.DEAD.kafkaName(), "", "", List.of());
    }
    boolean stable = g.is(GroupState.STABLE);
    List<DescribedMember> members = new ArrayList<>();
    for (ClassicMember m : g.members.values()) {
      byte[] metadata = stable ? m.metadata(g.protocolName) : null;
      members.add(new DescribedMember(m.memberId, m.groupInstanceId, m.clientId, m.clientHost,
          metadata == null ? ClassicMember.EMPTY : metadata, stable ? m.assignment : ClassicMember.EMPTY));
    }
    return new DescribedGroup(Errors.NONE, groupId, g.state.kafkaName(), g.protocolType == null ? "" : g.protocolType,
        stable && g.protocolName != null ? g.protocolName : "", members);
  }

  private Errors precheck(String groupId) {
    // bytes, not chars: the id is an int16-length string in every record key of the group
    if (groupId == null || groupId.isEmpty() || Utils.utf8Length(groupId) > config.groupIdMaxLength()) {
      return Errors.INVALID_GROUP_ID;
    }
    if (loading) {
      return Errors.COORDINATOR_LOAD_IN_PROGRESS;
    }
    // back-pressure: the log is behind; the client retries (Kafka clients rediscover, then retry)
    return uncommitted.size() >= config.maxUncommittedOps() ? Errors.COORDINATOR_NOT_AVAILABLE : Errors.NONE;
  }

  // ---- timers ----

  /** The earliest deadline of any group or of the retention check; Long.MAX_VALUE when none. */
  public long nextDeadlineMs() {
    if (loading) {
      return Long.MAX_VALUE;
    }
    return deadlines.isEmpty() ? nextRetentionCheckMs : Math.min(nextRetentionCheckMs, deadlines.first().deadlineMs());
  }

  /** {@link #nextDeadlineMs} by looking at every group and member: what the index must never be later than. */
  long nextDeadlineMsByScan() {
    if (loading) {
      return Long.MAX_VALUE;
    }
    long next = nextRetentionCheckMs;
    for (ClassicGroup g : groups.values()) {
      next = Math.min(next, groupDeadlineMs(g));
    }
    return next;
  }

  /** Puts the group's current earliest deadline in the index (or takes it out: no group, no deadline). */
  private void reindex(String groupId) {
    Long indexed = indexedDeadlines.remove(groupId);
    if (indexed != null) {
      deadlines.remove(new GroupDeadline(indexed, groupId));
    }
    ClassicGroup g = groups.get(groupId);
    long deadlineMs = g == null ? Long.MAX_VALUE : groupDeadlineMs(g);
    if (deadlineMs != Long.MAX_VALUE) {
      indexedDeadlines.put(groupId, deadlineMs);
      deadlines.add(new GroupDeadline(deadlineMs, groupId));
    }
  }

  private static long groupDeadlineMs(ClassicGroup g) {
    long next = Math.min(g.joinDeadlineMs, g.syncDeadlineMs);
    for (ClassicMember m : g.members.values()) {
      next = Math.min(next, m.sessionDeadlineMs);
    }
    for (long d : g.pendingMembers.values()) {
      next = Math.min(next, d);
    }
    return next;
  }

  /** Acts on every deadline at or before nowMs: one outcome per group affected. */
  public List<Outcome> tick(long nowMs) {
    List<Outcome> outcomes = new ArrayList<>();
    if (loading) {
      return outcomes;
    }
    List<String> due = new ArrayList<>();
    for (GroupDeadline d : deadlines) {
      if (d.deadlineMs() > nowMs) {
        break;
      }
      due.add(d.groupId());
    }
    for (String groupId : due) {
      ClassicGroup g = groups.get(groupId);
      if (g != null && groupDeadlineMs(g) <= nowMs) {
        outcomes.add(run(nowMs, ClassicMember.NO_REQUEST, null, op -> expireDeadlines(op, groupId)));
      } else {
        reindex(groupId); // the index was early (a session extended): only the timer fired for nothing
      }
    }
    if (nextRetentionCheckMs <= nowMs) {
      nextRetentionCheckMs = nowMs + config.offsetsRetentionCheckIntervalMs();
      for (String groupId : new ArrayList<>(groups.keySet())) {
        Outcome o = run(nowMs, ClassicMember.NO_REQUEST, null, op -> maybeExpireGroup(op, groupId));
        // a group with nothing to expire is not touched: its op changed nothing and is not kept
        if (!o.records().isEmpty() || isUncommitted(o.opId())) {
          outcomes.add(o);
        }
      }
    }
    return outcomes;
  }

  private void expireDeadlines(Op op, String groupId) {
    op.touch(groupId);
    ClassicGroup g = groups.get(groupId);
    for (Map.Entry<String, Long> e : new ArrayList<>(g.pendingMembers.entrySet())) {
      if (e.getValue() <= op.nowMs) {
        membership.onPendingMemberExpired(op, g, e.getKey());
      }
    }
    for (ClassicMember m : new ArrayList<>(g.members.values())) {
      if (m.sessionDeadlineMs <= op.nowMs && g.members.get(m.memberId) == m) {
        membership.onSessionExpired(op, g, m);
      }
    }
    if (g.syncDeadlineMs <= op.nowMs) {
      membership.onSyncDeadline(op, g);
    }
    if (g.joinDeadlineMs <= op.nowMs) {
      membership.onJoinDeadline(op, g);
    }
  }

  private void maybeExpireGroup(Op op, String groupId) {
    ClassicGroup g = groups.get(groupId);
    boolean noOffsetsLeft = offsetStore.expire(op, g);
    if (noOffsetsLeft && g.is(GroupState.EMPTY) && g.members.isEmpty() && g.pendingMembers.isEmpty()) {
      deleteGroup(op, g);
    }
  }

  // ---- the op pipeline ----

  /**
   * Runs one operation. Its records are encoded before anything is handed out: a record that
   * cannot be encoded (a string over the int16 length of the format; the checks at the edge
   * should have refused it) undoes the op and answers the request INVALID_REQUEST, nothing
   * applied. Any other exception from the body undoes the op's partial changes and is rethrown
   * (the owner answers UNKNOWN_SERVER_ERROR and logs it); the shard stays as before the op.
   *
   * @param failed the request's answer for an error; null for an op that cannot fail this way
   *     (a tick, or a request that writes no records)
   *     <p>Package-private so that a test can run a body that fails on purpose.
   */
  /** {@link #run} for a request about one group: refused with {@code failed} unless {@link #precheck} passes. */
  private Outcome runForGroup(long nowMs, long requestId, String groupId, Function<Errors, GroupResponse> failed,
      Consumer<Op> body) {
    Outcome outcome = run(nowMs, requestId, failed, op -> {
      Errors error = precheck(groupId);
      if (error != Errors.NONE) {
        op.reply(requestId, failed.apply(error));
      } else {
        body.accept(op);
      }
    });
    if (groupId != null) {
      reindex(groupId); // a heartbeat moves a session without touching the group (nothing to undo)
    }
    return outcome;
  }

  Outcome run(long nowMs, long requestId, Function<Errors, GroupResponse> failed, Consumer<Op> body) {
    Op op = new Op(nextOpId++, nowMs, groups, offsets);
    List<GroupRecords.EncodedRecord> encoded;
    try {
      body.accept(op);
      encoded = op.encodeRecords();
    } catch (IllegalArgumentException e) {
      op.undo();
      op.groupsBefore.keySet().forEach(this::reindex);
      if (failed == null || requestId == ClassicMember.NO_REQUEST) {
        throw e;
      }
      return new Outcome(op.id, List.of(), List.of(new Reply(requestId, failed.apply(Errors.INVALID_REQUEST))),
          List.of());
    } catch (RuntimeException e) {
      op.undo();
      op.groupsBefore.keySet().forEach(this::reindex);
      throw e;
    }
    for (String groupId : op.groupsBefore.keySet()) {
      dropIfEphemeral(groupId);
      reindex(groupId);
    }
    if (op.changedState() && (!uncommitted.isEmpty() || !op.records.isEmpty())) {
      uncommitted.addLast(op);
    }
    return new Outcome(op.id, List.copyOf(op.records), List.copyOf(op.replies), List.copyOf(encoded));
  }

  /** A group with nothing in it and nothing written (a failed first join) leaves no trace. */
  private void dropIfEphemeral(String groupId) {
    ClassicGroup g = groups.get(groupId);
    if (g != null && g.is(GroupState.EMPTY) && g.members.isEmpty() && g.pendingMembers.isEmpty()
        && g.persisted == null && !offsets.containsKey(groupId)) {
      groups.remove(groupId);
    }
  }

  /** The records of every op up to and including opId are committed: their undo is dropped. */
  public void onCommitted(long opId) {
    while (!uncommitted.isEmpty() && uncommitted.peekFirst().id <= opId) {
      uncommitted.removeFirst();
    }
  }

  /**
   * The append of opId's records failed and they are known NOT to be in the log: the state goes
   * back to before opId, undoing every later op as well. Returns the ids of the ops whose changes
   * were undone (newest first), for logs and metrics: it is NOT the list of replies to fail. The
   * owner fails every outstanding reply of opId's outcome and of every later outcome (op id at or
   * above opId), including those of ops that changed nothing (an OffsetFetch that read a reverted
   * offset) and requests still parked, and drops replies that come out later for requests it
   * already answered.
   *
   * <p>Never for an ambiguous failure (a timeout, NOT_ENOUGH_REPLICAS_AFTER_APPEND, a leader change
   * after the write): those records may be committed yet. Then the owner drops this shard and
   * loads a new one by replaying the committed log.
   */
  public List<Long> revert(long opId) {
    List<Long> undone = new ArrayList<>();
    while (!uncommitted.isEmpty() && uncommitted.peekLast().id >= opId) {
      Op op = uncommitted.removeLast();
      op.undo();
      op.groupsBefore.keySet().forEach(this::reindex);
      undone.add(op.id);
    }
    return undone;
  }

  private boolean isUncommitted(long opId) {
    return !uncommitted.isEmpty() && uncommitted.peekLast().id == opId;
  }

  /** Operations applied whose records are not known to be committed. */
  public int uncommittedOps() {
    return uncommitted.size();
  }

  // ---- queries (tests, metrics, the simulation) ----

  /** The group's state, or DEAD if this shard has no such group. */
  public GroupState groupState(String groupId) {
    ClassicGroup g = groups.get(groupId);
    return g == null ? GroupState.DEAD : g.state;
  }

  public int generationId(String groupId) {
    ClassicGroup g = groups.get(groupId);
    return g == null ? -1 : g.generationId;
  }

  public int groupCount() {
    return groups.size();
  }

  /**
   * What a new coordinator would rebuild from the log: each group's last persisted metadata and
   * its offsets, as record bytes in hex (key → value), sorted. Equal images mean equal durable state.
   */
  public SortedMap<String, String> durableImage() {
    SortedMap<String, String> image = new TreeMap<>();
    HexFormat hex = HexFormat.of();
    Function<ByteBuffer, String> toHex = b -> {
      byte[] a = new byte[b.remaining()];
      b.duplicate().get(a);
      return hex.formatHex(a);
    };
    for (ClassicGroup g : groups.values()) {
      if (g.persisted != null) {
        image.put(toHex.apply(GroupRecordCodec.encodeKey(new GroupMetadataKey(g.groupId))),
            toHex.apply(GroupRecordCodec.encodeValue(g.persisted)));
      }
    }
    offsets.forEach((groupId, m) -> m.forEach((tp, v) -> image.put(
        toHex.apply(GroupRecordCodec.encodeKey(new OffsetCommitKey(groupId, tp.topic(), tp.partition()))),
        toHex.apply(GroupRecordCodec.encodeValue(v)))));
    return image;
  }

  /** The committed offset of the group for tp as this shard holds it, or null. */
  public OffsetCommitValue offset(String groupId, TopicPartition tp) {
    Map<TopicPartition, OffsetCommitValue> m = offsets.get(groupId);
    return m == null ? null : m.get(tp);
  }

}
