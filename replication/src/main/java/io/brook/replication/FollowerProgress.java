package io.brook.replication;

/**
 * The leader's view of one follower: its log end offset (the offset of its last accepted fetch)
 * and when it was last caught up with the leader's log end.
 *
 * <p>"Caught up" follows Kafka: a fetch at or past the leader's current log end catches the
 * follower up now; a fetch at or past the leader's log end at the follower's previous fetch
 * catches it up as of that previous fetch (it has everything the leader had then). So a follower
 * of a busy leader that is never exactly at the end still counts as in sync while it keeps up.
 *
 * <p>Owned by its {@link LeaderReplicaState}.
 */
final class FollowerProgress {

    static final long UNKNOWN_OFFSET = -1L;

    private long logEndOffset = UNKNOWN_OFFSET;
    private long lastCaughtUpTimeMs;
    private long lastFetchTimeMs = -1L;
    private long leaderEndOffsetAtLastFetch = UNKNOWN_OFFSET;

    FollowerProgress(long lastCaughtUpTimeMs) {
        this.lastCaughtUpTimeMs = lastCaughtUpTimeMs;
    }

    void onFetch(long fetchOffset, long leaderLogEndOffset, long nowMs) {
        if (fetchOffset >= leaderLogEndOffset) {
            lastCaughtUpTimeMs = Math.max(lastCaughtUpTimeMs, nowMs);
        } else if (leaderEndOffsetAtLastFetch != UNKNOWN_OFFSET && fetchOffset >= leaderEndOffsetAtLastFetch) {
            lastCaughtUpTimeMs = Math.max(lastCaughtUpTimeMs, lastFetchTimeMs);
        }
        logEndOffset = fetchOffset;
        leaderEndOffsetAtLastFetch = leaderLogEndOffset;
        lastFetchTimeMs = nowMs;
    }

    /** Unknown ({@link #UNKNOWN_OFFSET}) until the follower's first accepted fetch in this leader epoch. */
    long logEndOffset() {
        return logEndOffset;
    }

    long lastCaughtUpTimeMs() {
        return lastCaughtUpTimeMs;
    }

    boolean isLagging(long nowMs, long lagTimeMaxMs) {
        return nowMs - lastCaughtUpTimeMs > lagTimeMaxMs;
    }

    @Override
    public String toString() {
        return "leo=" + logEndOffset + ",caughtUp=" + lastCaughtUpTimeMs;
    }
}
