package io.brook.replication.sim;

import io.brook.replication.PartitionState;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * One seeded run of a 3-replica partition ({@link SimCluster}) with two acks=all producers and one
 * acks=1 producer, on a network that drops, duplicates, delays and reorders messages, with
 * crashes, restarts, freezes and cut links during the fault phase, some of them aimed at risky
 * moments. Then the faults stop, producers write a little longer and stop, and the run waits until
 * the replicas converge (see {@link SimCluster#convergenceGap}); finally every acknowledged acks=all
 * batch must be in every replica. The {@link Invariants} are checked after every event.
 *
 * <p>Deterministic: the same seed gives the same run. Single-threaded.
 */
final class Simulation {

    private final SimCluster cluster;
    private final SimWorld world;
    private final SimParams params;
    private final List<SimProducer> producers = new ArrayList<>();

    private Simulation(long seed, boolean tracing, SimParams params, IntFunction<ReplicaLog> logs) {
        this.cluster = new SimCluster(seed, tracing, params, logs);
        this.world = cluster.world;
        this.params = params;
        short[] acks = {-1, -1, 1};
        for (int i = 0; i < acks.length; i++) {
            SimProducer producer = new SimProducer(200 + i, acks[i], world, cluster.network, params, cluster.invariants);
            producers.add(producer);
            cluster.network.register(200 + i, producer);
        }
    }

    /**
     * Runs one seed.
     *
     * @throws SimulationFailure naming the seed, with the final state and (when tracing) the event trail
     */
    static SimStats run(long seed, boolean tracing, IntFunction<ReplicaLog> logs) {
        Simulation simulation = new Simulation(seed, tracing, SimParams.random(seed), logs);
        try {
            return simulation.run();
        } catch (RuntimeException | AssertionError e) {
            throw new SimulationFailure(seed, e, simulation.cluster.describe() + "\n--- last events ---\n"
                + simulation.world.traceDump());
        } finally {
            simulation.cluster.closeLogs();
        }
    }

    private SimStats run() {
        cluster.controller.onCommit(this::maybeStrikeAtRiskyMoment);
        cluster.start();
        producers.forEach(SimProducer::start);
        world.after(nextFaultDelay(), this::injectFault);
        cluster.runUntil(params.faultPhaseMs());
        cluster.heal();
        cluster.runFor(params.produceAfterHealMs());
        producers.forEach(SimProducer::stop);
        cluster.awaitConvergence(params.convergeDeadlineMs());
        cluster.invariants.checkFinal(cluster.brokers);
        SimStats stats = cluster.invariants.stats;
        stats.runs = 1;
        stats.events = world.eventCount();
        stats.simulatedMs = world.nowMs();
        stats.messagesDropped = cluster.network.dropped();
        return stats;
    }

    private long nextFaultDelay() {
        return world.between(params.meanFaultIntervalMs() / 2, params.meanFaultIntervalMs() * 3 / 2);
    }

    private void injectFault() {
        if (world.nowMs() >= params.faultPhaseMs()) {
            return;
        }
        SimBroker victim = pickVictim();
        List<Integer> everyone = List.of(SimController.ID, 0, 1, 2);
        switch ((int) world.between(0, 4)) {
            case 0 -> cluster.crash(victim, world.between(10, params.maxDowntimeMs()));
            case 1 -> cluster.freeze(victim, world.between(50, params.maxFreezeMs()));
            case 2 -> cluster.cut(victim, List.of(SimController.ID), world.between(50, params.maxCutMs()));
            case 3 -> cluster.cut(victim, everyone, world.between(50, params.maxCutMs()));
            default -> cluster.cut(victim, List.of((victim.id() + 1 + (int) world.between(0, 1)) % 3),
                world.between(50, params.maxCutMs()));
        }
        world.after(nextFaultDelay(), this::injectFault);
    }

    /** The current leader half of the time: failovers are what this is about. */
    private SimBroker pickVictim() {
        PartitionState state = cluster.controllerState();
        if (state.hasLeader() && world.chance(0.5)) {
            return cluster.broker(state.leaderId());
        }
        return cluster.broker((int) world.between(0, SimCluster.REPLICAS.size() - 1));
    }

    /**
     * The moments where ordering bugs hide are short, so the nemesis aims at them: right after an
     * ISR expansion (the new member may not have caught up with the previous leader's commits yet)
     * and right after an election (a second failover before the first settled), it sometimes takes
     * the leader away at once.
     */
    private void maybeStrikeAtRiskyMoment(PartitionState before, PartitionState after) {
        boolean expanded = after.isr().size() > before.isr().size();
        boolean elected = after.leaderEpoch() > before.leaderEpoch() && after.hasLeader();
        if (world.nowMs() >= params.faultPhaseMs() || !(expanded || elected) || !world.chance(params.strikeRate())) {
            return;
        }
        SimBroker leader = cluster.broker(after.leaderId());
        world.after(world.between(0, 30), () -> {
            if (world.chance(0.5)) {
                cluster.crash(leader, world.between(10, params.maxDowntimeMs()));
            } else {
                cluster.cut(leader, List.of(SimController.ID, 0, 1, 2), world.between(50, params.maxCutMs()));
            }
        });
    }
}
