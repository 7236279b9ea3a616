package io.brook.replication.sim;

import io.brook.replication.FollowerState;
import io.brook.replication.LeaderReplicaState;
import io.brook.replication.PartitionState;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A simulated 3-replica partition: world, network, controller, brokers and the invariant checks
 * run after every event. Used by the seeded {@link Simulation} (random faults and producers) and
 * by the hand-written scenarios (scripted faults, a test client).
 *
 * <p>Single-threaded.
 */
final class SimCluster {

    static final List<Integer> REPLICAS = List.of(0, 1, 2);

    final SimWorld world;
    final SimParams params;
    final SimNetwork network;
    final Invariants invariants;
    final SimController controller;
    final List<SimBroker> brokers = new ArrayList<>();

    SimCluster(long seed, boolean tracing, SimParams params, IntFunction<ReplicaLog> logs) {
        this.world = new SimWorld(seed, tracing);
        this.params = params;
        this.network = new SimNetwork(world, params);
        this.invariants = new Invariants(world);
        this.controller = new SimController(world, network, params, invariants, REPLICAS);
        network.register(SimController.ID, controller);
        for (int id : REPLICAS) {
            SimBroker broker = new SimBroker(id, world, network, params, invariants, invariants::controllerLeaderEpoch,
                () -> brokers, logs.apply(id));
            brokers.add(broker);
            network.register(id, broker);
        }
    }

    void start() {
        controller.start();
        brokers.forEach(SimBroker::start);
    }

    void runUntil(long endMs) {
        world.runUntil(endMs, () -> invariants.checkIsrCovered(controller.state(), brokers));
    }

    void runFor(long durationMs) {
        runUntil(world.nowMs() + durationMs);
    }

    SimBroker broker(int id) {
        return brokers.get(id);
    }

    PartitionState controllerState() {
        return controller.state();
    }

    // ---------------------------------------------------------------- faults

    boolean crash(SimBroker victim, long downtimeMs) {
        if (!victim.isUp()) {
            return false;
        }
        invariants.stats.crashes++;
        victim.crash();
        world.after(downtimeMs, () -> {
            if (!victim.isUp()) {
                victim.restart();
            }
        });
        return true;
    }

    void freeze(SimBroker victim, long durationMs) {
        if (victim.isUp() && !victim.isFrozen()) {
            invariants.stats.freezes++;
            victim.freeze(world.nowMs() + durationMs);
        }
    }

    /** Cuts the links between {@code victim} and each of {@code others} for {@code durationMs}. */
    void cut(SimBroker victim, List<Integer> others, long durationMs) {
        invariants.stats.cuts++;
        long until = world.nowMs() + durationMs;
        world.trace(() -> "CUT B" + victim.id() + " from " + others + " until " + until);
        for (int other : others) {
            if (other != victim.id()) {
                network.cut(victim.id(), other, until);
            }
        }
    }

    /** Stops network faults and restarts every broker that is down. */
    void heal() {
        world.trace(() -> "HEAL");
        network.heal();
        for (SimBroker broker : brokers) {
            if (!broker.isUp()) {
                broker.restart();
            }
        }
    }

    // ---------------------------------------------------------------- convergence

    /** Runs until converged or {@code deadlineMs} passed; fails with what is missing. */
    void awaitConvergence(long deadlineMs) {
        long deadline = world.nowMs() + deadlineMs;
        while (world.nowMs() < deadline) {
            runFor(250);
            if (convergenceGap() == null) {
                return;
            }
        }
        invariants.fail("no convergence within " + deadlineMs + " ms after healing: " + convergenceGap());
    }

    /**
     * Null when converged: one leader, every replica in the ISR following it, every log equal to
     * the leader's byte for byte and every high watermark at the log end. Else what is missing.
     */
    String convergenceGap() {
        PartitionState state = controller.state();
        if (!state.hasLeader() || state.isr().size() != REPLICAS.size()) {
            return "controller state " + state;
        }
        SimBroker leaderBroker = brokers.get(state.leaderId());
        LeaderReplicaState leader = leaderBroker.leaderState();
        long end = leaderBroker.log().logEndOffset();
        if (leader == null || leader.leaderEpoch() != state.leaderEpoch() || leader.highWatermark() != end) {
            return "leader " + leaderBroker;
        }
        List<LogBatch> leaderLog = leaderBroker.log().batchesFrom(0);
        for (SimBroker broker : brokers) {
            if (broker == leaderBroker) {
                continue;
            }
            FollowerState follower = broker.followerState();
            if (follower == null || follower.leaderEpoch() != state.leaderEpoch() || follower.highWatermark() != end
                || broker.log().logEndOffset() != end) {
                return "follower " + broker + " vs leader " + leaderBroker;
            }
            if (!sameBatches(leaderLog, broker.log().batchesFrom(0))) {
                return "logs differ: " + broker + " vs " + leaderBroker;
            }
        }
        return null;
    }

    static boolean sameBatches(List<LogBatch> a, List<LogBatch> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).sameBytes(b.get(i))) {
                return false;
            }
        }
        return true;
    }

    void closeLogs() {
        brokers.forEach(broker -> broker.log().close());
    }

    String describe() {
        StringBuilder text = new StringBuilder("controller: " + controller.state());
        brokers.forEach(broker -> text.append("\n  ").append(broker));
        return text.toString();
    }
}
