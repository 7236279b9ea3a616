package io.brook.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.codec.BrookCodecs;
import io.brook.protocol.message.CreatePartitionsRequest;
import io.brook.protocol.message.CreateTopicRequest;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.TopicMetadata;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CreateTopics' and CreatePartitions' manual replica assignments against stand-ins of Brook's admin addresses:
 * what the controller is asked, and Kafka's refusals the listener makes itself or passes on.
 */
class ManualAssignmentApisTest {
  private Vertx vertx;
  private final List<Object> asked = new ArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    BrookCodecs.register(vertx.eventBus());
    // the controller's stand-in: broker 9 is not registered
    vertx.eventBus().<CreateTopicRequest>consumer(Addresses.CREATE_TOPIC, m -> {
      asked.add(m.body());
      if (m.body().assignments().values().stream().anyMatch(replicas -> replicas.contains(9))) {
        BrookErrors.fail(m, new InvalidReplicaAssignmentException("broker 9 is not registered"));
        return;
      }
      List<PartitionMetadata> partitions = new ArrayList<>();
      m.body().assignments().forEach((p, replicas) ->
          partitions.add(new PartitionMetadata(p, replicas.get(0), 0, replicas, replicas)));
      m.reply(new TopicMetadata(m.body().name(), null, (short) partitions.get(0).replicas().size(), partitions,
          "Tk2m6yU3Q0S1vfEeZbPQfA"));
    });
    vertx.eventBus().<CreatePartitionsRequest>consumer(Addresses.CREATE_PARTITIONS, m -> {
      asked.add(m.body());
      if (m.body().assignments() != null && m.body().assignments().size() != m.body().count() - 1) {
        BrookErrors.fail(m, new InvalidReplicaAssignmentException("Attempted to add " + (m.body().count() - 1)
            + " additional partition(s), but only " + m.body().assignments().size() + " assignment(s) were specified."));
        return;
      }
      m.reply(new TopicMetadata(m.body().name(), null, (short) 2, List.of(), null));
    });
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private static CreateTopicsRequestData.CreatableTopic topic(String name, int partitions, int replicationFactor,
      Map<Integer, List<Integer>> assignments) {
    CreateTopicsRequestData.CreatableReplicaAssignmentCollection collection =
        new CreateTopicsRequestData.CreatableReplicaAssignmentCollection();
    assignments.forEach((p, replicas) -> collection.add(new CreateTopicsRequestData.CreatableReplicaAssignment()
        .setPartitionIndex(p).setBrokerIds(replicas)));
    return new CreateTopicsRequestData.CreatableTopic().setName(name).setNumPartitions(partitions)
        .setReplicationFactor((short) replicationFactor).setAssignments(collection);
  }

  private CreateTopicsResponseData create(CreateTopicsRequestData.CreatableTopic... topics) {
    CreateTopicsRequestData.CreatableTopicCollection collection = new CreateTopicsRequestData.CreatableTopicCollection();
    List.of(topics).forEach(collection::add);
    return ((org.apache.kafka.common.requests.CreateTopicsResponse) TopicAdminApis.createTopics(vertx).handle(
        TestRequests.of(new org.apache.kafka.common.requests.CreateTopicsRequest.Builder(
            new CreateTopicsRequestData().setTopics(collection).setTimeoutMs(5_000)).build((short) 7))).await()).data();
  }

  private static String outcome(CreateTopicsResponseData data, String name) {
    CreateTopicsResponseData.CreatableTopicResult result = data.topics().find(name);
    String message = result.errorMessage();
    return Errors.forCode(result.errorCode()) + (message == null || message.isEmpty() ? "" : ": " + message);
  }

  @Test
  void aCreationWithAnAssignmentAsksTheControllerForExactlyThoseReplicas() {
    // proves: -1/-1 and an assignment become Brook's assigned creation; the answer has the assignment's counts
    CreateTopicsResponseData data = create(topic("assigned", -1, -1, Map.of(0, List.of(3, 1), 1, List.of(2, 3))));
    assertThat(asked).containsExactly(CreateTopicRequest.assigned("assigned",
        Map.of(0, List.of(3, 1), 1, List.of(2, 3)), Map.of(), false));
    assertThat(outcome(data, "assigned")).isEqualTo("NONE");
    assertThat(data.topics().find("assigned").numPartitions()).isEqualTo(2);
    assertThat(data.topics().find("assigned").replicationFactor()).isEqualTo((short) 2);
  }

  @Test
  void refusalsAreKafkas() {
    // proves: an assignment beside a count or a factor is INVALID_REQUEST with Kafka's message and a partition
    // given twice INVALID_REPLICA_ASSIGNMENT, neither asked of the controller; the controller's refusal is passed on
    CreateTopicsRequestData.CreatableTopic twice = topic("twice", -1, -1, Map.of(0, List.of(1)));
    twice.assignments().add(new CreateTopicsRequestData.CreatableReplicaAssignment().setPartitionIndex(0)
        .setBrokerIds(List.of(2)));
    CreateTopicsResponseData data = create(topic("counted", 2, -1, Map.of(0, List.of(1))),
        topic("factored", -1, 1, Map.of(0, List.of(1))), twice, topic("unknown", -1, -1, Map.of(0, List.of(9))));
    String both = "INVALID_REQUEST: Both numPartitions or replicationFactor and replicasAssignments were set. "
        + "Both cannot be used at the same time.";
    assertThat(outcome(data, "counted")).isEqualTo(both);
    assertThat(outcome(data, "factored")).isEqualTo(both);
    assertThat(outcome(data, "twice"))
        .isEqualTo("INVALID_REPLICA_ASSIGNMENT: Found multiple manual partition assignments for partition 0");
    assertThat(outcome(data, "unknown")).startsWith("INVALID_REPLICA_ASSIGNMENT: ").endsWith("broker 9 is not registered");
    assertThat(asked).extracting(r -> ((CreateTopicRequest) r).name()).containsExactly("unknown");
  }

  private CreatePartitionsResponseData grow(int count, List<List<Integer>> assignments) {
    CreatePartitionsRequestData.CreatePartitionsTopicCollection topics =
        new CreatePartitionsRequestData.CreatePartitionsTopicCollection();
    topics.add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName("a").setCount(count)
        .setAssignments(assignments == null ? null : assignments.stream().map(replicas ->
            new CreatePartitionsRequestData.CreatePartitionsAssignment().setBrokerIds(replicas)).toList()));
    KafkaApi api = PartitionAdminApis.all(vertx, 1, null).stream().filter(a -> a.key() == ApiKeys.CREATE_PARTITIONS)
        .findFirst().orElseThrow();
    return ((org.apache.kafka.common.requests.CreatePartitionsResponse) api.handle(TestRequests.of(
        new org.apache.kafka.common.requests.CreatePartitionsRequest.Builder(new CreatePartitionsRequestData()
            .setTopics(topics).setTimeoutMs(5_000)).build((short) 3))).await()).data();
  }

  @Test
  void addedPartitionsCarryTheirReplicaLists() {
    // proves: one list per new partition reaches the controller in order; none stays none; a count mismatch comes
    // back as INVALID_REPLICA_ASSIGNMENT
    assertThat(grow(3, List.of(List.of(1, 2), List.of(3, 1))).results().get(0).errorCode()).isEqualTo(Errors.NONE.code());
    assertThat(grow(2, null).results().get(0).errorCode()).isEqualTo(Errors.NONE.code());
    assertThat(asked).containsExactly(new CreatePartitionsRequest("a", 3, false, List.of(List.of(1, 2), List.of(3, 1))),
        new CreatePartitionsRequest("a", 2));
    CreatePartitionsResponseData.CreatePartitionsTopicResult mismatch = grow(3, List.of(List.of(1, 2))).results().get(0);
    assertThat(Errors.forCode(mismatch.errorCode())).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
    assertThat(mismatch.errorMessage()).contains("Attempted to add 2 additional partition(s)");
  }
}
