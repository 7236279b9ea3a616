package io.brook.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.junit.jupiter.api.Test;

/** Manual replica assignments of CreateTopics and CreatePartitions: used verbatim, or refused as Kafka refuses them. */
class ManualAssignmentTest {

    final ControllerHarness h = ControllerHarness.withBrokers(1, 2, 3);

    ControllerResult<CreateTopicReply> create(String name, Map<Integer, List<Integer>> assignments) {
        return h.state.createTopic(name, -1, -1, Map.of(), assignments, h.nowMs);
    }

    @Test
    void aValidAssignmentIsUsedVerbatim() {
        // proves: each partition gets exactly its listed replicas in order, all in sync, the first leading; the
        // replication factor is the lists' length
        ControllerResult<CreateTopicReply> result = create("t", Map.of(0, List.of(3, 1), 1, List.of(2, 3), 2, List.of(1, 2)));
        CreateTopic topic = (CreateTopic) result.records().get(0);
        assertThat(topic.replicationFactor()).isEqualTo(2);
        assertThat(result.response()).isEqualTo(new CreateTopicReply(topic.topicId(), 3, 2));
        assertThat(result.records().subList(1, 4)).containsExactly(
            new Partition("t", 0, List.of(3, 1), List.of(3, 1), 3, 0, 0),
            new Partition("t", 1, List.of(2, 3), List.of(2, 3), 2, 0, 0),
            new Partition("t", 2, List.of(1, 2), List.of(1, 2), 1, 0, 0));
        h.apply(result);
        assertThat(h.partition("t", 0).replicas()).containsExactly(3, 1);
        assertThat(h.partition("t", 1).leader()).isEqualTo(2);
    }

    @Test
    void zeroCountsAreUnsetToo() {
        // proves: a Brook body that leaves partitions and replicationFactor out (0) is an assignment-only creation
        CreateTopicReply reply = h.apply(h.state.createTopic("t", 0, 0, Map.of(), Map.of(0, List.of(2)), h.nowMs));
        assertThat(reply.partitions()).isEqualTo(1);
        assertThat(h.partition("t", 0).replicas()).containsExactly(2);
    }

    @Test
    void aFencedFirstReplicaNeitherLeadsNorIsInSync() {
        // proves: the first unfenced replica leads, and only unfenced replicas start in the ISR (as Kafka)
        h.apply(h.state.fenceBroker(3, h.nowMs));
        ControllerResult<CreateTopicReply> result = create("t", Map.of(0, List.of(3, 1, 2)));
        assertThat(result.records().get(1)).isEqualTo(new Partition("t", 0, List.of(3, 1, 2), List.of(1, 2), 1, 0, 0));
        assertThatThrownBy(() -> create("u", Map.of(0, List.of(3))))
            .isInstanceOf(InvalidReplicaAssignmentException.class).hasMessageContaining("are fenced");
    }

    @Test
    void eachInvalidAssignmentIsRefused() {
        // proves: a gap, a negative index, an empty or null list, lists of different lengths, a broker twice, an
        // unregistered or null broker are each INVALID_REPLICA_ASSIGNMENT with the reason, and nothing is planned
        Map<String, Map<Integer, List<Integer>>> refused = new HashMap<>();
        refused.put("a gap", Map.of(0, List.of(1), 2, List.of(2)));
        refused.put("no partition 0", Map.of(1, List.of(1)));
        refused.put("a negative index", Map.of(-1, List.of(1), 0, List.of(2)));
        refused.put("an empty list", Map.of(0, List.of(1), 1, List.of()));
        Map<Integer, List<Integer>> nullList = new HashMap<>();
        nullList.put(0, null);
        refused.put("a null list", nullList);
        refused.put("different lengths", Map.of(0, List.of(1, 2), 1, List.of(3)));
        refused.put("a broker twice", Map.of(0, List.of(1, 2, 1)));
        refused.put("an unregistered broker", Map.of(0, List.of(1, 9)));
        refused.put("a null broker", Map.of(0, Arrays.asList(1, null)));
        Map<String, String> messages = Map.of("a gap", "consecutive 0-based", "no partition 0", "consecutive 0-based",
            "a negative index", "consecutive 0-based", "an empty list", "empty replica list", "a null list",
            "empty replica list", "different lengths", "not consistent with previous partitions",
            "a broker twice", "more than once", "an unregistered broker", "broker 9, but no such broker is registered",
            "a null broker", "no such broker is registered");
        refused.forEach((kind, assignment) -> assertThatThrownBy(() -> create("t", assignment)).as(kind)
            .isInstanceOf(InvalidReplicaAssignmentException.class).hasMessageContaining(messages.get(kind)));
        assertThat(h.image().topics()).isEmpty();
    }

    @Test
    void anAssignmentWithACountOrAFactorIsAnInvalidRequest() {
        // proves: as Kafka, numPartitions or replicationFactor set beside an assignment is INVALID_REQUEST
        String both = "Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used "
            + "at the same time.";
        assertThatThrownBy(() -> h.state.createTopic("t", 1, -1, Map.of(), Map.of(0, List.of(1)), h.nowMs))
            .isInstanceOf(InvalidRequestException.class).hasMessage(both);
        assertThatThrownBy(() -> h.state.createTopic("t", -1, 1, Map.of(), Map.of(0, List.of(1)), h.nowMs))
            .isInstanceOf(InvalidRequestException.class).hasMessage(both);
    }

    @Test
    void theLimitsOfAPlacementApply() {
        // proves: max.partitions.per.topic and max.replicas.per.broker bound a manual assignment as a placed one
        ControllerHarness bounded = ControllerHarness.withBrokers(ControllerHarness.config(Map.of(
            ControllerConfig.MAX_PARTITIONS_PER_TOPIC, 2, ControllerConfig.MAX_REPLICAS_PER_BROKER, 2)), 1, 2);
        assertThatThrownBy(() -> bounded.state.createTopic("t", -1, -1, Map.of(),
            Map.of(0, List.of(1), 1, List.of(1), 2, List.of(2)), bounded.nowMs)).isInstanceOf(InvalidPartitionsException.class);
        bounded.apply(bounded.state.createTopic("t", -1, -1, Map.of(), Map.of(0, List.of(1), 1, List.of(1)), bounded.nowMs));
        assertThatThrownBy(() -> bounded.state.createTopic("u", -1, -1, Map.of(), Map.of(0, List.of(1)), bounded.nowMs))
            .isInstanceOf(PolicyViolationException.class).hasMessageContaining("broker 1");
    }

    @Test
    void aRequestChangesNothingUntilItsRecordsAreApplied() {
        // proves: what a validate-only request relies on: a checked creation or addition leaves the image as it was
        h.createTopic("grown", 1, 2);
        MetadataImage before = h.image();
        assertThat(create("t", Map.of(0, List.of(1, 2))).records()).hasSize(2);
        assertThat(h.state.createPartitions("grown", 2, List.of(List.of(3, 1))).records()).hasSize(1);
        assertThat(h.image()).isSameAs(before);
    }

    @Test
    void addedPartitionsTakeTheirListsVerbatim() {
        // proves: one list per new partition, numbered after the existing ones, first replica leading
        h.createTopic("t", 1, 2);
        ControllerResult<Integer> result = h.state.createPartitions("t", 3, List.of(List.of(1, 2), List.of(3, 1)));
        assertThat(result.response()).isEqualTo(3);
        assertThat(result.records()).containsExactly(
            new Partition("t", 1, List.of(1, 2), List.of(1, 2), 1, 0, 0),
            new Partition("t", 2, List.of(3, 1), List.of(3, 1), 3, 0, 0));
        h.apply(result);
        assertThat(h.partition("t", 2).replicas()).containsExactly(3, 1);
    }

    @Test
    void invalidAdditionsAreRefused() {
        // proves: a count mismatch, a list of another length than the topic's replication factor, a duplicate or
        // unknown broker are INVALID_REPLICA_ASSIGNMENT; a fenced-only list too; nothing is added
        h.createTopic("t", 1, 2);
        assertThatThrownBy(() -> h.state.createPartitions("t", 3, List.of(List.of(1, 2))))
            .isInstanceOf(InvalidReplicaAssignmentException.class)
            .hasMessage("Attempted to add 2 additional partition(s), but only 1 assignment(s) were specified.");
        List<List<Integer>> withNull = new ArrayList<>();
        withNull.add(null);
        for (List<List<Integer>> lists : List.of(List.of(List.of(1)), List.of(List.of(1, 2, 3)), List.of(List.of(2, 2)),
                List.of(List.of(1, 9)), List.<List<Integer>>of(List.of()), withNull)) {
            assertThatThrownBy(() -> h.state.createPartitions("t", 2, lists)).as(String.valueOf(lists))
                .isInstanceOf(InvalidReplicaAssignmentException.class);
        }
        h.apply(h.state.fenceBroker(1, h.nowMs));
        h.apply(h.state.fenceBroker(2, h.nowMs));
        assertThatThrownBy(() -> h.state.createPartitions("t", 2, List.of(List.of(1, 2))))
            .isInstanceOf(InvalidReplicaAssignmentException.class).hasMessageContaining("are fenced");
        assertThat(h.image().topic("t").orElseThrow().partitionCount()).isEqualTo(1);
        // one unfenced broker in the list is enough, where a placement would need two
        h.apply(h.state.createPartitions("t", 2, List.of(List.of(1, 3))));
        assertThat(h.partition("t", 1).isr()).containsExactly(3);
        assertThat(h.partition("t", 1).leader()).isEqualTo(3);
    }
}
