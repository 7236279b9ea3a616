package io.brook.client.internals;

/**
 * Where a group member is in the classic protocol, as Kafka's {@code AbstractCoordinator.MemberState}:
 * UNJOINED (no JoinGroup sent, or the member left or lost its place), PREPARING_REBALANCE (JoinGroup
 * in flight), COMPLETING_REBALANCE (joined; SyncGroup in flight), STABLE (synced). Heartbeats run in
 * the last two.
 */
enum MemberState {
  UNJOINED, PREPARING_REBALANCE, COMPLETING_REBALANCE, STABLE;

  boolean hasNotJoinedGroup() {
    return this == UNJOINED || this == PREPARING_REBALANCE;
  }
}
