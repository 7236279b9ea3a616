package io.brook.replication.sim;

import java.util.HashMap;
import java.util.Map;

/**
 * The simulated event bus: every message takes a random delay (occasionally a long one, so messages
 * overtake each other), and while faults are on it may be dropped or duplicated, and links may be
 * cut for a while (a network partition). Delivery to a down or frozen broker is the broker's
 * business ({@link SimBroker#receive}).
 */
final class SimNetwork {

    interface Endpoint {
        void receive(int from, Object message);
    }

    private final SimWorld world;
    private final SimParams params;
    private final Map<Integer, Endpoint> endpoints = new HashMap<>();
    /** Link (smaller id, larger id) -> cut until this time. */
    private final Map<Long, Long> cutUntil = new HashMap<>();
    private boolean faultsOn = true;
    private long sent;
    private long dropped;

    SimNetwork(SimWorld world, SimParams params) {
        this.world = world;
        this.params = params;
    }

    void register(int id, Endpoint endpoint) {
        endpoints.put(id, endpoint);
    }

    void send(int from, int to, Object message) {
        sent++;
        if (isCut(from, to) || (faultsOn && world.chance(params.dropRate()))) {
            dropped++;
            world.trace(() -> "DROP " + from + "->" + to + " " + message);
            return;
        }
        deliverLater(from, to, message);
        if (faultsOn && world.chance(params.duplicateRate())) {
            deliverLater(from, to, message);
        }
    }

    private void deliverLater(int from, int to, Object message) {
        long delay = faultsOn && world.chance(params.slowRate())
            ? world.between(params.maxDelayMs(), params.slowDelayMs())
            : world.between(1, params.maxDelayMs());
        world.after(delay, () -> {
            if (!isCut(from, to)) {
                endpoints.get(to).receive(from, message);
            }
        });
    }

    void cut(int a, int b, long untilMs) {
        cutUntil.merge(link(a, b), untilMs, Math::max);
    }

    boolean isCut(int a, int b) {
        Long until = cutUntil.get(link(a, b));
        return until != null && until > world.nowMs();
    }

    /** The heal phase: no more drops, duplicates, slow messages or cut links. */
    void heal() {
        faultsOn = false;
        cutUntil.clear();
    }

    long sent() {
        return sent;
    }

    long dropped() {
        return dropped;
    }

    private static long link(int a, int b) {
        return ((long) Math.min(a, b) << 32) | Math.max(a, b);
    }
}
