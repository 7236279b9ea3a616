package io.brook.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

/** Create, delete, alter configs and add partitions: the records they produce and Kafka's errors. */
class TopicRequestsTest {

    final ControllerHarness h = ControllerHarness.withBrokers(1, 2, 3);

    @Test
    void createProducesTopicThenPartitionRecords() {
        // proves: CreateTopic, then one Partition per partition with leader = first replica, ISR = replicas, epochs 0
        ControllerResult<CreateTopicReply> result = h.state.createTopic("orders", 4, 2, Map.of("retention.ms", "1"), h.nowMs);
        assertThat(result.records()).hasSize(5);
        CreateTopic create = (CreateTopic) result.records().get(0);
        assertThat(create.name()).isEqualTo("orders");
        assertThat(create.replicationFactor()).isEqualTo(2);
        assertThat(create.configs()).isEqualTo(Map.of("retention.ms", "1"));
        assertThat(result.response()).isEqualTo(new CreateTopicReply(create.topicId(), 4, 2));
        for (int p = 0; p < 4; p++) {
            Partition partition = (Partition) result.records().get(p + 1);
            assertThat(partition.partition()).isEqualTo(p);
            assertThat(partition.replicas()).hasSize(2).doesNotHaveDuplicates();
            assertThat(partition.isr()).isEqualTo(partition.replicas());
            assertThat(partition.leader()).isEqualTo(partition.replicas().get(0));
            assertThat(partition.leaderEpoch()).isZero();
            assertThat(partition.partitionEpoch()).isZero();
        }
        h.apply(result);
        assertThat(h.image().topic("orders").orElseThrow().partitionCount()).isEqualTo(4);
    }

    @Test
    void zeroOrMinusOneTakeTheDefaults() {
        // proves: num.partitions and default.replication.factor apply to 0 / -1
        ControllerHarness configured = ControllerHarness.withBrokers(ControllerHarness.config(Map.of(
            ControllerConfig.NUM_PARTITIONS, 6, ControllerConfig.DEFAULT_REPLICATION_FACTOR, 3)), 1, 2, 3);
        assertThat(configured.createTopic("a", -1, -1)).extracting(CreateTopicReply::partitions,
            CreateTopicReply::replicationFactor).containsExactly(6, 3);
        assertThat(configured.createTopic("b", 0, 0).partitions()).isEqualTo(6);
    }

    @Test
    void namesFollowKafkasRules() {
        // proves: invalid, reserved, existing and colliding names are refused with Kafka's errors
        h.createTopic("a_b", 1, 1);
        assertThatThrownBy(() -> h.createTopic("bad name!", 1, 1)).isInstanceOf(InvalidTopicException.class);
        assertThatThrownBy(() -> h.createTopic("", 1, 1)).isInstanceOf(InvalidTopicException.class);
        assertThatThrownBy(() -> h.createTopic("..", 1, 1)).isInstanceOf(InvalidTopicException.class);
        assertThatThrownBy(() -> h.createTopic("x".repeat(250), 1, 1)).isInstanceOf(InvalidTopicException.class);
        assertThatThrownBy(() -> h.createTopic(null, 1, 1)).isInstanceOf(InvalidTopicException.class);
        assertThatThrownBy(() -> h.createTopic("__cluster_metadata", 1, 1))
            .isInstanceOf(InvalidTopicException.class).hasMessageContaining("reserved");
        assertThatThrownBy(() -> h.createTopic("a_b", 1, 1)).isInstanceOf(TopicExistsException.class);
        assertThatThrownBy(() -> h.createTopic("a.b", 1, 1))
            .isInstanceOf(InvalidTopicException.class).hasMessageContaining("collides with existing topic: a_b");
    }

    @Test
    void partitionCountIsBounded() {
        // proves: max.partitions.per.topic is enforced at the bound + 1, and negative counts are refused
        ControllerHarness bounded = ControllerHarness.withBrokers(
            ControllerHarness.config(Map.of(ControllerConfig.MAX_PARTITIONS_PER_TOPIC, 8)), 1);
        assertThat(bounded.createTopic("ok", 8, 1).partitions()).isEqualTo(8);
        assertThatThrownBy(() -> bounded.createTopic("big", 9, 1)).isInstanceOf(InvalidPartitionsException.class);
        assertThatThrownBy(() -> bounded.createTopic("neg", -2, 1)).isInstanceOf(InvalidPartitionsException.class);
    }

    @Test
    void replicasPerBrokerAreBounded() {
        // proves: max.replicas.per.broker refuses a create or an addition that would overfill any broker, up front
        ControllerHarness bounded = ControllerHarness.withBrokers(
            ControllerHarness.config(Map.of(ControllerConfig.MAX_REPLICAS_PER_BROKER, 4)), 1, 2);
        assertThat(bounded.createTopic("a", 4, 2).partitions()).isEqualTo(4); // 4 replicas on each broker
        assertThatThrownBy(() -> bounded.createTopic("b", 1, 1)).isInstanceOf(PolicyViolationException.class)
            .hasMessageContaining("max.replicas.per.broker=4");
        assertThatThrownBy(() -> bounded.state.createPartitions("a", 5)).isInstanceOf(PolicyViolationException.class);
        assertThat(bounded.state.image().topics()).containsOnlyKeys("a");
        ControllerHarness three = ControllerHarness.withBrokers(
            ControllerHarness.config(Map.of(ControllerConfig.MAX_REPLICAS_PER_BROKER, 2)), 1, 2, 3);
        three.createTopic("r", 3, 1); // one replica on each broker
        three.createTopic("s", 1, 1);
        int full = three.state.image().partition("s", 0).orElseThrow().replicas().get(0); // now holds 2
        int fromPartition = 0;
        while (three.state.image().partition("r", fromPartition).orElseThrow().replicas().get(0) == full) {
            fromPartition++;
        }
        int movable = fromPartition;
        assertThatThrownBy(() -> three.state.reassignPartitions("r", movable, List.of(full)))
            .isInstanceOf(PolicyViolationException.class).hasMessageContaining("broker " + full);
    }

    @Test
    void replicationFactorMustFitTheUnfencedBrokers() {
        // proves: RF > unfenced brokers is refused, and fenced brokers do not count
        assertThat(h.createTopic("rf3", 1, 3).replicationFactor()).isEqualTo(3);
        h.apply(h.state.fenceBroker(3, h.nowMs));
        assertThatThrownBy(() -> h.createTopic("rf3b", 1, 3))
            .isInstanceOf(InvalidReplicationFactorException.class).hasMessageContaining("available brokers: 2");
        assertThatThrownBy(() -> h.createTopic("neg", 1, -2)).isInstanceOf(InvalidReplicationFactorException.class);
    }

    @Test
    void placementUsesOnlyUnfencedBrokers() {
        // proves: new replicas never land on a fenced broker
        h.apply(h.state.fenceBroker(2, h.nowMs));
        h.createTopic("t", 20, 2);
        assertThat(h.image().replicasOn(2)).isEmpty();
    }

    @Test
    void threeBrokersManyTopicsAreEvenlyLoaded() {
        // proves: across 300 topics of 1..4 partitions, replicas and leaders spread evenly over 3 brokers
        Random sizes = new Random(3);
        for (int t = 0; t < 300; t++) {
            h.createTopic("topic-" + t, 1 + sizes.nextInt(4), 2);
        }
        int partitions = h.image().partitionCount();
        for (int broker = 1; broker <= 3; broker++) {
            double replicaShare = h.image().replicasOn(broker).size() / (2.0 * partitions);
            double leaderShare = h.image().partitionsLedBy(broker).size() / (double) partitions;
            assertThat(replicaShare).as("replicas on %d", broker).isBetween(0.30, 0.37);
            assertThat(leaderShare).as("leaders on %d", broker).isBetween(0.29, 0.38);
        }
    }

    @Test
    void topicConfigsAreValidatedBySplitRules() {
        // proves: controller keys are checked here, the rest go to the plugged-in validator, whose error becomes INVALID_CONFIG
        List<Map<String, String>> seen = new ArrayList<>();
        ControllerHarness validated = new ControllerHarness(MetadataImage.EMPTY, ControllerConfig.defaults(), 1, overrides -> {
            seen.add(overrides);
            if (overrides.containsKey("bogus")) {
                throw new IllegalArgumentException("Unknown topic config name: bogus");
            }
        });
        validated.apply(validated.state.newControllerEpoch(0, 1));
        validated.registerAndUnfence(1);
        validated.apply(validated.state.createTopic("t", 1, 1,
            Map.of("min.insync.replicas", "2", "unclean.leader.election.enable", "true", "retention.ms", "5"), 0));
        assertThat(seen).containsExactly(Map.of("retention.ms", "5"));
        assertThatThrownBy(() -> validated.state.createTopic("u", 1, 1, Map.of("bogus", "1"), 0))
            .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("bogus");
        assertThatThrownBy(() -> validated.state.createTopic("u", 1, 1, Map.of("min.insync.replicas", "0"), 0))
            .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("min.insync.replicas");
        assertThatThrownBy(() -> validated.state.createTopic("u", 1, 1, Map.of("unclean.leader.election.enable", "maybe"), 0))
            .isInstanceOf(InvalidConfigurationException.class);
        Map<String, String> tooMany = new HashMap<>();
        for (int i = 0; i <= TopicConfigRules.MAX_OVERRIDES; i++) {
            tooMany.put("k" + i, "v");
        }
        assertThatThrownBy(() -> validated.state.createTopic("u", 1, 1, tooMany, 0))
            .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("at most 1000");
    }

    @Test
    void anUnknownKeyIsNamedAsUnknownWhereverItIsGiven() {
        // proves: a key neither the controller nor the validator knows gets one line naming it, on create, set and
        // delete alike, and the validator is never asked about its value ("Invalid value ..." would suggest the key exists)
        List<Map<String, String>> seen = new ArrayList<>();
        ControllerHarness validated = new ControllerHarness(MetadataImage.EMPTY, ControllerConfig.defaults(), 1,
            new TopicConfigValidator() {
                @Override
                public void validate(Map<String, String> overrides) {
                    seen.add(overrides);
                }

                @Override
                public boolean knows(String key) {
                    return key.equals("retention.ms");
                }
            });
        validated.apply(validated.state.newControllerEpoch(0, 1));
        validated.registerAndUnfence(1);
        validated.apply(validated.state.createTopic("t", 1, 1, Map.of("retention.ms", "5"), 0));
        seen.clear();
        assertThatThrownBy(() -> validated.state.createTopic("u", 1, 1, Map.of("foo", "1"), 0))
            .isInstanceOf(InvalidConfigurationException.class).hasMessage("Unknown topic config 'foo'");
        assertThatThrownBy(() -> validated.state.alterConfigs("t", Map.of("foo", "delete"), List.of()))
            .isInstanceOf(InvalidConfigurationException.class).hasMessage("Unknown topic config 'foo'");
        assertThatThrownBy(() -> validated.state.alterConfigs("t", Map.of(), List.of("foo")))
            .isInstanceOf(InvalidConfigurationException.class).hasMessage("Unknown topic config 'foo'");
        assertThat(seen).isEmpty();
        assertThat(validated.state.alterConfigs("t", Map.of("min.insync.replicas", "1"), List.of("retention.ms"))
            .response()).isEqualTo(Map.of("min.insync.replicas", "1"));
    }

    @Test
    void deleteRemovesAndAllowsRecreationUnderANewId() {
        // proves: RemoveTopic answers the old id; the name can be reused and gets a different id
        Uuid first = h.createTopic("t", 2, 1).topicId();
        ControllerResult<Uuid> delete = h.state.deleteTopic("t");
        assertThat(delete.records()).containsExactly(new RemoveTopic("t"));
        assertThat(delete.response()).isEqualTo(first);
        h.apply(delete);
        assertThat(h.image().topic("t")).isEmpty();
        assertThat(h.createTopic("t", 1, 1).topicId()).isNotEqualTo(first);
        assertThatThrownBy(() -> h.state.deleteTopic("nope")).isInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void alterConfigsWritesTheFullOverrideMap() {
        // proves: set + delete give one TopicConfig with the whole new map; no change writes nothing
        h.apply(h.state.createTopic("t", 1, 1, Map.of("a", "1", "b", "2"), h.nowMs));
        ControllerResult<Map<String, String>> result = h.state.alterConfigs("t", Map.of("c", "3", "a", "9"), List.of("b"));
        assertThat(result.records()).containsExactly(new TopicConfig("t", Map.of("a", "9", "c", "3")));
        assertThat(result.response()).isEqualTo(Map.of("a", "9", "c", "3"));
        h.apply(result);
        assertThat(h.image().topic("t").orElseThrow().configs()).isEqualTo(Map.of("a", "9", "c", "3"));
        assertThat(h.state.alterConfigs("t", Map.of("a", "9"), List.of("zz")).records()).isEmpty();
        assertThatThrownBy(() -> h.state.alterConfigs("t", Map.of("a", "1"), List.of("a")))
            .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> h.state.alterConfigs("nope", Map.of(), List.of()))
            .isInstanceOf(UnknownTopicOrPartitionException.class);
        assertThatThrownBy(() -> h.state.alterConfigs("t", Map.of("min.insync.replicas", "x"), List.of()))
            .isInstanceOf(InvalidConfigurationException.class);
    }

    @Test
    void createPartitionsAddsPlacedPartitions() {
        // proves: new partitions continue the numbering with the topic's RF; shrinking and overflow are refused
        h.createTopic("t", 2, 2);
        ControllerResult<Integer> result = h.state.createPartitions("t", 5);
        assertThat(result.response()).isEqualTo(5);
        assertThat(result.records()).extracting(r -> ((Partition) r).partition()).containsExactly(2, 3, 4);
        assertThat(result.records()).allSatisfy(r -> assertThat(((Partition) r).replicas()).hasSize(2));
        h.apply(result);
        assertThat(h.image().topic("t").orElseThrow().partitionCount()).isEqualTo(5);
        assertThatThrownBy(() -> h.state.createPartitions("t", 5)).isInstanceOf(InvalidPartitionsException.class);
        assertThatThrownBy(() -> h.state.createPartitions("t", 3)).isInstanceOf(InvalidPartitionsException.class);
        assertThatThrownBy(() -> h.state.createPartitions("t", 10_001)).isInstanceOf(InvalidPartitionsException.class);
        assertThatThrownBy(() -> h.state.createPartitions("nope", 9)).isInstanceOf(UnknownTopicOrPartitionException.class);
        h.apply(h.state.fenceBroker(1, h.nowMs));
        h.apply(h.state.fenceBroker(2, h.nowMs));
        assertThatThrownBy(() -> h.state.createPartitions("t", 6)).isInstanceOf(InvalidReplicationFactorException.class);
    }

    @Test
    void sameSeedSameTopicIdsAndPlacement() {
        // proves: the controller's decisions are deterministic given its seed
        ControllerHarness other = ControllerHarness.withBrokers(1, 2, 3);
        assertThat(other.state.createTopic("t", 6, 2, Map.of(), 0).records())
            .isEqualTo(h.state.createTopic("t", 6, 2, Map.of(), 0).records());
    }
}
