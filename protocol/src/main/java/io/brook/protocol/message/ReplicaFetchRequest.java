package io.brook.protocol.message;

/**
 * A follower's fetch from its partition leader, on {@code brook.internal.broker.<leader>.replica-fetch}
 * (internal: never bridged). {@code fetchOffset} is the follower's log end offset, which tells the
 * leader how far the follower has come; {@code lastFetchedEpoch} is the leader epoch of the
 * follower's last batch, so the leader can tell a diverging log (see {@link ReplicaFetchResponse}).
 * {@code currentLeaderEpoch} fences: a leader refuses an older epoch (FENCED_LEADER_EPOCH) and one it
 * does not know yet (UNKNOWN_LEADER_EPOCH). Long poll as {@link FetchRequest}. {@code logStartOffset}
 * is the follower's log start offset (as in Kafka's fetch), so the leader knows when a DeleteRecords
 * has reached every in-sync replica; -1 when unknown (a broker from before it was sent).
 */
public record ReplicaFetchRequest(String topic, int partition, int replicaId, int currentLeaderEpoch,
    long fetchOffset, int lastFetchedEpoch, int maxBytes, int maxWaitMs, long logStartOffset) {

  public static final int NO_EPOCH = -1;

  /** The log start offset of a follower that did not send one. */
  public static final long UNKNOWN_LOG_START = -1L;
}
