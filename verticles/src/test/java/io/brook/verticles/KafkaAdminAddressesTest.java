package io.brook.verticles;

import static io.brook.verticles.BrokerHarness.NODE_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.brook.protocol.Addresses;
import io.brook.protocol.message.CreatePartitionsRequest;
import io.brook.protocol.message.CreateTopicRequest;
import io.brook.protocol.message.DescribeLogDirsRequest;
import io.brook.protocol.message.DescribeLogDirsResponse;
import io.brook.protocol.message.ListReassignmentsRequest;
import io.brook.protocol.message.ListReassignmentsResponse;
import io.brook.protocol.message.MetadataRequest;
import io.brook.protocol.message.MetadataResponse;
import io.brook.protocol.message.TopicMetadata;
import io.brook.protocol.message.TopicPartitionRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import io.brook.storage.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker side of Kafka's newer admin APIs on one in-process broker: Metadata by topic id and with
 * auto-creation, validate-only creation, manual replica assignments, the reassignments listing and the log dirs.
 */
class KafkaAdminAddressesTest {
  @TempDir
  Path root;
  BrokerHarness broker;

  @AfterEach
  void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  private BrokerHarness start(Map<String, Object> config) throws Exception {
    broker = new BrokerHarness(Files.createDirectories(root.resolve("data")), config, Time.SYSTEM);
    return broker;
  }

  private MetadataResponse metadata(MetadataRequest request) {
    return broker.calls.request(Addresses.metadata(NODE_ID), request);
  }

  @Test
  void topicsByIdAnUnknownIdAndAnInternalOne() throws Exception {
    start(Map.of());
    TopicMetadata orders = broker.calls.createTopic("orders", 2, Map.of());
    String unknown = Uuid.randomUuid().toString();
    MetadataResponse answer = metadata(new MetadataRequest(List.of(), List.of(orders.topicId(), unknown, "not-an-id"),
        false));
    assertThat(answer.topics()).hasSize(3);
    assertThat(answer.topics().get(0).name()).isEqualTo("orders");
    assertThat(answer.topics().get(0).partitions()).hasSize(2);
    assertThat(answer.topics().subList(1, 3)).allSatisfy(t -> {
      assertThat(t.name()).isNull();
      assertThat(t.error()).isEqualTo(Errors.UNKNOWN_TOPIC_ID.name());
    }).extracting(TopicMetadata::topicId).containsExactly(unknown, "not-an-id");
  }

  @Test
  void autoCreationOnlyWhenTheBrokerAndTheRequestAllowIt() throws Exception {
    start(Map.of("auto.create.topics.enable", true));
    assertThat(metadata(new MetadataRequest(List.of("fresh"), List.of(), false)).topics().get(0).error())
        .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.name());
    TopicMetadata created = metadata(new MetadataRequest(List.of("fresh"), List.of(), true)).topics().get(0);
    assertThat(created.error()).isNull();
    assertThat(created.partitions()).hasSize(1); // num.partitions
    assertThat(created.topicId()).isNotNull();
    // never an internal topic, never a bad name
    assertThat(metadata(new MetadataRequest(List.of("__secret", "bad/name"), List.of(), true)).topics())
        .extracting(TopicMetadata::error)
        .containsExactly(Errors.INVALID_TOPIC_EXCEPTION.name(), Errors.INVALID_TOPIC_EXCEPTION.name());
    assertThat(metadata(MetadataRequest.all()).topics()).extracting(TopicMetadata::name).containsExactly("fresh");
  }

  @Test
  void autoCreationIsOffByDefault() throws Exception {
    start(Map.of());
    assertThat(metadata(new MetadataRequest(List.of("fresh"), List.of(), true)).topics().get(0).error())
        .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.name());
    assertThat(metadata(MetadataRequest.all()).topics()).isEmpty();
  }

  @Test
  void validateOnlyCreatesNothingAndRefusesAsACreationWould() throws Exception {
    start(Map.of());
    TopicMetadata checked = broker.calls.request(Addresses.CREATE_TOPIC,
        new CreateTopicRequest("checked", 4, (short) 1, Map.of(), true));
    assertThat(checked.partitions()).hasSize(4).allSatisfy(p -> assertThat(p.replicas()).containsExactly(NODE_ID));
    assertThat(checked.topicId()).isNull();
    assertThat(metadata(MetadataRequest.all()).topics()).isEmpty();
    assertThat(broker.calls.errorOf(Addresses.CREATE_TOPIC, new CreateTopicRequest("checked", 1, (short) 2, Map.of(), true)))
        .isEqualTo(Errors.INVALID_REPLICATION_FACTOR);
    assertThat(broker.calls.errorOf(Addresses.CREATE_TOPIC, new CreateTopicRequest("checked", 1, (short) 1,
        Map.of("retention.ms", "soon"), true))).isEqualTo(Errors.INVALID_CONFIG);
  }

  @Test
  void manualAssignmentsReachTheController() throws Exception {
    // proves: Brook's own create-topic and create-partitions carry a manual assignment through the controller:
    // validate-only answers the listed replicas and writes nothing, a real request creates exactly them, and an
    // unknown broker or a count mismatch is INVALID_REPLICA_ASSIGNMENT
    start(Map.of());
    TopicMetadata checked = broker.calls.request(Addresses.CREATE_TOPIC,
        CreateTopicRequest.assigned("assigned", Map.of(0, List.of(NODE_ID), 1, List.of(NODE_ID)), Map.of(), true));
    assertThat(checked.partitions()).hasSize(2).allSatisfy(p -> assertThat(p.replicas()).containsExactly(NODE_ID));
    assertThat(checked.topicId()).isNull();
    assertThat(metadata(MetadataRequest.all()).topics()).isEmpty();
    assertThat(broker.calls.errorOf(Addresses.CREATE_TOPIC, CreateTopicRequest.assigned("assigned",
        Map.of(0, List.of(NODE_ID, 9)), Map.of(), false))).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
    TopicMetadata created = broker.calls.request(Addresses.CREATE_TOPIC,
        CreateTopicRequest.assigned("assigned", Map.of(0, List.of(NODE_ID)), Map.of(), false));
    assertThat(created.partitions()).singleElement().satisfies(p -> {
      assertThat(p.replicas()).containsExactly(NODE_ID);
      assertThat(p.leader()).isEqualTo(NODE_ID);
    });

    broker.calls.request(Addresses.CREATE_PARTITIONS,
        new CreatePartitionsRequest("assigned", 2, true, List.of(List.of(NODE_ID))));
    assertThat(metadata(new MetadataRequest(List.of("assigned"))).topics().get(0).partitions()).hasSize(1);
    assertThat(broker.calls.errorOf(Addresses.CREATE_PARTITIONS,
        new CreatePartitionsRequest("assigned", 3, false, List.of(List.of(NODE_ID)))))
        .isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
    TopicMetadata grown = broker.calls.request(Addresses.CREATE_PARTITIONS,
        new CreatePartitionsRequest("assigned", 2, false, List.of(List.of(NODE_ID))));
    assertThat(grown.partitions()).hasSize(2);
    assertThat(grown.partitions().get(1).replicas()).containsExactly(NODE_ID);
  }

  @Test
  void logDirsHaveTheHostedPartitionsWithTheirSizesAndNoReassignmentRuns() throws Exception {
    start(Map.of());
    broker.calls.createTopic("orders", 2, Map.of());
    broker.calls.produce("orders", 1, "a", "b", "c");
    DescribeLogDirsResponse all = broker.calls.request(Addresses.describeLogDirs(NODE_ID), new DescribeLogDirsRequest(null));
    assertThat(all.logDirs()).singleElement().satisfies(dir -> {
      assertThat(dir.path()).isEqualTo(broker.dataDir.toAbsolutePath().normalize().toString());
      assertThat(dir.error()).isNull();
      assertThat(dir.totalBytes()).isPositive();
      assertThat(dir.usableBytes()).isPositive().isLessThanOrEqualTo(dir.totalBytes());
      assertThat(dir.partitions()).extracting(p -> p.topic() + "-" + p.partition())
          .containsExactlyInAnyOrder("orders-0", "orders-1");
      assertThat(dir.partitions()).filteredOn(p -> p.partition() == 1).singleElement()
          .satisfies(p -> assertThat(p.sizeBytes()).isPositive());
      assertThat(dir.partitions()).allSatisfy(p -> assertThat(p.offsetLag()).isZero());
    });
    DescribeLogDirsResponse one = broker.calls.request(Addresses.describeLogDirs(NODE_ID),
        new DescribeLogDirsRequest(List.of(new TopicPartitionRef("orders", 0), new TopicPartitionRef("other", 0))));
    assertThat(one.logDirs().get(0).partitions()).extracting(p -> p.topic() + "-" + p.partition())
        .containsExactly("orders-0");
    ListReassignmentsResponse none = broker.calls.request(Addresses.LIST_REASSIGNMENTS, new ListReassignmentsRequest(null));
    assertThat(none.reassignments()).isEmpty();
  }

  /** What a client without ACLs gets on each new address; with DESCRIBE on the cluster, the reads pass. */
  @Test
  void theAclsApplyToEveryNewAddress() throws Exception {
    start(Map.of("authorizer.enabled", true, "auto.create.topics.enable", true));
    TopicMetadata orders = broker.calls.createTopic("orders", 1, Map.of());
    io.vertx.core.eventbus.DeliveryOptions alice = new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(10_000)
        .addHeader(Addresses.PRINCIPAL_HEADER, "User:alice").addHeader(Addresses.CLIENT_HOST_HEADER, "127.0.0.1");
    java.util.function.BiFunction<String, Object, Errors> asAlice = (address, body) -> {
      try {
        broker.vertx.eventBus().request(address, body, alice).await();
        return Errors.NONE;
      } catch (io.vertx.core.eventbus.ReplyException e) {
        return Errors.forCode((short) e.failureCode());
      }
    };
    assertThat(asAlice.apply(Addresses.describeLogDirs(NODE_ID), new DescribeLogDirsRequest(null)))
        .isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED);
    assertThat(asAlice.apply(Addresses.LIST_REASSIGNMENTS, new ListReassignmentsRequest(null)))
        .isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED);
    assertThat(asAlice.apply(Addresses.REASSIGN_PARTITION, new io.brook.protocol.message.ReassignPartitionRequest(
        "orders", 0, List.of(NODE_ID)))).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED);
    assertThat(asAlice.apply(io.brook.protocol.GroupApi.OFFSET_DELETE.address(NODE_ID),
        new io.brook.protocol.message.OffsetDeleteRequest("g", List.of(new TopicPartitionRef("orders", 0)))))
        .isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED);
    assertThat(asAlice.apply(Addresses.CREATE_TOPIC, new CreateTopicRequest("checked", 1, (short) 1, Map.of(), true)))
        .isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED);
    MetadataResponse byId = (MetadataResponse) broker.vertx.eventBus().request(Addresses.metadata(NODE_ID),
        new MetadataRequest(List.of("fresh"), List.of(orders.topicId()), true), alice).await().body();
    assertThat(byId.topics()).extracting(TopicMetadata::name, TopicMetadata::error).containsExactly(
        org.assertj.core.groups.Tuple.tuple("fresh", Errors.TOPIC_AUTHORIZATION_FAILED.name()),
        org.assertj.core.groups.Tuple.tuple(null, Errors.TOPIC_AUTHORIZATION_FAILED.name()));
    assertThat(metadata(MetadataRequest.all()).topics()).extracting(TopicMetadata::name).containsExactly("orders");

    broker.calls.request(Addresses.CREATE_ACLS, new io.brook.protocol.message.CreateAclsRequest(List.of(
        new io.brook.protocol.message.AclEntry("CLUSTER", "kafka-cluster", "LITERAL", "User:alice", "*", "DESCRIBE", "ALLOW"),
        new io.brook.protocol.message.AclEntry("TOPIC", "*", "LITERAL", "User:alice", "*", "DESCRIBE", "ALLOW"),
        new io.brook.protocol.message.AclEntry("TOPIC", "*", "LITERAL", "User:alice", "*", "CREATE", "ALLOW"))));
    assertThat(asAlice.apply(Addresses.describeLogDirs(NODE_ID), new DescribeLogDirsRequest(null))).isEqualTo(Errors.NONE);
    assertThat(asAlice.apply(Addresses.LIST_REASSIGNMENTS, new ListReassignmentsRequest(null))).isEqualTo(Errors.NONE);
    MetadataResponse allowed = (MetadataResponse) broker.vertx.eventBus().request(Addresses.metadata(NODE_ID),
        new MetadataRequest(List.of("fresh"), List.of(orders.topicId()), true), alice).await().body();
    assertThat(allowed.topics()).extracting(TopicMetadata::name, TopicMetadata::error).containsExactly(
        org.assertj.core.groups.Tuple.tuple("fresh", null), org.assertj.core.groups.Tuple.tuple("orders", null));
  }
}
