package io.brook.groups;

import static io.brook.groups.ClassicMember.NO_REQUEST;

import io.brook.groups.GroupMessages.HeartbeatRequest;
import io.brook.groups.GroupMessages.HeartbeatResponse;
import io.brook.groups.GroupMessages.JoinGroupRequest;
import io.brook.groups.GroupMessages.JoinGroupResponse;
import io.brook.groups.GroupMessages.JoinedMember;
import io.brook.groups.GroupMessages.LeaveGroupRequest;
import io.brook.groups.GroupMessages.LeaveGroupResponse;
import io.brook.groups.GroupMessages.LeavingMember;
import io.brook.groups.GroupMessages.MemberLeft;
import io.brook.groups.GroupMessages.Protocol;
import io.brook.groups.GroupMessages.SyncGroupRequest;
import io.brook.groups.GroupMessages.SyncGroupResponse;
import io.brook.groups.GroupRecords.CoordinatorRecord;
import io.brook.groups.GroupRecords.GroupMetadataKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Utils;

/**
 * The classic rebalance protocol on one group: JoinGroup, SyncGroup, Heartbeat, LeaveGroup and the
 * timeouts, with Kafka 4.x's rules (its {@code GroupMetadataManager} classic paths). Every change
 * goes through an {@link Op}; a parked JoinGroup or SyncGroup is answered by the op that completes
 * it. Owned by the shard, same thread.
 */
final class ClassicMembership {
  private final GroupCoordinatorConfig config;
  private final SortedMap<String, ClassicGroup> groups;
  private final Random memberIds;

  ClassicMembership(GroupCoordinatorConfig config, SortedMap<String, ClassicGroup> groups, Random memberIds) {
    this.config = config;
    this.groups = groups;
    this.memberIds = memberIds;
  }

  // ---- JoinGroup ----

  void join(Op op, long requestId, JoinGroupRequest req) {
    req = withRebalanceTimeout(req);
    if (!withinLimits(req)) {
      op.reply(requestId, JoinGroupResponse.failed(Errors.INVALID_REQUEST, req.memberId()));
      return;
    }
    if (req.sessionTimeoutMs() < config.minSessionTimeoutMs() || req.sessionTimeoutMs() > config.maxSessionTimeoutMs()) {
      op.reply(requestId, JoinGroupResponse.failed(Errors.INVALID_SESSION_TIMEOUT, req.memberId()));
      return;
    }
    ClassicGroup group = groups.get(req.groupId());
    boolean newMember = req.memberId().isEmpty();
    if (group == null && !newMember) {
      op.reply(requestId, JoinGroupResponse.failed(Errors.UNKNOWN_MEMBER_ID, req.memberId()));
      return;
    }
    op.touch(req.groupId());
    if (group == null) {
      group = new ClassicGroup(req.groupId());
      groups.put(group.groupId, group);
    }
    if (!acceptJoiningMember(group, req.memberId())) {
      op.reply(requestId, JoinGroupResponse.failed(Errors.GROUP_MAX_SIZE_REACHED, req.memberId()));
      return;
    }
    if (!group.supportsProtocols(req.protocolType(), req.protocols())) {
      op.reply(requestId, JoinGroupResponse.failed(Errors.INCONSISTENT_GROUP_PROTOCOL, req.memberId()));
      return;
    }
    if (newMember) {
      joinNewMember(op, requestId, group, req);
    } else {
      joinExistingMember(op, requestId, group, req);
    }
  }

  /**
   * A JoinGroup v0 has no rebalance timeout (-1): as Kafka, the session timeout stands for it. Any
   * other value at or below 0 is left for {@link #withinLimits} to refuse.
   */
  private static JoinGroupRequest withRebalanceTimeout(JoinGroupRequest req) {
    if (req.rebalanceTimeoutMs() != -1) {
      return req;
    }
    return new JoinGroupRequest(req.groupId(), req.sessionTimeoutMs(), req.sessionTimeoutMs(), req.memberId(),
        req.groupInstanceId(), req.protocolType(), req.protocols(), req.clientId(), req.clientHost());
  }

  /**
   * group.member.protocols.max and group.member.metadata.max.bytes; client id, client host and
   * instance id at most group.id.max.length UTF-8 bytes (a member id twice that); protocol type and
   * protocol names at most {@link GroupCoordinatorConfig#PROTOCOL_NAME_MAX_BYTES}; a rebalance
   * timeout above 0. Every string here may go into a GroupMetadata record (int16-length strings).
   */
  private boolean withinLimits(JoinGroupRequest req) {
    long bytes = 0;
    for (Protocol p : req.protocols()) {
      if (p == null || p.name() == null || Utils.utf8Length(p.name()) > GroupCoordinatorConfig.PROTOCOL_NAME_MAX_BYTES) {
        return false;
      }
      bytes += p.metadata().length;
    }
    int maxIdBytes = config.groupIdMaxLength();
    return req.protocols().size() <= config.memberProtocolsMax() && bytes <= config.memberMetadataMaxBytes()
        && req.rebalanceTimeoutMs() > 0
        && (req.protocolType() == null
            || Utils.utf8Length(req.protocolType()) <= GroupCoordinatorConfig.PROTOCOL_NAME_MAX_BYTES)
        && Utils.utf8Length(req.clientId()) <= maxIdBytes && Utils.utf8Length(req.memberId()) <= 2 * maxIdBytes
        && (req.groupInstanceId() == null || Utils.utf8Length(req.groupInstanceId()) <= maxIdBytes)
        && Utils.utf8Length(req.clientHost()) <= maxIdBytes;
  }

  private boolean acceptJoiningMember(ClassicGroup group, String memberId) {
    switch (group.state) {
      case EMPTY:
      case DEAD:
        return true;
      case PREPARING_REBALANCE:
        ClassicMember m = group.member(memberId);
        return (m != null && m.awaitingJoin()) || group.numAwaitingJoin() < config.maxSize();
      default:
        return group.members.containsKey(memberId) || group.members.size() < config.maxSize();
    }
  }

  private void joinNewMember(Op op, long requestId, ClassicGroup group, JoinGroupRequest req) {
    if (req.groupInstanceId() != null) {
      String newMemberId = req.groupInstanceId() + "-" + newUuid();
      String oldMemberId = group.staticMembers.get(req.groupInstanceId());
      if (oldMemberId != null) {
        updateStaticMember(op, requestId, group, req, oldMemberId, newMemberId);
      } else {
        addMemberThenRebalanceOrCompleteJoin(op, requestId, group, req, newMemberId);
      }
    } else {
      // KIP-394: a new dynamic member gets its id first and must come back with it, so a client
      // that never comes back holds no place in the group (it expires as a pending member).
      String newMemberId = req.clientId() + "-" + newUuid();
      group.pendingMembers.put(newMemberId, op.nowMs + req.sessionTimeoutMs());
      op.reply(requestId, JoinGroupResponse.failed(Errors.MEMBER_ID_REQUIRED, newMemberId));
    }
  }

  private void joinExistingMember(Op op, long requestId, ClassicGroup group, JoinGroupRequest req) {
    String memberId = req.memberId();
    if (group.pendingMembers.containsKey(memberId)) {
      if (req.groupInstanceId() != null) {
        op.reply(requestId, JoinGroupResponse.failed(Errors.UNKNOWN_MEMBER_ID, memberId));
        return;
      }
      group.pendingMembers.remove(memberId);
      addMemberThenRebalanceOrCompleteJoin(op, requestId, group, req, memberId);
      return;
    }
    Errors invalid = validateMember(group, memberId, req.groupInstanceId());
    if (invalid != Errors.NONE) {
      op.reply(requestId, JoinGroupResponse.failed(invalid, memberId));
      return;
    }
    ClassicMember member = group.member(memberId);
    switch (group.state) {
      case PREPARING_REBALANCE -> updateMemberThenRebalanceOrCompleteJoin(op, requestId, group, member, req);
      case COMPLETING_REBALANCE -> {
        if (member.matches(req.protocols())) {
          // it lost the JoinGroup answer: the same answer again
          op.reply(requestId, joinResponse(group, member, group.isLeader(memberId), false));
        } else {
          updateMemberThenRebalanceOrCompleteJoin(op, requestId, group, member, req);
        }
      }
      case STABLE -> {
        if (group.isLeader(memberId) || !member.matches(req.protocols())) {
          // the leader rejoins to trigger a rebalance (e.g. new topic metadata)
          updateMemberThenRebalanceOrCompleteJoin(op, requestId, group, member, req);
        } else {
          op.reply(requestId, joinResponse(group, member, false, false));
        }
      }
      default -> op.reply(requestId, JoinGroupResponse.failed(Errors.UNKNOWN_MEMBER_ID, memberId));
    }
  }

  private void addMemberThenRebalanceOrCompleteJoin(Op op, long requestId, ClassicGroup group, JoinGroupRequest req,
      String memberId) {
    ClassicMember member = new ClassicMember(memberId, req.groupInstanceId(), req.clientId(), req.clientHost(),
        req.rebalanceTimeoutMs(), req.sessionTimeoutMs(), req.protocolType(), req.protocols());
    member.isNew = true;
    member.joinRequestId = requestId;
    member.sessionDeadlineMs = op.nowMs + GroupCoordinatorConfig.NEW_MEMBER_JOIN_TIMEOUT_MS;
    if (group.is(GroupState.PREPARING_REBALANCE) && group.inInitialDelay) {
      group.newMemberAdded = true;
    }
    group.add(member);
    maybePrepareRebalanceOrCompleteJoin(op, group);
  }

  private void updateMemberThenRebalanceOrCompleteJoin(Op op, long requestId, ClassicGroup group, ClassicMember member,
      JoinGroupRequest req) {
    if (member.awaitingJoin() && member.joinRequestId != requestId) {
      // a newer join of the same member replaces the parked one (Kafka completes the old future the same way)
      op.reply(member.joinRequestId, JoinGroupResponse.failed(Errors.UNKNOWN_MEMBER_ID, member.memberId));
    }
    member.protocols = List.copyOf(req.protocols());
    member.rebalanceTimeoutMs = req.rebalanceTimeoutMs();
    member.sessionTimeoutMs = req.sessionTimeoutMs();
    member.clientId = req.clientId();
    member.clientHost = req.clientHost();
    member.joinRequestId = requestId;
    member.sessionDeadlineMs = Long.MAX_VALUE;
    maybePrepareRebalanceOrCompleteJoin(op, group);
  }

  /** A static member restarted (new member id): it takes the old one's place; the old one is fenced. */
  private void updateStaticMember(Op op, long requestId, ClassicGroup group, JoinGroupRequest req, String oldMemberId,
      String newMemberId) {
    ClassicMember old = group.member(oldMemberId);
    op.reply(old.joinRequestId, JoinGroupResponse.failed(Errors.FENCED_INSTANCE_ID, oldMemberId));
    op.reply(old.syncRequestId, SyncGroupResponse.failed(Errors.FENCED_INSTANCE_ID));
    old.joinRequestId = NO_REQUEST;
    old.syncRequestId = NO_REQUEST;
    ClassicMember member = group.replaceStaticMember(req.groupInstanceId(), oldMemberId, newMemberId);
    member.protocols = List.copyOf(req.protocols());
    member.rebalanceTimeoutMs = req.rebalanceTimeoutMs();
    member.sessionTimeoutMs = req.sessionTimeoutMs();
    member.clientId = req.clientId();
    member.clientHost = req.clientHost();
    switch (group.state) {
      case STABLE -> {
        if (group.protocolName != null && group.protocolName.equals(group.selectProtocol())) {
          // KIP-345: the restarted member gets its assignment back without a rebalance; the new
          // member id is persisted so that a new coordinator knows it
          member.sessionDeadlineMs = op.nowMs + member.sessionTimeoutMs;
          persist(op, group);
          boolean leader = group.isLeader(newMemberId);
          op.reply(requestId, joinResponse(group, member, leader, leader));
        } else {
          member.joinRequestId = requestId;
          member.sessionDeadlineMs = Long.MAX_VALUE;
          maybePrepareRebalanceOrCompleteJoin(op, group);
        }
      }
      case COMPLETING_REBALANCE -> {
        // the leader may already be assigning to the old member id: rebalance again
        member.joinRequestId = requestId;
        member.sessionDeadlineMs = Long.MAX_VALUE;
        prepareRebalance(op, group);
      }
      case PREPARING_REBALANCE -> {
        member.joinRequestId = requestId;
        member.sessionDeadlineMs = Long.MAX_VALUE;
        maybeCompleteJoin(op, group);
      }
      default -> throw new IllegalStateException("static member " + req.groupInstanceId() + " known in " + group.state);
    }
  }

  private JoinGroupResponse joinResponse(ClassicGroup group, ClassicMember member, boolean withMembers,
      boolean skipAssignment) {
    List<JoinedMember> members = List.of();
    if (withMembers) {
      members = new ArrayList<>();
      for (ClassicMember m : group.members.values()) {
        members.add(new JoinedMember(m.memberId, m.groupInstanceId, m.metadata(group.protocolName)));
      }
    }
    return new JoinGroupResponse(Errors.NONE, group.generationId, group.protocolType, group.protocolName,
        group.leaderId, skipAssignment, member.memberId, members);
  }

  // ---- rebalance ----

  void maybePrepareRebalanceOrCompleteJoin(Op op, ClassicGroup group) {
    if (group.is(GroupState.STABLE) || group.is(GroupState.COMPLETING_REBALANCE) || group.is(GroupState.EMPTY)) {
      prepareRebalance(op, group);
    } else if (group.is(GroupState.PREPARING_REBALANCE)) {
      maybeCompleteJoin(op, group);
    }
  }

  void prepareRebalance(Op op, ClassicGroup group) {
    if (group.is(GroupState.COMPLETING_REBALANCE)) {
      // the assignment being computed is for a membership that no longer holds
      for (ClassicMember m : group.members.values()) {
        op.reply(m.syncRequestId, SyncGroupResponse.failed(Errors.REBALANCE_IN_PROGRESS));
        if (m.awaitingSync()) {
          m.syncRequestId = NO_REQUEST;
          m.sessionDeadlineMs = op.nowMs + m.sessionTimeoutMs;
        }
        m.assignment = ClassicMember.EMPTY;
      }
    }
    group.pendingSyncMembers.clear();
    group.syncDeadlineMs = Long.MAX_VALUE;
    boolean initial = group.is(GroupState.EMPTY);
    if (initial) {
      group.inInitialDelay = true;
      group.newMemberAdded = false;
      int delay = config.initialRebalanceDelayMs();
      group.initialDelayRemainingMs = Math.max(group.rebalanceTimeoutMs() - delay, 0);
      group.joinDeadlineMs = op.nowMs + delay;
    } else {
      group.inInitialDelay = false;
      group.joinDeadlineMs = op.nowMs + group.rebalanceTimeoutMs();
    }
    group.transitionTo(GroupState.PREPARING_REBALANCE, op.nowMs);
    if (!initial) {
      maybeCompleteJoin(op, group);
    }
  }

  void maybeCompleteJoin(Op op, ClassicGroup group) {
    if (group.is(GroupState.PREPARING_REBALANCE) && !group.inInitialDelay && group.hasAllMembersJoined()) {
      completeJoin(op, group);
    }
  }

  /** The join deadline passed: the initial delay is extended while members arrive, else the join completes. */
  void onJoinDeadline(Op op, ClassicGroup group) {
    group.joinDeadlineMs = Long.MAX_VALUE;
    if (group.inInitialDelay && group.newMemberAdded && group.initialDelayRemainingMs > 0) {
      group.newMemberAdded = false;
      long delay = Math.min(config.initialRebalanceDelayMs(), group.initialDelayRemainingMs);
      group.initialDelayRemainingMs = Math.max(group.initialDelayRemainingMs - config.initialRebalanceDelayMs(), 0);
      group.joinDeadlineMs = op.nowMs + delay;
      return;
    }
    group.inInitialDelay = false;
    completeJoin(op, group);
  }

  private void completeJoin(Op op, ClassicGroup group) {
    group.joinDeadlineMs = Long.MAX_VALUE;
    group.inInitialDelay = false;
    for (ClassicMember m : new ArrayList<>(group.members.values())) {
      if (!m.awaitingJoin() && !m.isStatic()) {
        group.remove(m.memberId);
      }
    }
    if (!group.members.isEmpty() && !electJoinedLeader(group)) {
      // nobody rejoined (only static members that did not come back): wait another round
      group.joinDeadlineMs = op.nowMs + group.rebalanceTimeoutMs();
      return;
    }
    group.generationId++;
    if (group.members.isEmpty()) {
      group.protocolName = null;
      group.transitionTo(GroupState.EMPTY, op.nowMs);
      persist(op, group);
      return;
    }
    group.protocolName = group.selectProtocol();
    group.transitionTo(GroupState.COMPLETING_REBALANCE, op.nowMs);
    // Brook: the new generation is written before anyone hears of it (the join answers wait for
    // the record), with no assignments yet. Kafka writes nothing here, so a coordinator that
    // fails over before SyncGroup hands out the same generation number again, and a member of the
    // lost generation passes as one of the new (its stale positions then move offsets back).
    for (ClassicMember m : group.members.values()) {
      m.assignment = ClassicMember.EMPTY;
    }
    persist(op, group);
    for (ClassicMember m : group.members.values()) {
      op.reply(m.joinRequestId, joinResponse(group, m, group.isLeader(m.memberId), false));
      m.joinRequestId = NO_REQUEST;
      m.isNew = false;
      m.sessionDeadlineMs = op.nowMs + m.sessionTimeoutMs;
      group.pendingSyncMembers.add(m.memberId);
    }
    group.syncDeadlineMs = op.nowMs + group.rebalanceTimeoutMs();
  }

  /** Kafka's maybeElectNewJoinedLeader: keep the leader if it rejoined, else the first member that did. */
  private boolean electJoinedLeader(ClassicGroup group) {
    ClassicMember leader = group.leaderId == null ? null : group.member(group.leaderId);
    if (leader != null && leader.awaitingJoin()) {
      return true;
    }
    for (ClassicMember m : group.members.values()) {
      if (m.awaitingJoin()) {
        group.leaderId = m.memberId;
        return true;
      }
    }
    return false;
  }

  /** The sync deadline passed: members that never sent SyncGroup are removed and the group rebalances. */
  void onSyncDeadline(Op op, ClassicGroup group) {
    group.syncDeadlineMs = Long.MAX_VALUE;
    if ((group.is(GroupState.COMPLETING_REBALANCE) || group.is(GroupState.STABLE)) && !group.pendingSyncMembers.isEmpty()) {
      for (String memberId : new ArrayList<>(group.pendingSyncMembers)) {
        removeMember(op, group, memberId, Errors.UNKNOWN_MEMBER_ID);
      }
      prepareRebalance(op, group);
    }
  }

  void onSessionExpired(Op op, ClassicGroup group, ClassicMember member) {
    removeMemberAndUpdateGroup(op, group, member.memberId, Errors.UNKNOWN_MEMBER_ID);
  }

  void onPendingMemberExpired(Op op, ClassicGroup group, String memberId) {
    group.pendingMembers.remove(memberId);
    maybeCompleteJoin(op, group);
  }

  private void removeMember(Op op, ClassicGroup group, String memberId, Errors parkedError) {
    ClassicMember m = group.member(memberId);
    if (m == null) {
      return;
    }
    op.reply(m.joinRequestId, JoinGroupResponse.failed(parkedError, memberId));
    op.reply(m.syncRequestId, SyncGroupResponse.failed(parkedError));
    group.remove(memberId);
  }

  private void removeMemberAndUpdateGroup(Op op, ClassicGroup group, String memberId, Errors parkedError) {
    removeMember(op, group, memberId, parkedError);
    switch (group.state) {
      case STABLE, COMPLETING_REBALANCE -> prepareRebalance(op, group);
      case PREPARING_REBALANCE -> maybeCompleteJoin(op, group);
      default -> { }
    }
  }

  /** Writes the group as it is now; what a new coordinator will load. */
  void persist(Op op, ClassicGroup group) {
    group.persisted = group.toRecordValue();
    op.write(new CoordinatorRecord(new GroupMetadataKey(group.groupId), group.persisted));
  }

  // ---- SyncGroup ----

  void sync(Op op, long requestId, SyncGroupRequest req) {
    ClassicGroup group = groups.get(req.groupId());
    if (group == null) {
      op.reply(requestId, SyncGroupResponse.failed(Errors.UNKNOWN_MEMBER_ID));
      return;
    }
    Errors invalid = validateMember(group, req.memberId(), req.groupInstanceId());
    if (invalid == Errors.NONE && req.generationId() != group.generationId) {
      invalid = Errors.ILLEGAL_GENERATION;
    }
    if (invalid == Errors.NONE && req.assignments().values().stream()
        .anyMatch(a -> a == null || a.length > config.memberMetadataMaxBytes())) {
      invalid = Errors.INVALID_REQUEST;
    }
    if (invalid == Errors.NONE && ((req.protocolType() != null && !req.protocolType().equals(group.protocolType))
        || (req.protocolName() != null && !req.protocolName().equals(group.protocolName)))) {
      invalid = Errors.INCONSISTENT_GROUP_PROTOCOL;
    }
    if (invalid != Errors.NONE) {
      op.reply(requestId, SyncGroupResponse.failed(invalid));
      return;
    }
    op.touch(group.groupId);
    ClassicMember member = group.member(req.memberId());
    switch (group.state) {
      case PREPARING_REBALANCE -> op.reply(requestId, SyncGroupResponse.failed(Errors.REBALANCE_IN_PROGRESS));
      case COMPLETING_REBALANCE -> {
        if (member.awaitingSync() && member.syncRequestId != requestId) {
          op.reply(member.syncRequestId, SyncGroupResponse.failed(Errors.REBALANCE_IN_PROGRESS));
        }
        member.syncRequestId = requestId;
        member.sessionDeadlineMs = Long.MAX_VALUE;
        removePendingSync(group, member.memberId);
        if (group.isLeader(member.memberId)) {
          completeSync(op, group, req.assignments());
        }
      }
      case STABLE -> {
        removePendingSync(group, member.memberId);
        member.sessionDeadlineMs = op.nowMs + member.sessionTimeoutMs;
        op.reply(requestId, new SyncGroupResponse(Errors.NONE, group.protocolType, group.protocolName, member.assignment));
      }
      default -> op.reply(requestId, SyncGroupResponse.failed(Errors.UNKNOWN_MEMBER_ID));
    }
  }

  private void removePendingSync(ClassicGroup group, String memberId) {
    group.pendingSyncMembers.remove(memberId);
    if (group.pendingSyncMembers.isEmpty()) {
      group.syncDeadlineMs = Long.MAX_VALUE;
    }
  }

  /** The leader's assignment: stored, persisted, and handed to every member waiting in SyncGroup. */
  private void completeSync(Op op, ClassicGroup group, Map<String, byte[]> assignments) {
    for (ClassicMember m : group.members.values()) {
      byte[] a = assignments.get(m.memberId);
      m.assignment = a == null ? ClassicMember.EMPTY : a;
    }
    group.transitionTo(GroupState.STABLE, op.nowMs);
    persist(op, group);
    for (ClassicMember m : group.members.values()) {
      if (m.awaitingSync()) {
        op.reply(m.syncRequestId, new SyncGroupResponse(Errors.NONE, group.protocolType, group.protocolName, m.assignment));
        m.syncRequestId = NO_REQUEST;
        m.sessionDeadlineMs = op.nowMs + m.sessionTimeoutMs;
      }
    }
  }

  // ---- Heartbeat and LeaveGroup ----

  void heartbeat(Op op, long requestId, HeartbeatRequest req) {
    ClassicGroup group = groups.get(req.groupId());
    if (group == null) {
      op.reply(requestId, new HeartbeatResponse(Errors.UNKNOWN_MEMBER_ID));
      return;
    }
    Errors invalid = validateMember(group, req.memberId(), req.groupInstanceId());
    if (invalid == Errors.NONE && req.generationId() != group.generationId) {
      invalid = Errors.ILLEGAL_GENERATION;
    }
    if (invalid != Errors.NONE) {
      op.reply(requestId, new HeartbeatResponse(invalid));
      return;
    }
    op.touch(group.groupId);
    ClassicMember member = group.member(req.memberId());
    if (!member.awaitingJoin() && !member.awaitingSync()) {
      member.sessionDeadlineMs = op.nowMs + member.sessionTimeoutMs;
    }
    Errors error = group.is(GroupState.PREPARING_REBALANCE) ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
    op.reply(requestId, new HeartbeatResponse(error));
  }

  void leave(Op op, long requestId, LeaveGroupRequest req) {
    ClassicGroup group = groups.get(req.groupId());
    List<MemberLeft> results = new ArrayList<>();
    if (group == null) {
      for (LeavingMember lm : req.members()) {
        results.add(new MemberLeft(lm.memberId(), lm.groupInstanceId(), Errors.UNKNOWN_MEMBER_ID));
      }
      op.reply(requestId, new LeaveGroupResponse(Errors.NONE, results));
      return;
    }
    op.touch(group.groupId);
    boolean removedAny = false;
    for (LeavingMember lm : req.members()) {
      Errors error = leaveOne(op, group, lm);
      removedAny |= error == Errors.NONE;
      results.add(new MemberLeft(lm.memberId(), lm.groupInstanceId(), error));
    }
    if (removedAny) {
      switch (group.state) {
        case STABLE, COMPLETING_REBALANCE -> prepareRebalance(op, group);
        case PREPARING_REBALANCE -> maybeCompleteJoin(op, group);
        default -> { }
      }
    }
    op.reply(requestId, new LeaveGroupResponse(Errors.NONE, results));
  }

  private Errors leaveOne(Op op, ClassicGroup group, LeavingMember lm) {
    String memberId = lm.memberId();
    if (lm.groupInstanceId() != null) {
      String current = group.staticMembers.get(lm.groupInstanceId());
      if (current == null) {
        return Errors.UNKNOWN_MEMBER_ID;
      }
      if (!memberId.isEmpty() && !memberId.equals(current)) {
        return Errors.FENCED_INSTANCE_ID;
      }
      memberId = current;
    } else if (group.pendingMembers.remove(memberId) != null) {
      return Errors.NONE;
    }
    if (!group.members.containsKey(memberId)) {
      return Errors.UNKNOWN_MEMBER_ID;
    }
    removeMember(op, group, memberId, Errors.UNKNOWN_MEMBER_ID);
    return Errors.NONE;
  }

  /** Kafka's ClassicGroup.validateMember: the instance id must map to this member id, and the member must exist. */
  static Errors validateMember(ClassicGroup group, String memberId, String groupInstanceId) {
    if (groupInstanceId != null) {
      String existing = group.staticMembers.get(groupInstanceId);
      if (existing == null) {
        return Errors.UNKNOWN_MEMBER_ID;
      }
      if (!existing.equals(memberId)) {
        return Errors.FENCED_INSTANCE_ID;
      }
    }
    return group.members.containsKey(memberId) ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
  }

  private String newUuid() {
    return new Uuid(memberIds.nextLong(), memberIds.nextLong()).toString();
  }
}
