package io.brook.quorum;

/**
 * A replica's role in its current epoch (KRaft's epoch states). Observers (replicas not in the
 * voter set) are only ever UNATTACHED or FOLLOWER.
 */
public enum Role {
  /** Knows the epoch but no leader in it; a voter campaigns when its election timer runs out. */
  UNATTACHED,
  /** Asking the voters whether they would vote for it (pre-vote), without raising the epoch. */
  PROSPECTIVE,
  /** Raised the epoch, voted for itself, asking the voters for theirs. */
  CANDIDATE,
  /** Won a majority: appends, and commits what a majority of voters have on disk. */
  LEADER,
  /** Fetches from the leader of its epoch. */
  FOLLOWER
}
