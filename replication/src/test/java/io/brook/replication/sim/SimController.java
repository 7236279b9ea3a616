package io.brook.replication.sim;

import io.brook.replication.IsrChangeProposal;
import io.brook.replication.PartitionState;
import org.apache.kafka.common.protocol.Errors;

import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A minimal controller for one partition that follows the rules of docs/design/replication.md:
 * <ul>
 *   <li>brokers register (each process incarnation gets a new broker epoch; a new incarnation first
 *       fences the old one) and heartbeat; a broker silent for the session timeout is fenced, and a
 *       heartbeat with its current broker epoch unfences it;</li>
 *   <li>fencing the leader elects the first unfenced ISR member (in replica order), drops the fenced
 *       broker from the ISR and bumps the leader and partition epochs; with no candidate the
 *       partition has no leader and keeps its ISR until an ISR member comes back; fencing a follower
 *       drops it from the ISR;</li>
 *   <li>AlterPartition is applied only with the current leader epoch and partition epoch; fenced
 *       brokers it would add are left out, and the partition epoch moves even when the ISR does not,
 *       so no other send of an answered proposal can apply later; every change is pushed to every
 *       registered broker and also rides on heartbeat replies.</li>
 * </ul>
 * It never crashes (controller failover is the metadata log's job, tested elsewhere). Single-threaded.
 */
final class SimController implements SimNetwork.Endpoint {

    static final int ID = 100;

    private static final class Registration {
        int incarnation;
        int brokerEpoch;
        long lastHeartbeatMs;
        boolean fenced;
    }

    private final SimWorld world;
    private final SimNetwork network;
    private final SimParams params;
    private final Invariants invariants;
    private final TreeMap<Integer, Registration> brokers = new TreeMap<>();
    private PartitionState state;
    private int nextBrokerEpoch;
    private java.util.function.BiConsumer<PartitionState, PartitionState> onCommit = (before, after) -> { };

    SimController(SimWorld world, SimNetwork network, SimParams params, Invariants invariants, List<Integer> replicas) {
        this.world = world;
        this.network = network;
        this.params = params;
        this.invariants = invariants;
        this.state = new PartitionState(replicas.get(0), 0, 0, replicas, new TreeSet<>(replicas));
        invariants.onControllerChange(state);
        for (int id : replicas) {
            Registration registration = new Registration();
            registration.incarnation = 0;
            registration.brokerEpoch = -1; // the first registration gives the real one
            registration.fenced = false;
            brokers.put(id, registration);
        }
    }

    /** Called after every committed change with the state before and after (the nemesis watches it). */
    void onCommit(java.util.function.BiConsumer<PartitionState, PartitionState> listener) {
        this.onCommit = listener;
    }

    void start() {
        world.after(params.sessionCheckMs(), this::checkSessions);
    }

    PartitionState state() {
        return state;
    }

    boolean isFenced(int brokerId) {
        return brokers.get(brokerId).fenced;
    }

    @Override
    public void receive(int from, Object message) {
        if (message instanceof Messages.Register register) {
            onRegister(from, register);
        } else if (message instanceof Messages.Heartbeat heartbeat) {
            onHeartbeat(from, heartbeat);
        } else if (message instanceof Messages.AlterPartition alter) {
            onAlterPartition(from, alter);
        } else if (message instanceof Messages.MetadataRequest) {
            network.send(ID, from, new Messages.MetadataReply(state));
        } else {
            throw new IllegalArgumentException("controller got " + message);
        }
    }

    private void onRegister(int from, Messages.Register register) {
        Registration registration = brokers.get(register.brokerId());
        if (register.incarnation() < registration.incarnation) {
            return; // a delayed registration of an older process
        }
        if (register.incarnation() > registration.incarnation || registration.brokerEpoch < 0) {
            if (!registration.fenced && registration.brokerEpoch >= 0) {
                fence(register.brokerId(), "re-registered");
            }
            registration.incarnation = register.incarnation();
            registration.brokerEpoch = ++nextBrokerEpoch;
            registration.lastHeartbeatMs = world.nowMs();
        }
        network.send(ID, from, new Messages.RegisterReply(register.incarnation(), registration.brokerEpoch));
    }

    private void onHeartbeat(int from, Messages.Heartbeat heartbeat) {
        Registration registration = brokers.get(heartbeat.brokerId());
        if (registration.brokerEpoch != heartbeat.brokerEpoch()) {
            return; // an older incarnation's heartbeat
        }
        registration.lastHeartbeatMs = world.nowMs();
        if (registration.fenced) {
            unfence(heartbeat.brokerId());
        }
        network.send(ID, from, new Messages.MetadataUpdate(registration.brokerEpoch, state));
    }

    private void checkSessions() {
        brokers.forEach((id, registration) -> {
            if (!registration.fenced && world.nowMs() - registration.lastHeartbeatMs > params.sessionTimeoutMs()) {
                fence(id, "session expired");
            }
        });
        world.after(params.sessionCheckMs(), this::checkSessions);
    }

    private void fence(int brokerId, String why) {
        brokers.get(brokerId).fenced = true;
        world.trace(() -> "CONTROLLER fences " + brokerId + " (" + why + ")");
        if (state.leaderId() == brokerId) {
            electLeader(brokerId);
        } else if (state.isr().contains(brokerId) && state.isr().size() > 1) {
            Set<Integer> isr = new TreeSet<>(state.isr());
            isr.remove(brokerId);
            commit(new PartitionState(state.leaderId(), state.leaderEpoch(), state.partitionEpoch() + 1,
                state.replicas(), isr));
        }
    }

    private void unfence(int brokerId) {
        brokers.get(brokerId).fenced = false;
        world.trace(() -> "CONTROLLER unfences " + brokerId);
        if (!state.hasLeader() && state.isr().contains(brokerId)) {
            electLeader(-1);
        }
    }

    /** The first unfenced ISR member other than {@code leaving} leads; fenced members leave the ISR. */
    private void electLeader(int leaving) {
        Integer candidate = state.replicas().stream()
            .filter(id -> id != leaving && state.isr().contains(id) && !isFenced(id))
            .findFirst().orElse(null);
        if (candidate == null) {
            commit(new PartitionState(PartitionState.NO_LEADER, state.leaderEpoch() + 1, state.partitionEpoch() + 1,
                state.replicas(), state.isr()));
            return;
        }
        Set<Integer> isr = new TreeSet<>(state.isr());
        isr.removeIf(this::isFenced);
        isr.add(candidate);
        commit(new PartitionState(candidate, state.leaderEpoch() + 1, state.partitionEpoch() + 1, state.replicas(), isr));
    }

    private void onAlterPartition(int from, Messages.AlterPartition alter) {
        Errors error = validate(alter);
        if (error == Errors.NONE) {
            // fenced brokers are left out rather than refused, and the epoch moves even if nothing else
            // does: once answered, no other send of this proposal can ever apply (see README.md)
            Set<Integer> isr = new TreeSet<>(alter.request().newIsr());
            isr.removeIf(id -> !state.isr().contains(id) && isFenced(id));
            commit(new PartitionState(state.leaderId(), state.leaderEpoch(), state.partitionEpoch() + 1,
                state.replicas(), isr));
        }
        network.send(ID, from, new Messages.AlterPartitionReply(alter.generation(), alter.request(), error, state));
    }

    private Errors validate(Messages.AlterPartition alter) {
        IsrChangeProposal request = alter.request();
        Registration registration = brokers.get(request.leaderId());
        if (registration.brokerEpoch != alter.brokerEpoch()) {
            return Errors.STALE_BROKER_EPOCH;
        }
        if (request.leaderEpoch() != state.leaderEpoch() || request.leaderId() != state.leaderId()) {
            return Errors.FENCED_LEADER_EPOCH;
        }
        if (request.partitionEpoch() != state.partitionEpoch()) {
            return Errors.INVALID_UPDATE_VERSION;
        }
        if (!state.replicas().containsAll(request.newIsr())) {
            return Errors.INVALID_REQUEST;
        }
        return Errors.NONE;
    }

    private void commit(PartitionState next) {
        invariants.onControllerChange(next);
        if (next.isr().size() < state.isr().size()) {
            invariants.stats.isrShrinks++;
        } else if (next.isr().size() > state.isr().size()) {
            invariants.stats.isrExpansions++;
        }
        PartitionState before = state;
        state = next;
        world.trace(() -> "CONTROLLER commits " + next);
        brokers.forEach((id, registration) -> {
            if (registration.brokerEpoch >= 0) {
                network.send(ID, id, new Messages.MetadataUpdate(registration.brokerEpoch, next));
            }
        });
        onCommit.accept(before, next);
    }
}

