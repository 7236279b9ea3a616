package io.brook.groups;

import io.brook.groups.GroupMessages.Protocol;
import java.util.Arrays;
import java.util.List;

/**
 * One member of a classic group, as the coordinator knows it. Mutable, owned by its
 * {@link ClassicGroup}; {@link #copy()} for the undo of an operation (byte arrays are never
 * mutated, so they are shared).
 *
 * <p>Liveness: {@code sessionDeadlineMs} is when the member expires without a heartbeat. A member
 * with a parked JoinGroup or SyncGroup does not expire by session ({@code Long.MAX_VALUE}): the
 * rebalance and sync timeouts bound those waits instead; a new member's first join waits at most
 * {@link GroupCoordinatorConfig#NEW_MEMBER_JOIN_TIMEOUT_MS}. This is Kafka's
 * {@code ClassicGroupMember.hasSatisfiedHeartbeat}, as data.
 */
final class ClassicMember {
  static final long NO_REQUEST = -1;
  static final byte[] EMPTY = new byte[0];

  String memberId;
  final String groupInstanceId;
  String clientId;
  String clientHost;
  int rebalanceTimeoutMs;
  int sessionTimeoutMs;
  String protocolType;
  List<Protocol> protocols;
  byte[] assignment = EMPTY;
  /** The owner's id of this member's parked JoinGroup, or NO_REQUEST. */
  long joinRequestId = NO_REQUEST;
  /** The owner's id of this member's parked SyncGroup, or NO_REQUEST. */
  long syncRequestId = NO_REQUEST;
  long sessionDeadlineMs = Long.MAX_VALUE;
  /** Joined in the current rebalance and never got a JoinGroup answer yet. */
  boolean isNew;

  ClassicMember(String memberId, String groupInstanceId, String clientId, String clientHost, int rebalanceTimeoutMs,
      int sessionTimeoutMs, String protocolType, List<Protocol> protocols) {
    this.memberId = memberId;
    this.groupInstanceId = groupInstanceId;
    this.clientId = clientId;
    this.clientHost = clientHost;
    this.rebalanceTimeoutMs = rebalanceTimeoutMs;
    this.sessionTimeoutMs = sessionTimeoutMs;
    this.protocolType = protocolType;
    this.protocols = List.copyOf(protocols);
  }

  ClassicMember copy() {
    ClassicMember c = new ClassicMember(memberId, groupInstanceId, clientId, clientHost, rebalanceTimeoutMs,
        sessionTimeoutMs, protocolType, protocols);
    c.assignment = assignment;
    c.joinRequestId = joinRequestId;
    c.syncRequestId = syncRequestId;
    c.sessionDeadlineMs = sessionDeadlineMs;
    c.isNew = isNew;
    return c;
  }

  boolean isStatic() {
    return groupInstanceId != null;
  }

  boolean awaitingJoin() {
    return joinRequestId != NO_REQUEST;
  }

  boolean awaitingSync() {
    return syncRequestId != NO_REQUEST;
  }

  /** The member's metadata for this protocol, or null if it does not support it. */
  byte[] metadata(String protocolName) {
    for (Protocol p : protocols) {
      if (p.name().equals(protocolName)) {
        return p.metadata();
      }
    }
    return null;
  }

  boolean supports(String protocolName) {
    return metadata(protocolName) != null;
  }

  /** Same protocols, in the same order, with the same bytes (Kafka's {@code ClassicGroupMember.matches}). */
  boolean matches(List<Protocol> other) {
    if (other.size() != protocols.size()) {
      return false;
    }
    for (int i = 0; i < other.size(); i++) {
      if (!other.get(i).name().equals(protocols.get(i).name())
          || !Arrays.equals(other.get(i).metadata(), protocols.get(i).metadata())) {
        return false;
      }
    }
    return true;
  }

  /** This member's vote among the candidate protocols: its first preference that all support. */
  String vote(java.util.Set<String> candidates) {
    for (Protocol p : protocols) {
      if (candidates.contains(p.name())) {
        return p.name();
      }
    }
    throw new IllegalStateException("member " + memberId + " supports none of " + candidates);
  }
}
