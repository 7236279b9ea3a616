package io.brook.quorum;

import io.brook.quorum.QuorumMessages.QuorumBeginEpoch;
import io.brook.quorum.QuorumMessages.QuorumFetchRequest;
import io.brook.quorum.QuorumMessages.QuorumVoteRequest;

/** What the replica asks its owner to send; answers come back through the replica's {@code on...} methods. */
public sealed interface Outbound {
  int to();

  record SendVote(int to, QuorumVoteRequest request) implements Outbound {}

  /** {@code fetchId}: give it back with the answer; an answer to any other fetch is ignored. */
  record SendFetch(int to, long fetchId, QuorumFetchRequest request) implements Outbound {}

  record SendBeginEpoch(int to, QuorumBeginEpoch message) implements Outbound {}
}
