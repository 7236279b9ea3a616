package io.brook.replication.sim;

import io.brook.replication.AcksAllWaiters;
import io.brook.replication.FetchDecision;
import io.brook.replication.FetchValidation;
import io.brook.replication.FollowerState;
import io.brook.replication.LeaderReplicaState;
import io.brook.replication.PartitionState;
import io.brook.replication.FollowerFetch;
import io.brook.replication.FollowerFetchResult;
import io.brook.replication.ReplicationConfig;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;

import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * One simulated broker holding one replica of the partition: what the replica manager, partition
 * leader and replica follower verticles will do around the state machines, in one place. It
 * registers and heartbeats with the controller, applies metadata (become leader, become follower,
 * step down), serves produce (acks=1 and acks=all) and follower fetches as leader, fetches and
 * truncates as follower.
 *
 * <p>Faults: a crash loses every in-memory state (roles, waiters, high watermark, registration)
 * but not the log; a freeze defers every timer and message until it wakes, then runs them late,
 * as a SIGSTOPped process would. Single-threaded.
 */
final class SimBroker implements SimNetwork.Endpoint {

    /** An acks=all request waiting at the leader; {@code appendedWhenStale}: the controller had already replaced it. */
    private record PendingProduce(int producer, long requestId, long firstOffset, boolean appendedWhenStale) {}

    private final int id;
    private final SimWorld world;
    private final SimNetwork network;
    private final SimParams params;
    private final ReplicationConfig config;
    private final Invariants invariants;
    private final IntSupplier controllerLeaderEpoch;
    private final Supplier<List<SimBroker>> peers;
    private final ReplicaLog log;
    private boolean up;
    private long frozenUntilMs;
    private int incarnation;
    /** Bumped by every restart and role change: replies to an older generation are dropped. */
    private long generation;
    private int brokerEpoch = -1;
    private PartitionState known;
    private LeaderReplicaState leader;
    private AcksAllWaiters<PendingProduce> waiters;
    private FollowerState follower;
    /** The high watermark while neither leader nor follower. */
    private long savedHighWatermark;

    SimBroker(int id, SimWorld world, SimNetwork network, SimParams params, Invariants invariants,
              IntSupplier controllerLeaderEpoch, Supplier<List<SimBroker>> peers, ReplicaLog log) {
        this.id = id;
        this.world = world;
        this.network = network;
        this.params = params;
        this.config = params.replicationConfig();
        this.invariants = invariants;
        this.controllerLeaderEpoch = controllerLeaderEpoch;
        this.peers = peers;
        this.log = log;
    }

    // ---------------------------------------------------------------- lifecycle and faults

    void start() {
        up = true;
        incarnation++;
        generation++;
        brokerEpoch = -1;
        known = null;
        savedHighWatermark = 0;
        world.trace(() -> "B" + id + " starts, incarnation " + incarnation + ", log " + log);
        every(params.heartbeatIntervalMs(), this::registerOrHeartbeat);
        every(params.tickMs(), this::onTick);
        registerOrHeartbeat();
    }

    void crash() {
        world.trace(() -> "B" + id + " CRASHES (" + (leader != null ? leader : follower) + ")");
        up = false;
        incarnation++;
        generation++;
        leader = null;
        waiters = null;
        follower = null;
    }

    void restart() {
        log.reopen();
        invariants.onRestart(id);
        start();
    }

    void freeze(long untilMs) {
        world.trace(() -> "B" + id + " FREEZES until " + untilMs);
        frozenUntilMs = Math.max(frozenUntilMs, untilMs);
    }

    boolean isUp() {
        return up;
    }

    boolean isFrozen() {
        return world.nowMs() < frozenUntilMs;
    }

    /** Runs {@code action} now, later if frozen, never if down. */
    private void runOn(int forIncarnation, Runnable action) {
        if (!up || forIncarnation != incarnation) {
            return;
        }
        if (world.nowMs() < frozenUntilMs) {
            world.at(frozenUntilMs, () -> runOn(forIncarnation, action));
            return;
        }
        action.run();
    }

    private void every(long periodMs, Runnable action) {
        int boundTo = incarnation;
        world.after(periodMs, () -> runOn(boundTo, () -> {
            action.run();
            every(periodMs, action);
        }));
    }

    @Override
    public void receive(int from, Object message) {
        runOn(incarnation, () -> dispatch(from, message));
    }

    private void dispatch(int from, Object message) {
        if (message instanceof Messages.Produce produce) {
            onProduce(from, produce);
        } else if (message instanceof Messages.Fetch fetch) {
            network.send(id, from, new Messages.FetchReply(fetch.attemptId(), fetch.generation(), serveFetch(fetch.request())));
        } else if (message instanceof Messages.FetchReply reply) {
            onFetchReply(reply);
        } else if (message instanceof Messages.MetadataUpdate update) {
            if (update.brokerEpoch() == brokerEpoch) {
                applyMetadata(update.state());
            }
        } else if (message instanceof Messages.AlterPartitionReply reply) {
            onAlterPartitionReply(reply);
        } else if (message instanceof Messages.RegisterReply reply) {
            if (reply.incarnation() == incarnation && brokerEpoch < 0) {
                brokerEpoch = reply.brokerEpoch();
                registerOrHeartbeat();
            }
        } else {
            throw new IllegalArgumentException("broker " + id + " got " + message);
        }
    }

    private void registerOrHeartbeat() {
        Object message = brokerEpoch < 0 ? new Messages.Register(id, incarnation) : new Messages.Heartbeat(id, brokerEpoch);
        network.send(id, SimController.ID, message);
    }

    private void onTick() {
        if (leader != null) {
            leader.maybeShrinkIsr(world.nowMs());
            sendIsrChange();
            waiters.expire(world.nowMs()).forEach(p -> replyProduce(p, Errors.REQUEST_TIMED_OUT));
            if (leader.isFenced()) {
                stepDown("fenced by the controller");
            }
        }
        if (follower != null) {
            maybeFetch();
        }
    }

    // ---------------------------------------------------------------- metadata: roles

    private void applyMetadata(PartitionState state) {
        if (known != null && state.partitionEpoch() <= known.partitionEpoch()) {
            return;
        }
        known = state;
        if (state.leaderId() == id) {
            if (leader != null && leader.leaderEpoch() == state.leaderEpoch()) {
                if (leader.onPartitionChange(state, world.nowMs())) {
                    onHighWatermarkAdvanced();
                }
                return;
            }
            becomeLeader(state);
        } else {
            stepDown("leader is now " + state.leaderId());
            if (!state.hasLeader() || !state.replicas().contains(id)) {
                dropFollower();
            } else if (follower == null || follower.leaderEpoch() != state.leaderEpoch()) {
                becomeFollower(state);
            }
        }
    }

    private void becomeLeader(PartitionState state) {
        long highWatermark = highWatermark();
        dropFollower();
        generation++;
        leader = LeaderReplicaState.becomeLeader(id, state, log.logEndOffset(), highWatermark, config, world.nowMs());
        waiters = new AcksAllWaiters<>(1_000);
        world.trace(() -> "B" + id + " becomes " + leader);
        invariants.onBecomeLeader(id, state.leaderEpoch(), log);
        invariants.onLeaderHighWatermark(id, leader.leaderEpoch(), leader.highWatermark(), log);
    }

    private void becomeFollower(PartitionState state) {
        long highWatermark = highWatermark();
        generation++;
        follower = new FollowerState(id, state.leaderId(), state.leaderEpoch(), log.logEndOffset(),
            log.latestEpochOrUndefined(), highWatermark, config);
        world.trace(() -> "B" + id + " becomes " + follower);
        maybeFetch();
    }

    private void stepDown(String why) {
        if (leader == null) {
            return;
        }
        world.trace(() -> "B" + id + " steps down (" + why + "): " + leader);
        savedHighWatermark = leader.highWatermark();
        waiters.removeAll().forEach(p -> replyProduce(p, Errors.NOT_LEADER_OR_FOLLOWER));
        leader = null;
        waiters = null;
        generation++;
    }

    private void dropFollower() {
        if (follower != null) {
            savedHighWatermark = follower.highWatermark();
            follower = null;
            generation++;
        }
    }

    private long highWatermark() {
        if (leader != null) {
            return leader.highWatermark();
        }
        return follower != null ? follower.highWatermark() : savedHighWatermark;
    }

    // ---------------------------------------------------------------- leader: produce

    private void onProduce(int producer, Messages.Produce produce) {
        if (leader == null || leader.isFenced()) {
            network.send(id, producer, new Messages.ProduceReply(produce.requestId(), Errors.NOT_LEADER_OR_FOLLOWER, -1));
            return;
        }
        boolean acksAll = produce.acks() == -1;
        if (acksAll) {
            try {
                leader.checkAcksAll();
            } catch (ApiException e) {
                invariants.stats.notEnoughReplicas++;
                network.send(id, producer, new Messages.ProduceReply(produce.requestId(), Errors.forException(e), -1));
                return;
            }
        }
        ReplicaLog.Appended appended = log.appendAsLeader(produce.records(), leader.leaderEpoch());
        boolean advanced = leader.onLocalAppend(log.logEndOffset());
        PendingProduce pending = new PendingProduce(producer, produce.requestId(), appended.firstOffset(),
            controllerLeaderEpoch.getAsInt() > leader.leaderEpoch());
        if (!acksAll) {
            replyProduce(pending, Errors.NONE);
        } else if (!waiters.add(appended.lastOffset(), world.nowMs() + produce.timeoutMs(), pending)) {
            replyProduce(pending, Errors.THROTTLING_QUOTA_EXCEEDED);
        }
        if (advanced) {
            onHighWatermarkAdvanced();
        }
    }

    private void onHighWatermarkAdvanced() {
        invariants.onLeaderHighWatermark(id, leader.leaderEpoch(), leader.highWatermark(), log);
        for (PendingProduce pending : waiters.completeBelow(leader.highWatermark())) {
            invariants.onAcksAllCompleted(id, pending.firstOffset(), peers.get(), leader.minInsyncReplicas());
            if (controllerLeaderEpoch.getAsInt() > leader.leaderEpoch()) {
                invariants.onStaleLeaderAck(pending.appendedWhenStale());
            }
            replyProduce(pending, Errors.NONE);
        }
    }

    private void replyProduce(PendingProduce pending, Errors error) {
        long offset = error == Errors.NONE ? pending.firstOffset() : -1;
        network.send(id, pending.producer(), new Messages.ProduceReply(pending.requestId(), error, offset));
    }

    // ---------------------------------------------------------------- leader: follower fetches, ISR

    private FollowerFetchResult serveFetch(FollowerFetch request) {
        if (leader == null || leader.isFenced()) {
            return FollowerFetchResult.error(Errors.NOT_LEADER_OR_FOLLOWER);
        }
        long start = log.logStartOffset();
        long end = log.logEndOffset();
        FetchValidation.Outcome outcome = FetchValidation.validateFollowerFetch(request, leader.leaderEpoch(), start, end,
            log.lookup());
        if (outcome instanceof FetchValidation.Outcome.Refuse refuse) {
            return FollowerFetchResult.error(refuse.error(), start, end);
        }
        if (outcome instanceof FetchValidation.Outcome.Diverging diverging) {
            invariants.stats.divergingResponses++;
            return FollowerFetchResult.diverging(leader.highWatermark(), start, end, diverging.divergingEpoch());
        }
        long offset = ((FetchValidation.Outcome.Accept) outcome).fetchOffset();
        boolean advanced = leader.onFollowerFetch(request.replicaId(), offset, world.nowMs());
        sendIsrChange();
        if (advanced) {
            onHighWatermarkAdvanced();
        }
        MemoryRecords records = offset == end ? MemoryRecords.EMPTY : log.read(offset, params.fetchMaxBytes());
        return FollowerFetchResult.records(leader.highWatermark(), start, end, records);
    }

    private void sendIsrChange() {
        leader.isrChangeToSend(world.nowMs()).ifPresent(request -> {
            world.trace(() -> "B" + id + " proposes " + request);
            network.send(id, SimController.ID, new Messages.AlterPartition(generation, brokerEpoch, request));
        });
    }

    private void onAlterPartitionReply(Messages.AlterPartitionReply reply) {
        if (leader == null || reply.generation() != generation) {
            return;
        }
        if (reply.error() == Errors.NONE) {
            if (known == null || reply.state().partitionEpoch() > known.partitionEpoch()) {
                known = reply.state();
            }
            if (leader.onIsrCommitted(reply.state().isr(), reply.state().partitionEpoch(), world.nowMs())) {
                onHighWatermarkAdvanced();
            }
            return;
        }
        world.trace(() -> "B" + id + " ISR change refused: " + reply.error());
        leader.onIsrRejected(reply.request(), reply.error());
        if (leader.isFenced()) {
            stepDown("controller answered " + reply.error());
        }
    }

    // ---------------------------------------------------------------- follower

    private void maybeFetch() {
        follower.maybeFetch(world.nowMs()).ifPresent(attempt -> network.send(id, follower.leaderId(),
            new Messages.Fetch(attempt.id(), generation, attempt.request())));
    }

    private void onFetchReply(Messages.FetchReply reply) {
        if (follower == null || reply.generation() != generation) {
            return;
        }
        FetchDecision decision = follower.onFetchResponse(reply.attemptId(), reply.response(), world.nowMs());
        if (decision instanceof FetchDecision.AppendRecords append) {
            log.appendAsFollower(append.records());
            follower.onAppended(log.logEndOffset(), log.latestEpochOrUndefined(), world.nowMs());
        } else if (decision instanceof FetchDecision.TruncateDiverged diverged) {
            truncate(FetchValidation.followerTruncationOffset(diverged.divergingEpoch(), log.lookup(), log.logEndOffset()));
        } else if (decision instanceof FetchDecision.TruncateTo truncateTo) {
            truncate(truncateTo.offset());
        } else if (decision instanceof FetchDecision.TruncateFullyAndStartAt restart) {
            invariants.fail("broker " + id + " told to restart its log at " + restart.offset() + ": no retention here");
        }
        invariants.onFollowerHighWatermark(id, follower.highWatermark(), log);
        maybeFetch();
    }

    private void truncate(long offset) {
        long highWatermarkBefore = follower.highWatermark();
        world.trace(() -> "B" + id + " truncates " + log + " to " + offset);
        log.truncateTo(offset);
        invariants.onTruncated(id, highWatermarkBefore, log.logEndOffset());
        follower.onTruncated(log.logEndOffset(), log.latestEpochOrUndefined(), world.nowMs());
    }

    // ---------------------------------------------------------------- for the checks

    int id() {
        return id;
    }

    ReplicaLog log() {
        return log;
    }

    LeaderReplicaState leaderState() {
        return leader;
    }

    FollowerState followerState() {
        return follower;
    }

    @Override
    public String toString() {
        return "B" + id + (up ? "" : " DOWN") + (isFrozen() ? " FROZEN" : "") + " epoch " + brokerEpoch + " "
            + (leader != null ? leader : follower != null ? follower : "no role, hw " + savedHighWatermark) + " " + log;
    }
}
