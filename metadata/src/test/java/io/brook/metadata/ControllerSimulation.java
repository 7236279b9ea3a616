package io.brook.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;

/**
 * A seeded random walk over controller requests: brokers register, heartbeat (sometimes lagging),
 * crash and come back; topics come and go; leaders shrink and expand ISRs (sometimes with stale
 * epochs); elections, reassignments, rebalances and controller failovers happen. Every record goes
 * to a separate "broker" image, record by record, where {@link MetadataInvariants} are checked; after
 * every request that image must equal the controller's. Requests may be refused with Kafka's typed
 * errors; anything else fails the run.
 */
final class ControllerSimulation {

    private static final int NODES = 5;
    private static final List<String> TOPICS = List.of("a", "b", "c", "d", "e", "f");

    private final Random random;
    private final long seed;
    private final ControllerConfig config = new ControllerConfig(Map.of(
        ControllerConfig.LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS, 10, ControllerConfig.MAX_PARTITIONS_PER_TOPIC, 8));
    private final MetadataInvariants invariants = new MetadataInvariants(config);
    private final ControllerHarness h;
    private final Set<Integer> crashed = new HashSet<>();
    private final Map<Integer, Integer> incarnations = new HashMap<>();
    private final List<PartitionSnapshot> snapshots = new ArrayList<>();
    private final Deque<String> history = new ArrayDeque<>();
    private MetadataImage brokerView = MetadataImage.EMPTY;
    private int controllerEpochs = 1;
    int requests;
    int refused;
    /** How often each record type and each refusal occurred: evidence the walk reaches the interesting paths. */
    final Map<String, Integer> counts = new java.util.TreeMap<>();

    /** A partition state some leader saw once; proposing from it later is a stale leader. */
    private record PartitionSnapshot(TopicPartition tp, PartitionRegistration seen) {
    }

    ControllerSimulation(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
        this.h = new ControllerHarness(MetadataImage.EMPTY, config, seed, TopicConfigValidator.ACCEPT_ALL);
        execute(MetadataInvariants.Op.of("epoch"), () -> h.state.newControllerEpoch(0, 1));
    }

    /** The last requests, newest last, for the failure message. */
    String history() {
        return String.join("\n  ", history);
    }

    void run(int steps) {
        for (int step = 0; step < steps; step++) {
            h.nowMs += random.nextInt(3_000);
            step();
        }
        assertThat(h.replayedOneByOne()).as("replay from scratch").isEqualTo(h.image());
    }

    private void step() {
        int dice = random.nextInt(100);
        if (dice < 20) {
            brokerLifecycle(random.nextInt(NODES));
        } else if (dice < 28) {
            execute(MetadataInvariants.Op.of("tick"), () -> h.state.tick(h.nowMs));
        } else if (dice < 32) {
            crashOrRecover(random.nextInt(NODES));
        } else if (dice < 35) {
            int node = random.nextInt(NODES);
            execute(MetadataInvariants.Op.of("fence " + node), () -> h.state.fenceBroker(node, h.nowMs));
        } else if (dice < 36) {
            int node = random.nextInt(NODES);
            execute(MetadataInvariants.Op.of("unregister " + node), () -> h.state.unregisterBroker(node));
        } else if (dice < 60) {
            topicRequest();
        } else if (dice < 78) {
            alterPartition();
        } else if (dice < 88) {
            electionOrReassignment();
        } else if (dice < 95) {
            execute(MetadataInvariants.Op.of("balance"), () -> h.state.maybeBalanceLeaders(h.nowMs));
        } else if (dice < 96) {
            failover();
        } else {
            heartbeatAll();
        }
    }

    /** What a live broker does next: register, heartbeat (maybe lagging), or re-register when told to. */
    private void brokerLifecycle(int node) {
        if (crashed.contains(node)) {
            return;
        }
        BrokerRegistration broker = h.image().broker(node).orElse(null);
        if (broker == null || broker.state() == BrokerState.FENCED) {
            register(node);
            return;
        }
        long offset = h.image().lastOffset() - random.nextInt(3);
        long epoch = random.nextInt(20) == 0 ? broker.brokerEpoch() - 1 : broker.brokerEpoch(); // sometimes stale
        execute(MetadataInvariants.Op.of("heartbeat " + node + "@" + epoch + " offset " + offset),
            () -> h.state.brokerHeartbeat(node, epoch, offset, h.nowMs));
    }

    private void heartbeatAll() {
        for (int node = 0; node < NODES; node++) {
            brokerLifecycle(node);
        }
    }

    private void register(int node) {
        int incarnation = incarnations.getOrDefault(node, 0);
        execute(MetadataInvariants.Op.of("register " + node + " (incarnation " + incarnation + ")"),
            () -> h.state.registerBroker(node, "host-" + node, 8080, 7000, "node-" + node + "-" + incarnation, h.nowMs));
    }

    /** A crashed broker stops heartbeating; a recovering one is a new process (new event bus node). */
    private void crashOrRecover(int node) {
        if (crashed.remove(node)) {
            incarnations.merge(node, 1, Integer::sum);
            history.add("recover " + node);
            register(node);
        } else {
            crashed.add(node);
            history.add("crash " + node);
        }
    }

    private void topicRequest() {
        String topic = TOPICS.get(random.nextInt(TOPICS.size()));
        int dice = random.nextInt(10);
        if (dice < 4) {
            int partitions = 1 + random.nextInt(4);
            int rf = 1 + random.nextInt(3);
            Map<String, String> configs = random.nextInt(4) == 0 ? Map.of("unclean.leader.election.enable", "true") : Map.of();
            execute(MetadataInvariants.Op.of("create " + topic + " " + partitions + "x" + rf + " " + configs),
                () -> h.state.createTopic(topic, partitions, rf, configs, h.nowMs));
        } else if (dice < 5) {
            Map<Integer, List<Integer>> assignments = new HashMap<>();
            int partitions = 1 + random.nextInt(4);
            int rf = 1 + random.nextInt(3);
            for (int p = 0; p < partitions; p++) {
                assignments.put(p, replicaList(rf));
            }
            if (execute(MetadataInvariants.Op.of("create " + topic + " assigned " + assignments),
                () -> h.state.createTopic(topic, -1, -1, Map.of(), assignments, h.nowMs))) {
                counts.merge("created as assigned", 1, Integer::sum);
            }
        } else if (dice < 7) {
            execute(MetadataInvariants.Op.of("delete " + topic), () -> h.state.deleteTopic(topic));
        } else if (dice < 9) {
            String unclean = Boolean.toString(random.nextBoolean());
            execute(MetadataInvariants.Op.of("alter " + topic + " unclean=" + unclean), () -> h.state.alterConfigs(topic,
                Map.of("unclean.leader.election.enable", unclean), List.of()));
        } else {
            int count = 1 + random.nextInt(8);
            List<List<Integer>> assignments = null;
            TopicImage existing = h.image().topic(topic).orElse(null);
            if (existing != null && random.nextBoolean()) { // manual, now and then of the wrong count
                count = existing.partitionCount() + 1 + random.nextInt(2);
                assignments = new ArrayList<>();
                for (int i = count - existing.partitionCount() + (random.nextInt(10) == 0 ? 1 : 0); i > 0; i--) {
                    assignments.add(replicaList(existing.replicationFactor()));
                }
            }
            int newCount = count;
            List<List<Integer>> manual = assignments;
            if (execute(MetadataInvariants.Op.of("add partitions " + topic + " -> " + newCount + (manual == null ? ""
                : " assigned " + manual)), () -> h.state.createPartitions(topic, newCount, manual)) && manual != null) {
                counts.merge("added as assigned", 1, Integer::sum);
            }
        }
    }

    /**
     * {@code length} distinct brokers in random order, now and then one that was never registered, a broker
     * twice or one more broker (refused).
     */
    private List<Integer> replicaList(int length) {
        List<Integer> nodes = new ArrayList<>();
        for (int node = 0; node < NODES; node++) {
            nodes.add(node);
        }
        Collections.shuffle(nodes, random);
        List<Integer> replicas = new ArrayList<>(nodes.subList(0, length));
        switch (random.nextInt(30)) {
            case 0 -> replicas.set(0, NODES); // never registered
            case 1 -> replicas.add(replicas.get(0));
            case 2 -> replicas.add(nodes.get(length));
            default -> { }
        }
        return replicas;
    }

    /** A leader proposes an ISR: usually from the current state, sometimes from a stale one it saw earlier. */
    private void alterPartition() {
        PartitionSnapshot snapshot = random.nextInt(4) == 0 && !snapshots.isEmpty()
            ? snapshots.get(random.nextInt(snapshots.size())) : currentPartition();
        if (snapshot == null || !snapshot.seen().hasLeader()) {
            return;
        }
        PartitionRegistration seen = snapshot.seen();
        List<Integer> isr = new ArrayList<>();
        isr.add(seen.leader());
        for (int replica : seen.replicas()) {
            if (replica != seen.leader() && random.nextBoolean()) {
                isr.add(replica);
            }
        }
        TopicPartition tp = snapshot.tp();
        execute(MetadataInvariants.Op.alterPartition("alterPartition " + tp + " " + seen + " isr " + isr, isr, seen),
            () -> h.state.alterPartition(tp.topic(), tp.partition(), seen.leader(), seen.leaderEpoch(),
                seen.partitionEpoch(), isr));
    }

    private PartitionSnapshot currentPartition() {
        List<Map.Entry<TopicPartition, PartitionRegistration>> all =
            new ArrayList<>(h.image().partitionsWhere((tp, p) -> true).entrySet());
        if (all.isEmpty()) {
            return null;
        }
        Map.Entry<TopicPartition, PartitionRegistration> entry = all.get(random.nextInt(all.size()));
        PartitionSnapshot snapshot = new PartitionSnapshot(entry.getKey(), entry.getValue());
        if (snapshots.size() < 50) {
            snapshots.add(snapshot);
        } else {
            snapshots.set(random.nextInt(snapshots.size()), snapshot);
        }
        return snapshot;
    }

    private void electionOrReassignment() {
        PartitionSnapshot target = currentPartition();
        if (target == null) {
            return;
        }
        TopicPartition tp = target.tp();
        int dice = random.nextInt(10);
        if (dice < 3) {
            execute(MetadataInvariants.Op.of("elect preferred " + tp),
                () -> h.state.electLeaders(ElectionType.PREFERRED, List.of(tp)));
        } else if (dice < 4) {
            execute(new MetadataInvariants.Op("elect unclean " + tp, List.of(), true, null),
                () -> h.state.electLeaders(ElectionType.UNCLEAN, List.of(tp)));
        } else if (dice < 9) {
            List<Integer> replicas = randomReplicas();
            execute(MetadataInvariants.Op.of("reassign " + tp + " -> " + replicas),
                () -> h.state.reassignPartitions(tp.topic(), tp.partition(), replicas));
        } else {
            execute(MetadataInvariants.Op.of("cancel " + tp), () -> h.state.cancelReassignment(tp.topic(), tp.partition()));
        }
    }

    private List<Integer> randomReplicas() {
        List<Integer> nodes = new ArrayList<>(List.of(0, 1, 2, 3, 4));
        Collections.shuffle(nodes, random);
        return List.copyOf(nodes.subList(0, 1 + random.nextInt(3)));
    }

    /** A new controller takes over on the current image (its soft state starts afresh). */
    private void failover() {
        int newController = random.nextInt(NODES);
        history.add("failover to " + newController);
        h.state = new ControllerState(h.image(), config, new Random(seed + controllerEpochs), TopicConfigValidator.ACCEPT_ALL);
        controllerEpochs++;
        int epoch = controllerEpochs;
        execute(MetadataInvariants.Op.of("controller epoch " + epoch), () -> h.state.newControllerEpoch(newController, epoch));
    }

    /**
     * Runs one request: a typed refusal is fine; otherwise its records are appended and replayed, and
     * a broker's image, built record by record, is checked after each record and compared at the end.
     * True when the request was served, false when refused.
     */
    private boolean execute(MetadataInvariants.Op op, Supplier<ControllerResult<?>> request) {
        requests++;
        remember(op.name());
        ControllerResult<?> result;
        try {
            result = request.get();
        } catch (ApiException refusal) {
            refused++;
            counts.merge("refused " + refusal.getClass().getSimpleName(), 1, Integer::sum);
            remember("  refused: " + refusal.getClass().getSimpleName() + ": " + refusal.getMessage());
            return false;
        }
        int first = h.log.size();
        h.apply(result);
        for (int i = first; i < h.log.size(); i++) {
            MetadataImage before = brokerView;
            brokerView = brokerView.apply(h.log.get(i), h.offsets.get(i));
            invariants.checkTransition(before, brokerView, h.log.get(i), op);
            invariants.checkImage(brokerView);
            count(before, h.log.get(i));
        }
        assertThat(brokerView).as("a broker's replayed image equals the controller's").isEqualTo(h.image());
        invariants.checkProgress(brokerView);
        return true;
    }

    private void count(MetadataImage before, MetadataRecord record) {
        counts.merge(record.type().typeName(), 1, Integer::sum);
        if (record instanceof PartitionChange change) {
            PartitionRegistration prev = before.partition(change.topic(), change.partition()).orElseThrow();
            if (change.leader() != prev.leader()) {
                counts.merge(change.leader() == PartitionRegistration.NO_LEADER ? "leader lost" : "leader elected", 1,
                    Integer::sum);
            }
            if (change.leader() != PartitionRegistration.NO_LEADER && !prev.isInIsr(change.leader())) {
                counts.merge("out-of-sync leader", 1, Integer::sum);
            }
            if (prev.isReassigning() && change.addingReplicas().isEmpty() && change.removingReplicas().isEmpty()) {
                counts.merge("reassignment finished", 1, Integer::sum);
            }
        }
    }

    private void remember(String line) {
        history.addLast(line);
        while (history.size() > 40) {
            history.removeFirst();
        }
    }
}
