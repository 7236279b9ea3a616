package io.brook.replication.sim;

import io.brook.replication.LeaderReplicaState;
import io.brook.replication.PartitionState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulation's oracle and its continuous checks. It keeps the committed log: every batch that
 * was ever below a leader's high watermark, with its bytes, contiguous from offset 0. Then:
 * <ol>
 *   <li>at most one broker ever becomes leader of a given leader epoch, and the controller's epochs
 *       only go up;</li>
 *   <li>a leader's high watermark never goes back within its epoch;</li>
 *   <li>the committed log never changes: a leader's batches below its high watermark and a
 *       follower's batches below its high watermark equal the committed ones byte for byte, and a
 *       new leader's log holds the whole committed log when it takes over;</li>
 *   <li>a replica never truncates below its own high watermark;</li>
 *   <li>every acks=all acknowledgement names a committed batch holding the producer's records at
 *       the acknowledged offset (and, at the end, every replica has it there);</li>
 *   <li>the controller's ISR is always within the maximal ISR of the leader of its epoch (else the
 *       controller could elect a replica the high watermark did not wait for).</li>
 * </ol>
 * A violation throws {@link InvariantViolation}.
 */
final class Invariants {

    record Ack(long baseOffset, List<String> values) {}

    private final SimWorld world;
    private final List<LogBatch> committed = new ArrayList<>();
    private long committedEnd;
    private final Map<Integer, Integer> leaderOfEpoch = new HashMap<>();
    private final Map<Integer, Long> highWatermarkOfEpoch = new HashMap<>();
    /** Leader epoch -> the committed end when the controller elected it. */
    private final Map<Integer, Long> committedAtElection = new HashMap<>();
    private final Map<Integer, Long> leaderVerifiedTo = new HashMap<>();
    private final Map<Integer, Long> followerVerifiedTo = new HashMap<>();
    private final List<Ack> acksAll = new ArrayList<>();
    private final List<Ack> acksOne = new ArrayList<>();
    private int controllerLeaderEpoch = -1;
    private int controllerPartitionEpoch = -1;
    final SimStats stats = new SimStats();

    Invariants(SimWorld world) {
        this.world = world;
    }

    void fail(String message) {
        throw new InvariantViolation("t=" + world.nowMs() + " " + message);
    }

    // ---------------------------------------------------------------- leaders and epochs

    void onControllerChange(PartitionState state) {
        if (state.leaderEpoch() < controllerLeaderEpoch || state.partitionEpoch() <= controllerPartitionEpoch) {
            fail("controller epochs went back: " + state + " after " + controllerLeaderEpoch + "/" + controllerPartitionEpoch);
        }
        if (state.leaderEpoch() > controllerLeaderEpoch) {
            committedAtElection.put(state.leaderEpoch(), committedEnd);
        }
        controllerLeaderEpoch = state.leaderEpoch();
        controllerPartitionEpoch = state.partitionEpoch();
    }

    int controllerLeaderEpoch() {
        return controllerLeaderEpoch;
    }

    void onBecomeLeader(int node, int epoch, ReplicaLog log) {
        Integer previous = leaderOfEpoch.putIfAbsent(epoch, node);
        if (previous != null) {
            fail("broker " + node + " became leader of epoch " + epoch + ", which broker " + previous + " already led");
        }
        stats.leaderElections++;
        // what was committed when the controller chose it; a stale broker may take over an epoch that
        // has already ended, so what was committed since is not necessarily in its log (nor need be)
        verify("new leader " + node + " of epoch " + epoch, log, 0, committedAtElection.get(epoch), false);
        leaderVerifiedTo.put(node, 0L);
    }

    void onLeaderHighWatermark(int node, int epoch, long highWatermark, ReplicaLog log) {
        long previous = highWatermarkOfEpoch.getOrDefault(epoch, -1L);
        if (highWatermark < previous) {
            fail("high watermark of epoch " + epoch + " went back from " + previous + " to " + highWatermark);
        }
        highWatermarkOfEpoch.put(epoch, highWatermark);
        long from = leaderVerifiedTo.getOrDefault(node, 0L);
        verify("leader " + node + " epoch " + epoch, log, from, highWatermark, true);
        leaderVerifiedTo.put(node, Math.max(from, highWatermark));
    }

    void onFollowerHighWatermark(int node, long highWatermark, ReplicaLog log) {
        long from = followerVerifiedTo.getOrDefault(node, 0L);
        if (highWatermark > from) {
            verify("follower " + node, log, from, highWatermark, false);
            followerVerifiedTo.put(node, highWatermark);
        }
    }

    void onTruncated(int node, long highWatermarkBefore, long newLogEndOffset) {
        stats.truncations++;
        if (newLogEndOffset < highWatermarkBefore) {
            fail("broker " + node + " truncated to " + newLogEndOffset + ", below its high watermark " + highWatermarkBefore);
        }
        followerVerifiedTo.merge(node, newLogEndOffset, Math::min);
    }

    /** The broker restarted: it starts again from a high watermark of 0. */
    void onRestart(int node) {
        followerVerifiedTo.put(node, 0L);
        leaderVerifiedTo.put(node, 0L);
    }

    /**
     * Checks {@code log}'s batches in [from, to) against the committed log; with {@code extend}, a
     * leader's batches beyond the committed end become committed.
     */
    private void verify(String who, ReplicaLog log, long from, long to, boolean extend) {
        if (to > log.logEndOffset()) {
            fail(who + " claims offsets up to " + to + " but its log ends at " + log.logEndOffset());
        }
        if (!extend && to > committedEnd) {
            fail(who + " has a high watermark " + to + " beyond the committed end " + committedEnd);
        }
        for (LogBatch batch : log.batchesFrom(from)) {
            if (batch.lastOffset() >= to) {
                break;
            }
            if (batch.baseOffset() < committedEnd) {
                LogBatch expected = committedAt(batch.baseOffset());
                if (expected == null || !expected.sameBytes(batch)) {
                    fail(who + " has " + batch + " " + batch.values() + " where the committed log has " + expected
                        + (expected == null ? "" : " " + expected.values()));
                }
            } else if (batch.baseOffset() == committedEnd) {
                committed.add(batch);
                committedEnd = batch.lastOffset() + 1;
            } else {
                fail(who + " commits " + batch + " after a gap: committed end " + committedEnd);
            }
        }
    }

    private LogBatch committedAt(long baseOffset) {
        int low = 0;
        int high = committed.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            LogBatch batch = committed.get(mid);
            if (batch.baseOffset() == baseOffset) {
                return batch;
            }
            if (batch.baseOffset() < baseOffset) {
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- acknowledgements

    void onAcksAllAcknowledged(long baseOffset, List<String> values) {
        LogBatch batch = committedAt(baseOffset);
        if (batch == null || !batch.values().equals(values)) {
            fail("acks=all acknowledged " + values + " at " + baseOffset + " but the committed log has " + batch
                + (batch == null ? "" : " " + batch.values()));
        }
        acksAll.add(new Ack(baseOffset, values));
        stats.acksAll++;
    }

    void onAcksOneAcknowledged(long baseOffset, List<String> values) {
        acksOne.add(new Ack(baseOffset, values));
        stats.acksOne++;
    }

    /**
     * A leader completes an acks=all request: at that moment at least {@code min.insync.replicas}
     * replicas must hold the batch, byte for byte (the durability promise behind acks=all).
     */
    void onAcksAllCompleted(int leader, long baseOffset, List<SimBroker> brokers, int minInsyncReplicas) {
        LogBatch batch = brokers.get(leader).log().batchesFrom(baseOffset).get(0);
        int holders = 0;
        for (SimBroker broker : brokers) {
            List<LogBatch> from = broker.log().batchesFrom(baseOffset);
            if (!from.isEmpty() && from.get(0).baseOffset() == baseOffset && from.get(0).sameBytes(batch)) {
                holders++;
            }
        }
        if (holders < minInsyncReplicas) {
            fail("leader " + leader + " completes acks=all " + batch + " held by " + holders + " replicas, fewer than "
                + "min.insync.replicas=" + minInsyncReplicas);
        }
    }

    /**
     * An acks=all completion by a leader whose epoch the controller had already replaced (still
     * committed: the checks above hold for it). {@code appendedWhenStale}: it was even appended after
     * the replacement, which only followers that had not heard of the new epoch yet can make possible.
     */
    void onStaleLeaderAck(boolean appendedWhenStale) {
        stats.staleLeaderAcks++;
        if (appendedWhenStale) {
            stats.staleAppendAcks++;
        }
    }

    // ---------------------------------------------------------------- ISR

    void checkIsrCovered(PartitionState controllerState, List<SimBroker> brokers) {
        for (SimBroker broker : brokers) {
            LeaderReplicaState leader = broker.leaderState();
            if (leader != null && leader.leaderEpoch() == controllerState.leaderEpoch()
                && !leader.maximalIsr().containsAll(controllerState.isr())) {
                fail("controller ISR " + controllerState.isr() + " (epoch " + controllerState.partitionEpoch()
                    + ") is not within the maximal ISR of " + leader);
            }
        }
    }

    // ---------------------------------------------------------------- the end

    /** After healing: every replica holds every acknowledged acks=all batch at its offset; counts lost acks=1. */
    void checkFinal(List<SimBroker> brokers) {
        for (SimBroker broker : brokers) {
            verify("broker " + broker.id() + " at the end", broker.log(), 0, committedEnd, false);
            Map<Long, LogBatch> byBase = new HashMap<>();
            for (LogBatch batch : broker.log().batchesFrom(0)) {
                byBase.put(batch.baseOffset(), batch);
            }
            for (Ack ack : acksAll) {
                LogBatch batch = byBase.get(ack.baseOffset());
                if (batch == null || !batch.values().equals(ack.values())) {
                    fail("broker " + broker.id() + " lost acks=all " + ack + ": has " + batch);
                }
            }
            if (broker.id() == brokers.get(0).id()) {
                stats.lostAcksOne = acksOne.stream().filter(ack -> byBase.get(ack.baseOffset()) == null
                    || !byBase.get(ack.baseOffset()).values().equals(ack.values())).count();
            }
        }
        stats.committedOffsets = committedEnd;
    }

    long committedEnd() {
        return committedEnd;
    }
}
