package io.brook.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Drives a {@link ControllerState} the way the controller verticle will: every result's records are
 * appended to an in-memory log at the next offsets and replayed at once. Keeps the log so tests can
 * rebuild the image from scratch and compare.
 */
final class ControllerHarness {

    static final int CONTROLLER_ID = 0;
    static final long START_MS = 1_600_000_000_000L;

    final MetadataImage initial;
    final ControllerConfig config;
    final List<MetadataRecord> log = new ArrayList<>();
    final List<Long> offsets = new ArrayList<>();
    ControllerState state;
    long nowMs = START_MS;
    private long nextOffset;

    ControllerHarness(MetadataImage initial, ControllerConfig config, long seed, TopicConfigValidator validator) {
        this.initial = initial;
        this.config = config;
        this.nextOffset = initial.lastOffset() + 1;
        this.state = new ControllerState(initial, config, new Random(seed), validator);
    }

    /** An active controller (epoch 1) on an empty image, with default config. */
    static ControllerHarness started() {
        return started(ControllerConfig.defaults());
    }

    static ControllerHarness started(ControllerConfig config) {
        ControllerHarness harness = new ControllerHarness(MetadataImage.EMPTY, config, 42L, TopicConfigValidator.ACCEPT_ALL);
        harness.apply(harness.state.newControllerEpoch(CONTROLLER_ID, 1));
        return harness;
    }

    /** An active controller with {@code brokers} registered and unfenced. */
    static ControllerHarness withBrokers(int... brokers) {
        return withBrokers(ControllerConfig.defaults(), brokers);
    }

    static ControllerHarness withBrokers(ControllerConfig config, int... brokers) {
        ControllerHarness harness = started(config);
        for (int broker : brokers) {
            harness.registerAndUnfence(broker);
        }
        return harness;
    }

    static ControllerConfig config(Map<String, ?> props) {
        return new ControllerConfig(props);
    }

    /** Appends and replays the result's records; returns its response. */
    <T> T apply(ControllerResult<T> result) {
        for (MetadataRecord record : result.records()) {
            append(record);
        }
        return result.response();
    }

    void append(MetadataRecord record) {
        long offset = nextOffset++;
        log.add(record);
        offsets.add(offset);
        state.replay(record, offset);
    }

    long registerAndUnfence(int nodeId) {
        long epoch = register(nodeId);
        apply(state.brokerHeartbeat(nodeId, epoch, image().lastOffset(), nowMs));
        return epoch;
    }

    long register(int nodeId) {
        return apply(state.registerBroker(nodeId, "localhost", 8080 + nodeId, 7000 + nodeId, "node-" + nodeId, nowMs));
    }

    /** Every unfenced broker heartbeats at the current time. */
    void heartbeatAll() {
        for (BrokerRegistration broker : image().brokers().values()) {
            if (broker.state() == BrokerState.UNFENCED) {
                apply(state.brokerHeartbeat(broker.nodeId(), broker.brokerEpoch(), image().lastOffset(), nowMs));
            }
        }
    }

    CreateTopicReply createTopic(String name, int partitions, int replicationFactor) {
        return apply(state.createTopic(name, partitions, replicationFactor, Map.of(), nowMs));
    }

    MetadataImage image() {
        return state.image();
    }

    PartitionRegistration partition(String topic, int partition) {
        return image().partition(topic, partition).orElseThrow();
    }

    long epochOf(int nodeId) {
        return image().broker(nodeId).orElseThrow().brokerEpoch();
    }

    /** The image a broker builds by replaying this controller's whole log, record by record. */
    MetadataImage replayedOneByOne() {
        MetadataImage image = initial;
        for (int i = 0; i < log.size(); i++) {
            image = image.apply(log.get(i), offsets.get(i));
        }
        return image;
    }

    /** The same, but through one builder (as a broker applies a fetched batch). */
    MetadataImage replayedOneByOneInBatches() {
        MetadataImageBuilder builder = initial.toBuilder();
        for (int i = 0; i < log.size(); i++) {
            builder.apply(log.get(i), offsets.get(i));
        }
        return builder.build();
    }

    /** Takes over as a new controller (next epoch) on the current image: fresh soft state. */
    void failover(int newControllerId, long seed) {
        MetadataImage current = image();
        state = new ControllerState(current, config, new Random(seed), TopicConfigValidator.ACCEPT_ALL);
        apply(state.newControllerEpoch(newControllerId, current.controllerEpoch() + 1));
    }
}
