package io.brook.quorum;

/**
 * What a replica must remember across a crash to keep Raft safe: the highest epoch it has seen and
 * whom it voted for in it (never two votes in one epoch), plus the leader it knew (a hint).
 *
 * @param votedId -1 when it has not voted in {@code epoch}
 */
public record ElectionState(int epoch, int votedId, String votedDirectoryId, int leaderId) {
  public static final ElectionState INITIAL = new ElectionState(0, -1, "", -1);

  public ElectionState {
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch " + epoch);
    }
    votedDirectoryId = votedDirectoryId == null ? "" : votedDirectoryId;
  }

  public boolean hasVoted() {
    return votedId >= 0;
  }

  public boolean votedFor(ReplicaKey key) {
    return votedId == key.id() && votedDirectoryId.equals(key.directoryId());
  }
}
