package io.brook.replication;

/**
 * A follower's fetch of one partition from its leader (the replication part of Kafka's Fetch v12+).
 *
 * @param replicaId          the follower's broker id
 * @param currentLeaderEpoch the leader epoch the follower follows; the leader refuses an older one
 *                           (FENCED_LEADER_EPOCH) and one it does not know yet (UNKNOWN_LEADER_EPOCH)
 * @param fetchOffset        the follower's log end offset: where to read from, and how far it has
 *                           replicated
 * @param lastFetchedEpoch   the epoch of the last batch in the follower's log, -1 when it has none;
 *                           the leader checks it for divergence (KIP-320)
 */
public record FollowerFetch(int replicaId, int currentLeaderEpoch, long fetchOffset, int lastFetchedEpoch) {

    public FollowerFetch {
        if (replicaId < 0 || fetchOffset < 0 || lastFetchedEpoch < EpochEndOffset.UNDEFINED_EPOCH) {
            throw new IllegalArgumentException("Invalid replica fetch: replica " + replicaId + ", offset "
                + fetchOffset + ", last fetched epoch " + lastFetchedEpoch);
        }
    }
}
