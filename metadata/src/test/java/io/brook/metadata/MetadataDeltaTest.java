package io.brook.metadata;

import static io.brook.metadata.MetadataImageTest.ID_A;
import static io.brook.metadata.MetadataImageTest.ID_B;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicIdPartition;
import org.junit.jupiter.api.Test;

/** The per-broker diff tells the replica manager what to lead, follow and drop, with the new epochs. */
class MetadataDeltaTest {

    final MetadataImage base = MetadataImageTest.clusterWithTopic(); // a-0: [1,2] leader 1, a-1: [2,3] leader 2

    @Test
    void newTopicIsLedAndFollowed() {
        // proves: creating a topic shows up as new leaderships and new follower replicas
        MetadataImage after = base.toBuilder()
            .apply(new CreateTopic("b", ID_B, 2, Map.of()), 10)
            .apply(new Partition("b", 0, List.of(3, 1), List.of(3, 1), 3, 0, 0), 11)
            .build();
        MetadataDelta forThree = MetadataDelta.forBroker(base, after, 3);
        assertThat(forThree.leaders()).singleElement().satisfies(change -> {
            assertThat(change.partition()).isEqualTo(new TopicIdPartition(ID_B, 0, "b"));
            assertThat(change.isNew()).isTrue();
            assertThat(change.leadershipChanged()).isTrue();
        });
        assertThat(forThree.followers()).isEmpty();
        MetadataDelta forOne = MetadataDelta.forBroker(base, after, 1);
        assertThat(forOne.followers()).extracting(c -> c.partition().topicPartition().toString()).containsExactly("b-0");
        assertThat(MetadataDelta.forBroker(base, after, 2).isEmpty()).isTrue();
    }

    @Test
    void leaderChangeAndIsrChange() {
        // proves: a new leader sees the partition among its leaders with the bumped epoch; the old one now follows
        MetadataImage after = base.apply(
            new PartitionChange("a", 0, 2, List.of(2), List.of(1, 2), 1, 1, List.of(), List.of()), 10);
        MetadataDelta forTwo = MetadataDelta.forBroker(base, after, 2);
        assertThat(forTwo.leaders()).singleElement().satisfies(change -> {
            assertThat(change.current().leaderEpoch()).isEqualTo(1);
            assertThat(change.previous().orElseThrow().leader()).isEqualTo(1);
            assertThat(change.leadershipChanged()).isTrue();
        });
        assertThat(MetadataDelta.forBroker(base, after, 1).followers()).singleElement()
            .satisfies(change -> assertThat(change.current().leader()).isEqualTo(2));
        assertThat(MetadataDelta.forBroker(base, after, 3).isEmpty()).isTrue();
    }

    @Test
    void reassignedAwayAndDeletedAndRecreated() {
        // proves: replicas that leave a broker, a deleted topic and a topic re-created under a new id are "removed"
        MetadataImage movedAway = base.apply(
            new PartitionChange("a", 0, 2, List.of(2, 3), List.of(2, 3), 1, 1, List.of(), List.of()), 10);
        assertThat(MetadataDelta.forBroker(base, movedAway, 1).removed())
            .containsExactly(new TopicIdPartition(ID_A, 0, "a"));
        assertThat(MetadataDelta.forBroker(base, movedAway, 3).followers()).singleElement()
            .satisfies(change -> assertThat(change.isNew()).isTrue());

        MetadataImage deleted = base.apply(new RemoveTopic("a"), 10);
        assertThat(MetadataDelta.forBroker(base, deleted, 2).removed())
            .containsExactly(new TopicIdPartition(ID_A, 0, "a"), new TopicIdPartition(ID_A, 1, "a"));

        MetadataImage recreated = deleted.toBuilder()
            .apply(new CreateTopic("a", ID_B, 1, Map.of()), 11)
            .apply(new Partition("a", 0, List.of(1), List.of(1), 1, 0, 0), 12)
            .build();
        MetadataDelta forOne = MetadataDelta.forBroker(base, recreated, 1);
        assertThat(forOne.removed()).containsExactly(new TopicIdPartition(ID_A, 0, "a"));
        assertThat(forOne.leaders()).singleElement().satisfies(change -> {
            assertThat(change.partition().topicId()).isEqualTo(ID_B);
            assertThat(change.isNew()).isTrue();
        });
    }

    @Test
    void configChangeOfHostedTopic() {
        // proves: hosts of a topic learn its config changed; other brokers do not
        MetadataImage after = base.apply(new TopicConfig("a", Map.of("retention.ms", "99")), 10);
        assertThat(MetadataDelta.forBroker(base, after, 1).changedConfigs()).containsExactly("a");
        assertThat(MetadataDelta.forBroker(base, after, 4).isEmpty()).isTrue();
    }

    @Test
    void leaderlessPartitionIsAFollowerChange() {
        // proves: a partition losing its leader tells its replicas (they stop fetching)
        MetadataImage after = base.apply(
            new PartitionChange("a", 1, -1, List.of(3), List.of(2, 3), 1, 1, List.of(), List.of()), 10);
        assertThat(MetadataDelta.forBroker(base, after, 3).followers()).singleElement()
            .satisfies(change -> assertThat(change.current().hasLeader()).isFalse());
        assertThat(MetadataDelta.forBroker(base, after, 2).followers()).hasSize(1);
    }

    @Test
    void identicalImagesHaveAnEmptyDelta() {
        // proves: no change, no work
        assertThat(MetadataDelta.forBroker(base, base, 1).isEmpty()).isTrue();
        assertThat(MetadataDelta.forBroker(base, base.apply(new FenceBroker(3, 3), 10), 1).isEmpty()).isTrue();
    }
}
