package io.brook.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.GroupApi;
import io.brook.protocol.codec.BrookCodecs;
import io.brook.protocol.message.DescribeLogDirsRequest;
import io.brook.protocol.message.DescribeLogDirsResponse;
import io.brook.protocol.message.ListReassignmentsRequest;
import io.brook.protocol.message.ListReassignmentsResponse;
import io.brook.protocol.message.OffsetDeleteRequest;
import io.brook.protocol.message.OffsetDeleteResponse;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.ReassignPartitionRequest;
import io.brook.protocol.message.TopicPartitionRef;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.NoReassignmentInProgressException;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OffsetDelete, DescribeLogDirs and the partition reassignment APIs against stand-ins of Brook's addresses:
 * what is asked of Brook, and how its answers and refusals become Kafka's (top-level or per partition).
 */
class AdminApisTest {
  private Vertx vertx;
  private final List<Object> asked = new ArrayList<>();
  private boolean refuse;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    BrookCodecs.register(vertx.eventBus());
    vertx.eventBus().<OffsetDeleteRequest>consumer(GroupApi.OFFSET_DELETE.address(1), m -> {
      asked.add(m.body());
      if (m.body().groupId().equals("denied")) {
        BrookErrors.fail(m, new GroupAuthorizationException("no DELETE on group denied"));
      } else if (m.body().groupId().equals("ghost")) {
        m.reply(new OffsetDeleteResponse(Errors.GROUP_ID_NOT_FOUND.name(), List.of()));
      } else {
        m.reply(new OffsetDeleteResponse(null, List.of(new OffsetDeleteResponse.Partition("a", 0, "GROUP_SUBSCRIBED_TO_TOPIC"),
            new OffsetDeleteResponse.Partition("b", 1, null))));
      }
    });
    vertx.eventBus().<DescribeLogDirsRequest>consumer(Addresses.describeLogDirs(1), m -> {
      asked.add(m.body());
      if (refuse) {
        BrookErrors.fail(m, new ClusterAuthorizationException("no DESCRIBE on the cluster"));
        return;
      }
      m.reply(new DescribeLogDirsResponse(List.of(new DescribeLogDirsResponse.LogDir("/data/1", null, 1000, 400, List.of(
          new DescribeLogDirsResponse.PartitionSize("a", 0, 300, 0), new DescribeLogDirsResponse.PartitionSize("a", 1, 20, 7),
          new DescribeLogDirsResponse.PartitionSize("b", 0, 5, 0))))));
    });
    vertx.eventBus().<ReassignPartitionRequest>consumer(Addresses.REASSIGN_PARTITION, m -> {
      asked.add(m.body());
      if (refuse) {
        BrookErrors.fail(m, new ClusterAuthorizationException("no ALTER on the cluster"));
      } else if (m.body().replicas().isEmpty()) {
        BrookErrors.fail(m, new NoReassignmentInProgressException("a-" + m.body().partition() + " is not being reassigned"));
      } else {
        m.reply(new PartitionMetadata(m.body().partition(), 1, 0, m.body().replicas(), List.of(1)));
      }
    });
    vertx.eventBus().<ListReassignmentsRequest>consumer(Addresses.LIST_REASSIGNMENTS, m -> {
      asked.add(m.body());
      m.reply(new ListReassignmentsResponse(List.of(
          new ListReassignmentsResponse.Reassignment("a", 2, List.of(3, 1, 2), List.of(3), List.of(2)))));
    });
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private AbstractResponse handle(KafkaApi api, AbstractRequest request) {
    return api.handle(TestRequests.of(request)).await();
  }

  private static KafkaApi partitionApi(Vertx vertx, ApiKeys key) {
    return PartitionAdminApis.all(vertx, 1, null).stream().filter(a -> a.key() == key).findFirst().orElseThrow();
  }

  private OffsetDeleteResponseData deleteOffsets(String group) {
    KafkaApi api = GroupApis.all(vertx, 1).stream().filter(a -> a.key() == ApiKeys.OFFSET_DELETE).findFirst().orElseThrow();
    OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection topics = new OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection();
    topics.add(new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName("a").setPartitions(List.of(
        new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(0))));
    topics.add(new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName("b").setPartitions(List.of(
        new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(1))));
    return ((org.apache.kafka.common.requests.OffsetDeleteResponse) handle(api,
        new org.apache.kafka.common.requests.OffsetDeleteRequest.Builder(new OffsetDeleteRequestData().setGroupId(group)
            .setTopics(topics)).build((short) 0))).data();
  }

  @Test
  void offsetDeleteAnswersPerPartitionOrForTheWholeGroup() {
    OffsetDeleteResponseData busy = deleteOffsets("busy");
    assertThat(asked).singleElement().isEqualTo(new OffsetDeleteRequest("busy", List.of(new TopicPartitionRef("a", 0),
        new TopicPartitionRef("b", 1))));
    assertThat(busy.errorCode()).isEqualTo(Errors.NONE.code());
    assertThat(busy.topics().find("a").partitions().find(0).errorCode()).isEqualTo(Errors.GROUP_SUBSCRIBED_TO_TOPIC.code());
    assertThat(busy.topics().find("b").partitions().find(1).errorCode()).isEqualTo(Errors.NONE.code());
    assertThat(deleteOffsets("ghost").errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
    OffsetDeleteResponseData denied = deleteOffsets("denied");
    assertThat(denied.errorCode()).isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED.code());
    assertThat(denied.topics()).isEmpty();
  }

  @Test
  void logDirsByTopicAndARefusalForTheWholeRequest() {
    KafkaApi api = LogDirsApi.describeLogDirs(vertx, 1);
    DescribeLogDirsRequestData.DescribableLogDirTopicCollection topics = new DescribeLogDirsRequestData.DescribableLogDirTopicCollection();
    topics.add(new DescribeLogDirsRequestData.DescribableLogDirTopic().setTopic("a").setPartitions(List.of(0, 1)));
    DescribeLogDirsResponseData data = ((org.apache.kafka.common.requests.DescribeLogDirsResponse) handle(api,
        new org.apache.kafka.common.requests.DescribeLogDirsRequest.Builder(new DescribeLogDirsRequestData().setTopics(topics))
            .build((short) 4))).data();
    assertThat(asked).singleElement().isEqualTo(new DescribeLogDirsRequest(List.of(new TopicPartitionRef("a", 0),
        new TopicPartitionRef("a", 1))));
    assertThat(data.errorCode()).isEqualTo(Errors.NONE.code());
    assertThat(data.results()).singleElement().satisfies(dir -> {
      assertThat(dir.logDir()).isEqualTo("/data/1");
      assertThat(dir.totalBytes()).isEqualTo(1000);
      assertThat(dir.usableBytes()).isEqualTo(400);
      assertThat(dir.topics()).extracting(DescribeLogDirsResponseData.DescribeLogDirsTopic::name).containsExactly("a", "b");
      assertThat(dir.topics().get(0).partitions()).extracting(p -> p.partitionIndex() + ":" + p.partitionSize() + ":"
          + p.offsetLag()).containsExactly("0:300:0", "1:20:7");
    });
    refuse = true;
    DescribeLogDirsResponseData all = ((org.apache.kafka.common.requests.DescribeLogDirsResponse) handle(api,
        new org.apache.kafka.common.requests.DescribeLogDirsRequest.Builder(new DescribeLogDirsRequestData().setTopics(null))
            .build((short) 4))).data();
    assertThat(asked.get(1)).isEqualTo(new DescribeLogDirsRequest(null));
    assertThat(all.errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
    assertThat(all.results()).isEmpty();
  }

  private AlterPartitionReassignmentsResponseData alter(List<Integer> replicas0, List<Integer> replicas1) {
    List<AlterPartitionReassignmentsRequestData.ReassignableTopic> topics = new ArrayList<>();
    topics.add(new AlterPartitionReassignmentsRequestData.ReassignableTopic().setName("a").setPartitions(List.of(
        new AlterPartitionReassignmentsRequestData.ReassignablePartition().setPartitionIndex(0).setReplicas(replicas0),
        new AlterPartitionReassignmentsRequestData.ReassignablePartition().setPartitionIndex(1).setReplicas(replicas1))));
    return ((org.apache.kafka.common.requests.AlterPartitionReassignmentsResponse) handle(
        partitionApi(vertx, ApiKeys.ALTER_PARTITION_REASSIGNMENTS),
        new org.apache.kafka.common.requests.AlterPartitionReassignmentsRequest.Builder(
            new AlterPartitionReassignmentsRequestData().setTopics(topics)).build((short) 0))).data();
  }

  @Test
  void reassignmentsAreStartedAndCancelledPerPartitionAndRefusedWhole() {
    AlterPartitionReassignmentsResponseData data = alter(List.of(3, 1), null);
    assertThat(asked).containsExactlyInAnyOrder(new ReassignPartitionRequest("a", 0, List.of(3, 1)),
        new ReassignPartitionRequest("a", 1, List.of())); // null replicas: Brook's cancel
    assertThat(data.errorCode()).isEqualTo(Errors.NONE.code());
    assertThat(data.responses()).singleElement().satisfies(topic -> assertThat(topic.partitions())
        .extracting(p -> p.partitionIndex() + ":" + Errors.forCode(p.errorCode()))
        .containsExactly("0:NONE", "1:NO_REASSIGNMENT_IN_PROGRESS"));
    asked.clear();
    assertThat(alter(List.of(), List.of(2)).responses().get(0).partitions().get(0).errorCode())
        .as("an empty list is no cancel").isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT.code());
    assertThat(asked).containsExactly(new ReassignPartitionRequest("a", 1, List.of(2)));
    refuse = true;
    assertThat(alter(List.of(1), List.of(2)).errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
  }

  @Test
  void reassignmentsInProgressAreListed() {
    ListPartitionReassignmentsRequestData.ListPartitionReassignmentsTopics topic =
        new ListPartitionReassignmentsRequestData.ListPartitionReassignmentsTopics().setName("a").setPartitionIndexes(List.of(2, 5));
    ListPartitionReassignmentsResponseData data = ((org.apache.kafka.common.requests.ListPartitionReassignmentsResponse)
        handle(partitionApi(vertx, ApiKeys.LIST_PARTITION_REASSIGNMENTS),
            new org.apache.kafka.common.requests.ListPartitionReassignmentsRequest.Builder(
                new ListPartitionReassignmentsRequestData().setTopics(List.of(topic))).build((short) 0))).data();
    assertThat(asked).singleElement().isEqualTo(new ListReassignmentsRequest(List.of(new TopicPartitionRef("a", 2),
        new TopicPartitionRef("a", 5))));
    assertThat(data.errorCode()).isEqualTo(Errors.NONE.code());
    assertThat(data.topics()).singleElement().satisfies(t -> {
      assertThat(t.name()).isEqualTo("a");
      assertThat(t.partitions()).singleElement().satisfies(p -> {
        assertThat(p.partitionIndex()).isEqualTo(2);
        assertThat(p.replicas()).containsExactly(3, 1, 2);
        assertThat(p.addingReplicas()).containsExactly(3);
        assertThat(p.removingReplicas()).containsExactly(2);
      });
    });
  }
}
