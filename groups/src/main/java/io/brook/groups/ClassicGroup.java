package io.brook.groups;

import io.brook.groups.GroupMessages.Protocol;
import io.brook.groups.GroupRecords.GroupMetadataValue;
import io.brook.groups.GroupRecords.MemberMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One classic group's state in a coordinator shard: its state, generation, protocol, leader,
 * members (in join order, which decides leader succession, as Kafka's LinkedHashMap does), the
 * members that got MEMBER_ID_REQUIRED and have not joined yet, who still owes a SyncGroup, and the
 * group's deadlines. Deadlines are data (absolute ms, {@code Long.MAX_VALUE}: none); the shard's
 * {@code tick} acts on them.
 *
 * <p>Invariants: a member id appears once; a static member's instance id maps to its member id in
 * {@code staticMembers}; {@code leaderId} is a member or null; generation never goes back.
 * {@code persisted} is the last GroupMetadataValue written for this group (or replayed), which
 * is what a new coordinator would load. Mutable, owned by the shard (one thread); {@link #copy()}
 * makes an independent copy for the undo of an operation.
 */
final class ClassicGroup {
  final String groupId;
  GroupState state = GroupState.EMPTY;
  long currentStateTimestampMs = -1;
  String protocolType;
  String protocolName;
  int generationId;
  String leaderId;
  final LinkedHashMap<String, ClassicMember> members = new LinkedHashMap<>();
  final Map<String, String> staticMembers = new HashMap<>();
  /** Member ids handed out with MEMBER_ID_REQUIRED, by their expiry deadline. */
  final TreeMap<String, Long> pendingMembers = new TreeMap<>();
  final Set<String> pendingSyncMembers = new LinkedHashSet<>();
  long joinDeadlineMs = Long.MAX_VALUE;
  long syncDeadlineMs = Long.MAX_VALUE;
  /** The join phase of a rebalance from Empty: waits group.initial.rebalance.delay.ms, extended while members arrive. */
  boolean inInitialDelay;
  long initialDelayRemainingMs;
  boolean newMemberAdded;
  GroupMetadataValue persisted;

  ClassicGroup(String groupId) {
    this.groupId = groupId;
  }

  ClassicGroup copy() {
    ClassicGroup c = new ClassicGroup(groupId);
    c.state = state;
    c.currentStateTimestampMs = currentStateTimestampMs;
    c.protocolType = protocolType;
    c.protocolName = protocolName;
    c.generationId = generationId;
    c.leaderId = leaderId;
    members.forEach((id, m) -> c.members.put(id, m.copy()));
    c.staticMembers.putAll(staticMembers);
    c.pendingMembers.putAll(pendingMembers);
    c.pendingSyncMembers.addAll(pendingSyncMembers);
    c.joinDeadlineMs = joinDeadlineMs;
    c.syncDeadlineMs = syncDeadlineMs;
    c.inInitialDelay = inInitialDelay;
    c.initialDelayRemainingMs = initialDelayRemainingMs;
    c.newMemberAdded = newMemberAdded;
    c.persisted = persisted;
    return c;
  }

  void transitionTo(GroupState next, long nowMs) {
    state = next;
    currentStateTimestampMs = nowMs;
  }

  boolean is(GroupState s) {
    return state == s;
  }

  ClassicMember member(String memberId) {
    return members.get(memberId);
  }

  boolean isLeader(String memberId) {
    return memberId.equals(leaderId);
  }

  void add(ClassicMember member) {
    if (members.isEmpty()) {
      protocolType = member.protocolType;
    }
    members.put(member.memberId, member);
    if (member.isStatic()) {
      staticMembers.put(member.groupInstanceId, member.memberId);
    }
    if (leaderId == null) {
      leaderId = member.memberId;
    }
  }

  void remove(String memberId) {
    ClassicMember removed = members.remove(memberId);
    if (removed != null && removed.isStatic()) {
      staticMembers.remove(removed.groupInstanceId, memberId);
    }
    pendingSyncMembers.remove(memberId);
    if (memberId.equals(leaderId)) {
      leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
    }
  }

  /** The static member's entry moves to a new member id; assignment and protocols stay. */
  ClassicMember replaceStaticMember(String instanceId, String oldMemberId, String newMemberId) {
    ClassicMember member = members.remove(oldMemberId);
    member.memberId = newMemberId;
    members.put(newMemberId, member);
    staticMembers.put(instanceId, newMemberId);
    if (oldMemberId.equals(leaderId)) {
      leaderId = newMemberId;
    }
    if (pendingSyncMembers.remove(oldMemberId)) {
      pendingSyncMembers.add(newMemberId);
    }
    return member;
  }

  int numAwaitingJoin() {
    int n = 0;
    for (ClassicMember m : members.values()) {
      if (m.awaitingJoin()) {
        n++;
      }
    }
    return n;
  }

  boolean hasAllMembersJoined() {
    return members.size() == numAwaitingJoin() && pendingMembers.isEmpty();
  }

  /** The largest rebalance timeout of the members: how long a join phase may last. */
  int rebalanceTimeoutMs() {
    int max = 0;
    for (ClassicMember m : members.values()) {
      max = Math.max(max, m.rebalanceTimeoutMs);
    }
    return max;
  }

  /** Protocols every member supports. */
  Set<String> candidateProtocols() {
    Set<String> candidates = null;
    for (ClassicMember m : members.values()) {
      Set<String> names = new LinkedHashSet<>();
      m.protocols.forEach(p -> names.add(p.name()));
      if (candidates == null) {
        candidates = names;
      } else {
        candidates.retainAll(names);
      }
    }
    return candidates == null ? Set.of() : candidates;
  }

  /** Kafka's ClassicGroup.supportsProtocols: an empty group takes any; otherwise same type and a common protocol. */
  boolean supportsProtocols(String memberProtocolType, List<Protocol> memberProtocols) {
    if (memberProtocolType == null || memberProtocolType.isEmpty() || memberProtocols.isEmpty()) {
      return false;
    }
    if (members.isEmpty()) {
      return true;
    }
    if (!memberProtocolType.equals(protocolType)) {
      return false;
    }
    Set<String> candidates = candidateProtocols();
    for (Protocol p : memberProtocols) {
      if (candidates.contains(p.name())) {
        return true;
      }
    }
    return false;
  }

  /** Each member votes for its first candidate; most votes wins, ties to the first voted (deterministic). */
  String selectProtocol() {
    Set<String> candidates = candidateProtocols();
    Map<String, Integer> votes = new LinkedHashMap<>();
    for (ClassicMember m : members.values()) {
      votes.merge(m.vote(candidates), 1, Integer::sum);
    }
    String best = null;
    int bestVotes = -1;
    for (Map.Entry<String, Integer> e : votes.entrySet()) {
      if (e.getValue() > bestVotes) {
        best = e.getKey();
        bestVotes = e.getValue();
      }
    }
    return best;
  }

  /** The record of this group as it is now (Kafka's newGroupMetadataRecord). */
  GroupMetadataValue toRecordValue() {
    List<MemberMetadata> list = new ArrayList<>(members.size());
    for (ClassicMember m : members.values()) {
      byte[] subscription = protocolName == null ? null : m.metadata(protocolName);
      list.add(new MemberMetadata(m.memberId, m.groupInstanceId, m.clientId, m.clientHost, m.rebalanceTimeoutMs,
          m.sessionTimeoutMs, subscription == null ? ClassicMember.EMPTY : subscription, m.assignment));
    }
    return new GroupMetadataValue(protocolType == null ? "" : protocolType, generationId, protocolName, leaderId,
        currentStateTimestampMs, list);
  }

  /** A group as a new coordinator loads it from its record: Stable with its members, or Empty. */
  static ClassicGroup fromRecordValue(String groupId, GroupMetadataValue value) {
    ClassicGroup g = new ClassicGroup(groupId);
    g.protocolType = value.protocolType().isEmpty() ? null : value.protocolType();
    g.generationId = value.generation();
    g.protocolName = value.protocol();
    g.currentStateTimestampMs = value.currentStateTimestamp();
    for (MemberMetadata m : value.members()) {
      List<Protocol> protocols = g.protocolName == null ? List.of() : List.of(new Protocol(g.protocolName, m.subscription()));
      // version 0 had no rebalance timeout: Kafka takes the session timeout for it
      int rebalanceTimeoutMs = m.rebalanceTimeout() < 0 ? m.sessionTimeout() : m.rebalanceTimeout();
      ClassicMember member = new ClassicMember(m.memberId(), m.groupInstanceId(), m.clientId(), m.clientHost(),
          rebalanceTimeoutMs, m.sessionTimeout(), g.protocolType, protocols);
      member.assignment = m.assignment();
      g.members.put(member.memberId, member);
      if (member.isStatic()) {
        g.staticMembers.put(member.groupInstanceId, member.memberId);
      }
    }
    g.leaderId = value.leader() != null && g.members.containsKey(value.leader()) ? value.leader() : null;
    g.state = g.members.isEmpty() ? GroupState.EMPTY : GroupState.STABLE;
    if (!g.members.isEmpty() && g.protocolName != null
        && g.members.values().stream().allMatch(m -> m.assignment.length == 0)) {
      // the join phase of this generation completed but its SyncGroup was never written: the
      // members must join again (the shard's onLoaded starts the join phase)
      g.state = GroupState.PREPARING_REBALANCE;
    }
    g.persisted = value;
    return g;
  }
}
