package io.brook.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

/** Replaying records builds the image each record describes; queries answer from it; bad records stop replay. */
class MetadataImageTest {

    static final Uuid ID_A = Uuid.fromString("MAiJ0tIvRDmVYc4LXDTjLQ");
    static final Uuid ID_B = Uuid.fromString("7TlbWOCLQ4WPM3ABjwj_Bg");

    /** Three unfenced brokers and topic "a" with two partitions over them. */
    static MetadataImage clusterWithTopic() {
        return MetadataImage.EMPTY.toBuilder()
            .apply(new ControllerEpoch(0, 1), 0)
            .apply(new RegisterBroker(1, 1, "h1", 1, 2, "n1"), 1)
            .apply(new RegisterBroker(2, 2, "h2", 1, 2, "n2"), 2)
            .apply(new RegisterBroker(3, 3, "h3", 1, 2, "n3"), 3)
            .apply(new UnfenceBroker(1, 1), 4)
            .apply(new UnfenceBroker(2, 2), 5)
            .apply(new UnfenceBroker(3, 3), 6)
            .apply(new CreateTopic("a", ID_A, 2, Map.of("retention.ms", "10")), 7)
            .apply(new Partition("a", 0, List.of(1, 2), List.of(1, 2), 1, 0, 0), 8)
            .apply(new Partition("a", 1, List.of(2, 3), List.of(2, 3), 2, 0, 0), 9)
            .build();
    }

    @Test
    void replayBuildsBrokersTopicsAndController() {
        // proves: each record type lands in the image as described, with the last offset tracked
        MetadataImage image = clusterWithTopic();
        assertThat(image.lastOffset()).isEqualTo(9);
        assertThat(image.controllerId()).isZero();
        assertThat(image.controllerEpoch()).isEqualTo(1);
        assertThat(image.unfencedBrokers()).containsExactly(1, 2, 3);
        assertThat(image.broker(2).orElseThrow()).isEqualTo(
            new BrokerRegistration(2, 2, "h2", 1, 2, "n2", BrokerState.UNFENCED));
        TopicImage topic = image.topic("a").orElseThrow();
        assertThat(topic.topicId()).isEqualTo(ID_A);
        assertThat(topic.configs()).containsExactly(Map.entry("retention.ms", "10"));
        assertThat(image.partition("a", 1).orElseThrow().leader()).isEqualTo(2);
        assertThat(image.partition("a", 2)).isEmpty();
        assertThat(image.partitionCount()).isEqualTo(2);
    }

    @Test
    void brokerQueries() {
        // proves: led / hosted / followed partitions and event-bus lookups answer per broker
        MetadataImage image = clusterWithTopic();
        assertThat(image.partitionsLedBy(2).keySet()).containsExactly(new TopicPartition("a", 1));
        assertThat(image.replicasOn(2).keySet()).containsExactly(new TopicPartition("a", 0), new TopicPartition("a", 1));
        assertThat(image.partitionsFollowedBy(2).keySet()).containsExactly(new TopicPartition("a", 0));
        assertThat(image.replicasOn(4)).isEmpty();
        assertThat(image.brokerOnEventBusNode("n3").orElseThrow().nodeId()).isEqualTo(3);
        assertThat(image.topicById(ID_A).orElseThrow().name()).isEqualTo("a");
        assertThat(image.leaderlessPartitions()).isEmpty();
    }

    @Test
    void brokerLifecycleStates() {
        // proves: register -> REGISTERED, unfence -> UNFENCED, fence -> FENCED, re-register -> REGISTERED, unregister
        MetadataImage image = clusterWithTopic();
        image = image.apply(new FenceBroker(3, 3), 10);
        assertThat(image.broker(3).orElseThrow().state()).isEqualTo(BrokerState.FENCED);
        assertThat(image.unfencedBrokers()).containsExactly(1, 2);
        image = image.apply(new RegisterBroker(3, 11, "h3", 1, 2, "n3b"), 11);
        assertThat(image.broker(3).orElseThrow().state()).isEqualTo(BrokerState.REGISTERED);
        assertThat(image.broker(3).orElseThrow().fenced()).isTrue();
        image = image.apply(new UnregisterBroker(3), 12);
        assertThat(image.broker(3)).isEmpty();
    }

    @Test
    void partitionChangeReplacesState() {
        // proves: a PartitionChange is the partition's whole new state
        MetadataImage image = clusterWithTopic().apply(
            new PartitionChange("a", 0, 2, List.of(2), List.of(1, 2, 3), 1, 1, List.of(3), List.of()), 10);
        PartitionRegistration p = image.partition("a", 0).orElseThrow();
        assertThat(p).isEqualTo(new PartitionRegistration(List.of(1, 2, 3), List.of(2), 2, 1, 1, List.of(3), List.of()));
        assertThat(p.isReassigning()).isTrue();
        assertThat(p.targetReplicas()).containsExactly(1, 2, 3);
    }

    @Test
    void topicConfigAndRemoveAndRecreate() {
        // proves: config overrides are replaced whole; a removed topic can come back under a new id
        MetadataImage image = clusterWithTopic()
            .apply(new TopicConfig("a", Map.of("segment.bytes", "100")), 10)
            .apply(new RemoveTopic("a"), 11);
        assertThat(image.topic("a")).isEmpty();
        image = image.apply(new CreateTopic("a", ID_B, 1, Map.of()), 12);
        assertThat(image.topic("a").orElseThrow().topicId()).isEqualTo(ID_B);
        assertThat(image.topic("a").orElseThrow().partitionCount()).isZero();
    }

    @Test
    void unchangedTopicsAreSharedBetweenImages() {
        // proves: copy on write: a record about topic b leaves topic a's instance (and its partitions) shared
        MetadataImage before = clusterWithTopic().toBuilder()
            .apply(new CreateTopic("b", ID_B, 1, Map.of()), 10)
            .apply(new Partition("b", 0, List.of(1), List.of(1), 1, 0, 0), 11)
            .build();
        MetadataImage after = before.apply(new TopicConfig("b", Map.of("x", "y")), 12);
        assertThat(after.topic("a").orElseThrow()).isSameAs(before.topic("a").orElseThrow());
        assertThat(after.brokers()).isSameAs(before.brokers());
        assertThat(after.topic("b").orElseThrow().partitions().get(0))
            .isSameAs(before.topic("b").orElseThrow().partitions().get(0));
    }

    @Test
    void builderReplaysABigBatchWithOneCopy() {
        // proves: a 10,000-partition topic is created through one builder (no per-record copy of the topic)
        MetadataImageBuilder builder = clusterWithTopic().toBuilder();
        long offset = 10;
        builder.apply(new CreateTopic("big", ID_B, 1, Map.of()), offset++);
        for (int p = 0; p < 10_000; p++) {
            builder.apply(new Partition("big", p, List.of(1 + p % 3), List.of(1 + p % 3), 1 + p % 3, 0, 0), offset++);
        }
        for (int p = 0; p < 10_000; p++) {
            int leader = 1 + p % 3;
            builder.apply(new PartitionChange("big", p, leader, List.of(leader), List.of(leader), 0, 1, List.of(),
                List.of()), offset++);
        }
        MetadataImage image = builder.build();
        assertThat(image.topic("big").orElseThrow().partitionCount()).isEqualTo(10_000);
        assertThat(image.partition("big", 9_999).orElseThrow().partitionEpoch()).isEqualTo(1);
        assertThat(image.partitionsLedBy(1)).hasSize(3_334 + 1);
        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void replayRefusesRecordsThatDoNotFit() {
        // proves: replay is strict; each inconsistent record is a MetadataReplayException naming the problem
        MetadataImage image = clusterWithTopic();
        assertReplayFails(image, new PartitionChange("nope", 0, 1, List.of(1), List.of(1), 0, 1, List.of(), List.of()),
            "unknown topic nope");
        assertReplayFails(image, new PartitionChange("a", 5, 1, List.of(1), List.of(1), 0, 1, List.of(), List.of()),
            "unknown partition a-5");
        assertReplayFails(image, new PartitionChange("a", 0, 1, List.of(1), List.of(1, 2), 0, 0, List.of(), List.of()),
            "epochs go backwards");
        assertReplayFails(image, new PartitionChange("a", 0, 3, List.of(1), List.of(1, 2), 1, 1, List.of(), List.of()),
            "leader 3 is not in the isr");
        assertReplayFails(image, new Partition("a", 3, List.of(1), List.of(1), 1, 0, 0), "is not the next one");
        assertReplayFails(image, new CreateTopic("a", ID_B, 1, Map.of()), "already exists");
        assertReplayFails(image, new CreateTopic("c", ID_A, 1, Map.of()), "already in use");
        assertReplayFails(image, new FenceBroker(1, 99), "not 99");
        assertReplayFails(image, new FenceBroker(9, 1), "unknown broker 9");
        assertReplayFails(image, new UnfenceBroker(1, 1), "only a REGISTERED broker");
        assertReplayFails(image, new RegisterBroker(1, 1, "h", 1, 1, "n"), "not newer");
        assertReplayFails(image, new ControllerEpoch(5, 1), "not newer");
        assertReplayFails(image, new RemoveTopic("zz"), "unknown topic zz");
        assertReplayFails(image, new CreateTopic("../escaped", ID_B, 1, Map.of()), "characters other than ASCII alphanumerics");
        assertReplayFails(image, new CreateTopic("..", ID_B, 1, Map.of()), "Topic name is invalid");
        assertThatThrownBy(() -> image.apply(new RemoveTopic("a"), 9))
            .isInstanceOf(MetadataReplayException.class).hasMessageContaining("is not after 9");
    }

    @Test
    void aRefusedRecordLeavesTheBuilderAsItWasSoReplayCanPassOverIt() {
        // proves: the metadata listener's quarantine is sound: after a refused record the builder is unchanged and goes on
        MetadataImage image = clusterWithTopic();
        MetadataImageBuilder builder = image.toBuilder();
        List<MetadataRecord> refused = List.of(new CreateTopic("../escaped", ID_B, 1, Map.of()),
            new Partition("a", 3, List.of(1), List.of(1), 1, 0, 0),
            new PartitionChange("a", 0, 1, List.of(1), List.of(1, 2), 0, 0, List.of(), List.of()),
            new FenceBroker(1, 99));
        long offset = image.lastOffset();
        for (MetadataRecord record : refused) {
            long at = ++offset;
            assertThatThrownBy(() -> builder.apply(record, at)).isInstanceOf(MetadataReplayException.class);
            builder.skip(at);
        }
        builder.apply(new CreateTopic("c", ID_B, 1, Map.of()), ++offset);
        builder.apply(new Partition("c", 0, List.of(1), List.of(1), 1, 0, 0), ++offset);
        MetadataImage after = builder.build();
        assertThat(after.lastOffset()).isEqualTo(offset);
        assertThat(after.topics().keySet()).containsExactlyInAnyOrder("a", "c");
        assertThat(after.topic("a")).isEqualTo(image.topic("a"));
        assertThat(after.brokers()).isEqualTo(image.brokers());
    }

    private static void assertReplayFails(MetadataImage image, MetadataRecord record, String message) {
        assertThatThrownBy(() -> image.apply(record, image.lastOffset() + 1)).as(record.toString())
            .isInstanceOf(MetadataReplayException.class).hasMessageContaining(message);
    }

    @Test
    void imagesAreValuesRegardlessOfHowTheyWereBuilt() {
        // proves: batch replay and record-by-record replay give equal images (equals/hashCode by content)
        MetadataImage batched = clusterWithTopic();
        MetadataImage oneByOne = MetadataImage.EMPTY
            .apply(new ControllerEpoch(0, 1), 0)
            .apply(new RegisterBroker(1, 1, "h1", 1, 2, "n1"), 1)
            .apply(new RegisterBroker(2, 2, "h2", 1, 2, "n2"), 2)
            .apply(new RegisterBroker(3, 3, "h3", 1, 2, "n3"), 3)
            .apply(new UnfenceBroker(1, 1), 4)
            .apply(new UnfenceBroker(2, 2), 5)
            .apply(new UnfenceBroker(3, 3), 6)
            .apply(new CreateTopic("a", ID_A, 2, Map.of("retention.ms", "10")), 7)
            .apply(new Partition("a", 0, List.of(1, 2), List.of(1, 2), 1, 0, 0), 8)
            .apply(new Partition("a", 1, List.of(2, 3), List.of(2, 3), 2, 0, 0), 9);
        assertThat(oneByOne).isEqualTo(batched).hasSameHashCodeAs(batched);
        assertThat(oneByOne.apply(new RemoveTopic("a"), 10)).isNotEqualTo(batched);
    }
}
