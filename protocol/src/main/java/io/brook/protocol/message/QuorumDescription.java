package io.brook.protocol.message;

import java.util.List;

/**
 * The metadata quorum as its leader sees it: the epoch, the committed offset (high watermark), and
 * each replica's log end, lag and last fetch; voters first. {@code leaderId} -1 without a leader.
 */
public record QuorumDescription(int epoch, int leaderId, long highWatermark, long leaderLogEndOffset,
    List<Replica> replicas) {

  /** {@code lastFetchAgeMs} -1 for the leader itself or one never heard from in this epoch. */
  public record Replica(int nodeId, String directoryId, boolean voter, long logEndOffset, long lag, long lastFetchAgeMs) {}
}
