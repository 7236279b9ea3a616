package io.brook.verticles.groups;

import static io.brook.verticles.BrokerHarness.NODE_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.protocol.Addresses;
import io.brook.protocol.GroupApi;
import io.brook.protocol.message.DeleteGroupsRequest;
import io.brook.protocol.message.DeleteGroupsResponse;
import io.brook.protocol.message.DescribeGroupsRequest;
import io.brook.protocol.message.DescribeGroupsResponse;
import io.brook.protocol.message.FindCoordinatorRequest;
import io.brook.protocol.message.FindCoordinatorResponse;
import io.brook.protocol.message.HeartbeatRequest;
import io.brook.protocol.message.HeartbeatResponse;
import io.brook.protocol.message.JoinGroupRequest;
import io.brook.protocol.message.JoinGroupResponse;
import io.brook.protocol.message.LeaveGroupRequest;
import io.brook.protocol.message.LeaveGroupResponse;
import io.brook.protocol.message.ListGroupsRequest;
import io.brook.protocol.message.ListGroupsResponse;
import io.brook.protocol.message.ListTopicsRequest;
import io.brook.protocol.message.ListTopicsResponse;
import io.brook.protocol.message.MetadataRequest;
import io.brook.protocol.message.TopicListing;
import io.brook.protocol.message.MetadataResponse;
import io.brook.protocol.message.OffsetCommitRequest;
import io.brook.protocol.message.OffsetCommitResponse;
import io.brook.protocol.message.OffsetFetchRequest;
import io.brook.protocol.message.OffsetFetchResponse;
import io.brook.protocol.message.SyncGroupRequest;
import io.brook.protocol.message.SyncGroupResponse;
import io.brook.protocol.message.TopicPartitionRef;
import io.brook.storage.Time;
import io.brook.verticles.BrokerHarness;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One broker, real files: a consumer group's whole life over the event bus addresses, from
 * FindCoordinator (which creates __consumer_offsets) through join, sync, heartbeat, commits, a
 * broker restart that replays the partition, to leave and delete; and the checks at the edge.
 */
class GroupCoordinatorBrokerTest {
  @TempDir
  Path dataDir;
  BrokerHarness broker;

  @BeforeEach
  void start() {
    broker = new BrokerHarness(dataDir, Map.of("offsets.topic.num.partitions", 3,
        "group.initial.rebalance.delay.ms", 0), Time.SYSTEM);
    broker.calls.createTopic("t", 2, Map.of());
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private FindCoordinatorResponse findCoordinator(String group) {
    return await().atMost(Duration.ofSeconds(30)).until(
        () -> broker.calls.<FindCoordinatorResponse>request(Addresses.FIND_COORDINATOR, FindCoordinatorRequest.group(group)),
        r -> r.error() == null);
  }

  private <T> T call(GroupApi api, Object request) {
    return broker.calls.request(api.address(NODE_ID), request);
  }

  /** Retries while the coordinator loads (after a start or a restart). */
  private OffsetFetchResponse fetchOffsets(String group) {
    return await().atMost(Duration.ofSeconds(30)).until(() -> this.<OffsetFetchResponse>call(GroupApi.OFFSET_FETCH,
        new OffsetFetchRequest(group, null)), r -> r.error() == null);
  }

  /** Retries while the group's coordinator loads its partition (each partition loads on its own). */
  private JoinGroupResponse joinOnceLoaded(JoinGroupRequest request) {
    return await().atMost(Duration.ofSeconds(30)).until(() -> call(GroupApi.JOIN_GROUP, request),
        r -> !Errors.COORDINATOR_LOAD_IN_PROGRESS.name().equals(r.error()));
  }

  private JoinGroupRequest join(String group, String memberId) {
    return new JoinGroupRequest(group, 10_000, 10_000, memberId, null, "consumer",
        List.of(new JoinGroupRequest.Protocol("range", new byte[] {1})), "client-1", "host-1");
  }

  @Test
  void aGroupJoinsSyncsCommitsAndItsOffsetsSurviveARestart() {
    FindCoordinatorResponse coordinator = findCoordinator("g1");
    assertThat(coordinator.nodeId()).isEqualTo(NODE_ID);
    assertThat(broker.calls.<MetadataResponse>request(Addresses.METADATA, new MetadataRequest(List.of())).topics())
        .as("the internal topic is not in clients' metadata").noneMatch(t -> t.name().startsWith("__"));
    assertThat(broker.calls.<ListTopicsResponse>request(Addresses.LIST_TOPICS, new ListTopicsRequest(false)).topics())
        .extracting(TopicListing::name).containsExactly("t");
    assertThat(broker.calls.<ListTopicsResponse>request(Addresses.LIST_TOPICS, new ListTopicsRequest(true)).topics())
        .extracting(TopicListing::name).as("listed when asked for").containsExactly(OffsetsTopic.NAME, "t");

    JoinGroupResponse first = joinOnceLoaded(join("g1", ""));
    assertThat(first.error()).isEqualTo(Errors.MEMBER_ID_REQUIRED.name());
    String memberId = first.memberId();
    JoinGroupResponse joined = call(GroupApi.JOIN_GROUP, join("g1", memberId));
    assertThat(joined.error()).isNull();
    assertThat(joined.generationId()).isEqualTo(1);
    assertThat(joined.leader()).isEqualTo(memberId);
    assertThat(joined.members()).extracting(JoinGroupResponse.Member::memberId).containsExactly(memberId);

    SyncGroupResponse synced = call(GroupApi.SYNC_GROUP, new SyncGroupRequest("g1", 1, memberId, null, "consumer",
        "range", List.of(new SyncGroupRequest.Assignment(memberId, new byte[] {9, 9}))));
    assertThat(synced.error()).isNull();
    assertThat(synced.assignment()).containsExactly(9, 9);
    assertThat(this.<HeartbeatResponse>call(GroupApi.HEARTBEAT, new HeartbeatRequest("g1", 1, memberId, null)).error())
        .isNull();
    assertThat(this.<HeartbeatResponse>call(GroupApi.HEARTBEAT, new HeartbeatRequest("g1", 0, memberId, null)).error())
        .isEqualTo(Errors.ILLEGAL_GENERATION.name());

    OffsetCommitResponse committed = call(GroupApi.OFFSET_COMMIT, new OffsetCommitRequest("g1", 1, memberId, null,
        List.of(new OffsetCommitRequest.Offset("t", 0, 42, 0, "m"), new OffsetCommitRequest.Offset("t", 1, 7, 0, null),
            new OffsetCommitRequest.Offset("t", 5, 1, 0, null), new OffsetCommitRequest.Offset("nope", 0, 1, 0, null),
            new OffsetCommitRequest.Offset("__consumer_offsets", 0, 1, 0, null))));
    assertThat(committed.partitions()).extracting(p -> p.topic() + "-" + p.partition() + ":" + p.error())
        .containsExactlyInAnyOrder("t-0:null", "t-1:null", "t-5:UNKNOWN_TOPIC_OR_PARTITION",
            "nope-0:UNKNOWN_TOPIC_OR_PARTITION", "__consumer_offsets-0:UNKNOWN_TOPIC_OR_PARTITION");
    assertThat(fetchOffsets("g1").offsets()).extracting(o -> o.topic() + "-" + o.partition() + "@" + o.offset())
        .containsExactlyInAnyOrder("t-0@42", "t-1@7");

    DescribeGroupsResponse described = call(GroupApi.DESCRIBE_GROUPS, new DescribeGroupsRequest(List.of("g1", "none")));
    assertThat(described.groups()).extracting(g -> g.groupId() + ":" + g.state() + ":" + g.error())
        .containsExactly("g1:Stable:null", "none:Dead:GROUP_ID_NOT_FOUND");
    assertThat(described.groups().get(0).members()).singleElement()
        .satisfies(m -> assertThat(m.clientHost()).isEqualTo("host-1"));

    broker.restart(); // the coordinator replays __consumer_offsets
    assertThat(findCoordinator("g1").nodeId()).isEqualTo(NODE_ID);
    assertThat(fetchOffsets("g1").offsets()).extracting(o -> o.topic() + "-" + o.partition() + "@" + o.offset()
            + ":" + o.metadata())
        .containsExactlyInAnyOrder("t-0@42:m", "t-1@7:");
    ListGroupsResponse listed = call(GroupApi.LIST_GROUPS, new ListGroupsRequest(null));
    assertThat(listed.error()).isNull();
    assertThat(listed.groups()).extracting(ListGroupsResponse.Group::groupId).containsExactly("g1");

    // the member survived the restart in the log: it leaves, then the group can be deleted
    LeaveGroupResponse left = call(GroupApi.LEAVE_GROUP, new LeaveGroupRequest("g1",
        List.of(new LeaveGroupRequest.Member(memberId, null))));
    assertThat(left.error()).isNull();
    assertThat(left.members()).singleElement().satisfies(m -> assertThat(m.error()).isNull());
    DeleteGroupsResponse deleted = call(GroupApi.DELETE_GROUPS, new DeleteGroupsRequest(List.of("g1", "none")));
    assertThat(deleted.results()).extracting(r -> r.groupId() + ":" + r.error())
        .containsExactly("g1:null", "none:GROUP_ID_NOT_FOUND");
    assertThat(fetchOffsets("g1").offsets()).isEmpty();
  }

  @Test
  void malformedAndForeignRequestsGetOneErrorAndTheCoordinatorServesOn() {
    findCoordinator("g2");
    // a bridge client's JSON with a missing list
    JsonObject noProtocols = new JsonObject().put("groupId", "g2").put("sessionTimeoutMs", 10_000)
        .put("rebalanceTimeoutMs", 10_000).put("memberId", "").put("protocolType", "consumer").put("clientId", "c");
    assertThat(broker.calls.errorOf(GroupApi.JOIN_GROUP.address(NODE_ID), noProtocols)).isEqualTo(Errors.INVALID_REQUEST);
    assertThat(broker.calls.errorOf(GroupApi.HEARTBEAT.address(NODE_ID), "not a request"))
        .isEqualTo(Errors.INVALID_REQUEST);
    assertThat(broker.calls.errorOf(Addresses.FIND_COORDINATOR, new FindCoordinatorRequest("g2", "TRANSACTION")))
        .isEqualTo(Errors.INVALID_REQUEST);
    String tooLong = "g".repeat(256);
    assertThat(joinOnceLoaded(join(tooLong, "")).error()).isEqualTo(Errors.INVALID_GROUP_ID.name());
    JoinGroupResponse fine = joinOnceLoaded(join("g2", ""));
    assertThat(fine.error()).isEqualTo(Errors.MEMBER_ID_REQUIRED.name());
    assertThat(Addresses.isClientAddress(GroupApi.JOIN_GROUP.address(NODE_ID))).isTrue();
    assertThat(Addresses.isClientAddress(Addresses.localGroupCoordinator(0))).isFalse();
  }
}
