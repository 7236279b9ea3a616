package io.brook.kafka;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.GroupApi;
import io.brook.protocol.message.BrokerInfo;
import io.brook.protocol.message.FindCoordinatorResponse;
import io.brook.protocol.message.HeartbeatRequest;
import io.brook.protocol.message.JoinGroupRequest;
import io.brook.protocol.message.LeaveGroupRequest;
import io.brook.protocol.message.MetadataRequest;
import io.brook.protocol.message.MetadataResponse;
import io.brook.protocol.message.OffsetCommitRequest;
import io.brook.protocol.message.OffsetFetchRequest;
import io.brook.protocol.message.SyncGroupRequest;
import io.brook.protocol.message.TopicPartitionRef;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorRequest.CoordinatorType;
import org.apache.kafka.common.requests.HeartbeatResponse;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.apache.kafka.common.requests.LeaveGroupResponse;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.apache.kafka.common.requests.SyncGroupResponse;

/**
 * The classic consumer group protocol, served by Brook's group coordinator verticles: FindCoordinator
 * names the broker that coordinates the group (by the Kafka endpoint it registered), and the client then
 * sends JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit and OffsetFetch to that broker's
 * listener, which hands them to its own coordinator (DescribeGroups, DeleteGroups and OffsetDelete too; ListGroups lists
 * the groups this broker coordinates, as Kafka's does) ({@code brook.api.broker.<this node>.group.*}); a
 * broker that is not the coordinator answers {@code NOT_COORDINATOR} and the client looks again. A Kafka
 * consumer and a Brook event bus consumer can be members of one group. OffsetCommit and OffsetFetch are
 * served up to v9 (v10 names topics by id).
 */
final class GroupApis {
  static final long TIMEOUT_MS = 30_000;

  private GroupApis() {}

  static List<KafkaApi> all(Vertx vertx, int nodeId) {
    return List.of(
        KafkaApi.of(ApiKeys.FIND_COORDINATOR, r -> findCoordinator(vertx, nodeId, r)),
        KafkaApi.of(ApiKeys.JOIN_GROUP, r -> join(vertx, nodeId, r)),
        KafkaApi.of(ApiKeys.SYNC_GROUP, r -> sync(vertx, nodeId, r)),
        KafkaApi.of(ApiKeys.HEARTBEAT, r -> heartbeat(vertx, nodeId, r)),
        KafkaApi.of(ApiKeys.LEAVE_GROUP, r -> leave(vertx, nodeId, r)),
        KafkaApi.of(ApiKeys.OFFSET_COMMIT, (short) 9, r -> commit(vertx, nodeId, r)),
        KafkaApi.of(ApiKeys.OFFSET_FETCH, (short) 9, r -> fetchOffsets(vertx, nodeId, r)),
        KafkaApi.of(ApiKeys.LIST_GROUPS, r -> list(vertx, nodeId, r)),
        KafkaApi.of(ApiKeys.DESCRIBE_GROUPS, r -> describe(vertx, nodeId, r)),
        KafkaApi.of(ApiKeys.DELETE_GROUPS, r -> delete(vertx, nodeId, r)),
        KafkaApi.of(ApiKeys.OFFSET_DELETE, r -> deleteOffsets(vertx, nodeId, r)));
  }


  private static <T> Future<T> ask(Vertx vertx, String address, Object body, KafkaRequest request) {
    return vertx.eventBus().<T>request(address, body, request.onBehalfOfClient(TIMEOUT_MS)).map(reply -> reply.body());
  }

  private static short code(String error) {
    return PartitionErrors.named(error).code();
  }


  // ---- FindCoordinator ----

  private static Future<AbstractResponse> findCoordinator(Vertx vertx, int nodeId, KafkaRequest request) {
    FindCoordinatorRequestData data = ((FindCoordinatorRequest) request.body()).data();
    boolean batched = request.version() >= FindCoordinatorRequest.MIN_BATCHED_VERSION;
    List<String> keys = batched ? data.coordinatorKeys() : List.of(data.key());
    Future<MetadataResponse> brokers = ask(vertx, Addresses.metadata(nodeId), MetadataRequest.all(), request);
    List<Future<FindCoordinatorResponseData.Coordinator>> found = new ArrayList<>();
    for (String key : keys) {
      FindCoordinatorResponseData.Coordinator out = new FindCoordinatorResponseData.Coordinator().setKey(key)
          .setNodeId(-1).setHost("").setPort(-1);
      if (data.keyType() != CoordinatorType.GROUP.id()) {
        found.add(Future.succeededFuture(out.setErrorCode(Errors.INVALID_REQUEST.code())
            .setErrorMessage("only consumer groups have coordinators here (transactions are not served)")));
        continue;
      }
      found.add(GroupApis.<FindCoordinatorResponse>ask(vertx, Addresses.FIND_COORDINATOR,
              io.brook.protocol.message.FindCoordinatorRequest.group(key), request)
          .compose(answer -> brokers.map(metadata -> endpoint(out, answer, metadata, request.listenerName())))
          .recover(failure -> Future.succeededFuture(out.setErrorCode(BrookErrors.errorOf(failure).code())
              .setErrorMessage(failure.getMessage()))));
    }
    return Future.join(found).transform(done -> {
      FindCoordinatorResponseData response = new FindCoordinatorResponseData();
      List<FindCoordinatorResponseData.Coordinator> coordinators = found.stream().map(Future::result).toList();
      if (batched) {
        response.setCoordinators(new ArrayList<>(coordinators));
      } else {
        FindCoordinatorResponseData.Coordinator one = coordinators.get(0);
        response.setErrorCode(one.errorCode()).setErrorMessage(one.errorMessage()).setNodeId(one.nodeId())
            .setHost(one.host()).setPort(one.port());
      }
      return Future.succeededFuture(new org.apache.kafka.common.requests.FindCoordinatorResponse(response));
    });
  }

  private static FindCoordinatorResponseData.Coordinator endpoint(FindCoordinatorResponseData.Coordinator out,
      FindCoordinatorResponse answer, MetadataResponse metadata, String listener) {
    if (answer.error() != null) {
      return out.setErrorCode(code(answer.error())).setErrorMessage(answer.errorMessage());
    }
    var coordinator = metadata.brokers().stream().filter(b -> b.nodeId() == answer.nodeId()).findFirst()
        .flatMap(b -> b.kafkaEndpoint(listener));
    if (coordinator.isEmpty()) { // fenced, or no such Kafka listener there: not a coordinator this client can reach
      return out.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())
          .setErrorMessage("broker " + answer.nodeId() + " coordinates the group but has no " + listener + " Kafka listener up");
    }
    return out.setErrorCode(Errors.NONE.code()).setNodeId(answer.nodeId()).setHost(coordinator.get().host())
        .setPort(coordinator.get().port());
  }

  // ---- membership ----

  private static Future<AbstractResponse> join(Vertx vertx, int nodeId, KafkaRequest request) {
    JoinGroupRequestData data = ((org.apache.kafka.common.requests.JoinGroupRequest) request.body()).data();
    List<JoinGroupRequest.Protocol> protocols = new ArrayList<>();
    data.protocols().forEach(p -> protocols.add(new JoinGroupRequest.Protocol(p.name(), p.metadata())));
    // before v4 a client cannot take a member id and rejoin with it: the coordinator is told so by the session
    JoinGroupRequest brook = new JoinGroupRequest(data.groupId(), data.sessionTimeoutMs(),
        request.version() == 0 ? data.sessionTimeoutMs() : data.rebalanceTimeoutMs(), data.memberId(),
        data.groupInstanceId(), data.protocolType(), protocols, request.context().clientId(),
        request.context().clientAddress.getHostAddress());
    return GroupApis.<io.brook.protocol.message.JoinGroupResponse>ask(vertx, GroupApi.JOIN_GROUP.address(nodeId), brook, request)
        .map(answer -> {
          JoinGroupResponseData out = new JoinGroupResponseData().setErrorCode(code(answer.error()))
              .setGenerationId(answer.generationId()).setProtocolType(answer.protocolType())
              .setProtocolName(answer.protocolName()).setLeader(answer.leader() == null ? "" : answer.leader())
              .setSkipAssignment(answer.skipAssignment()).setMemberId(answer.memberId() == null ? "" : answer.memberId());
          answer.members().forEach(m -> out.members().add(new JoinGroupResponseData.JoinGroupResponseMember()
              .setMemberId(m.memberId()).setGroupInstanceId(m.groupInstanceId()).setMetadata(m.metadata())));
          return (AbstractResponse) new JoinGroupResponse(out, request.version());
        });
  }

  private static Future<AbstractResponse> sync(Vertx vertx, int nodeId, KafkaRequest request) {
    SyncGroupRequestData data = ((org.apache.kafka.common.requests.SyncGroupRequest) request.body()).data();
    List<SyncGroupRequest.Assignment> assignments = new ArrayList<>();
    data.assignments().forEach(a -> assignments.add(new SyncGroupRequest.Assignment(a.memberId(), a.assignment())));
    SyncGroupRequest brook = new SyncGroupRequest(data.groupId(), data.generationId(), data.memberId(),
        data.groupInstanceId(), data.protocolType(), data.protocolName(), assignments);
    return GroupApis.<io.brook.protocol.message.SyncGroupResponse>ask(vertx, GroupApi.SYNC_GROUP.address(nodeId), brook, request)
        .map(answer -> new SyncGroupResponse(new SyncGroupResponseData().setErrorCode(code(answer.error()))
            .setProtocolType(answer.protocolType()).setProtocolName(answer.protocolName())
            .setAssignment(answer.assignment() == null ? new byte[0] : answer.assignment())));
  }

  private static Future<AbstractResponse> heartbeat(Vertx vertx, int nodeId, KafkaRequest request) {
    var data = ((org.apache.kafka.common.requests.HeartbeatRequest) request.body()).data();
    return GroupApis.<io.brook.protocol.message.HeartbeatResponse>ask(vertx, GroupApi.HEARTBEAT.address(nodeId),
            new HeartbeatRequest(data.groupId(), data.generationId(), data.memberId(), data.groupInstanceId()), request)
        .map(answer -> new HeartbeatResponse(new HeartbeatResponseData().setErrorCode(code(answer.error()))));
  }

  private static Future<AbstractResponse> leave(Vertx vertx, int nodeId, KafkaRequest request) {
    var body = (org.apache.kafka.common.requests.LeaveGroupRequest) request.body();
    List<LeaveGroupRequest.Member> members = new ArrayList<>();
    body.members().forEach(m -> members.add(new LeaveGroupRequest.Member(m.memberId(), m.groupInstanceId())));
    return GroupApis.<io.brook.protocol.message.LeaveGroupResponse>ask(vertx, GroupApi.LEAVE_GROUP.address(nodeId),
            new LeaveGroupRequest(body.data().groupId(), members), request)
        .map(answer -> {
          LeaveGroupResponseData out = new LeaveGroupResponseData().setErrorCode(code(answer.error()));
          answer.members().forEach(m -> out.members().add(new LeaveGroupResponseData.MemberResponse()
              .setMemberId(m.memberId()).setGroupInstanceId(m.groupInstanceId()).setErrorCode(code(m.error()))));
          return (AbstractResponse) new LeaveGroupResponse(out);
        });
  }

  // ---- offsets ----

  private static Future<AbstractResponse> commit(Vertx vertx, int nodeId, KafkaRequest request) {
    OffsetCommitRequestData data = ((org.apache.kafka.common.requests.OffsetCommitRequest) request.body()).data();
    List<OffsetCommitRequest.Offset> offsets = new ArrayList<>();
    for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : data.topics()) {
      for (OffsetCommitRequestData.OffsetCommitRequestPartition p : topic.partitions()) {
        offsets.add(new OffsetCommitRequest.Offset(topic.name(), p.partitionIndex(), p.committedOffset(),
            p.committedLeaderEpoch(), p.committedMetadata()));
      }
    }
    OffsetCommitRequest brook = new OffsetCommitRequest(data.groupId(), data.generationIdOrMemberEpoch(),
        data.memberId(), data.groupInstanceId(), offsets);
    return GroupApis.<io.brook.protocol.message.OffsetCommitResponse>ask(vertx, GroupApi.OFFSET_COMMIT.address(nodeId), brook, request)
        .map(answer -> {
          Map<String, OffsetCommitResponseData.OffsetCommitResponseTopic> topics = new LinkedHashMap<>();
          answer.partitions().forEach(p -> topics.computeIfAbsent(p.topic(),
                  name -> new OffsetCommitResponseData.OffsetCommitResponseTopic().setName(name))
              .partitions().add(new OffsetCommitResponseData.OffsetCommitResponsePartition()
                  .setPartitionIndex(p.partition()).setErrorCode(code(p.error()))));
          return (AbstractResponse) new OffsetCommitResponse(new OffsetCommitResponseData()
              .setTopics(new ArrayList<>(topics.values())));
        });
  }

  private static Future<AbstractResponse> fetchOffsets(Vertx vertx, int nodeId, KafkaRequest request) {
    var body = (org.apache.kafka.common.requests.OffsetFetchRequest) request.body();
    List<Future<OffsetFetchResponseData.OffsetFetchResponseGroup>> groups = new ArrayList<>();
    body.groupIdsToPartitions().forEach((groupId, partitions) -> {
      List<TopicPartitionRef> refs = partitions == null ? null
          : partitions.stream().map(tp -> new TopicPartitionRef(tp.topic(), tp.partition())).toList();
      OffsetFetchResponseData.OffsetFetchResponseGroup out = new OffsetFetchResponseData.OffsetFetchResponseGroup()
          .setGroupId(groupId);
      groups.add(GroupApis.<io.brook.protocol.message.OffsetFetchResponse>ask(vertx, GroupApi.OFFSET_FETCH.address(nodeId),
              new OffsetFetchRequest(groupId, refs), request)
          .map(answer -> {
            Map<String, OffsetFetchResponseData.OffsetFetchResponseTopics> topics = new LinkedHashMap<>();
            answer.offsets().forEach(o -> topics.computeIfAbsent(o.topic(),
                    name -> new OffsetFetchResponseData.OffsetFetchResponseTopics().setName(name))
                .partitions().add(new OffsetFetchResponseData.OffsetFetchResponsePartitions()
                    .setPartitionIndex(o.partition()).setCommittedOffset(o.offset())
                    .setCommittedLeaderEpoch(o.leaderEpoch()).setMetadata(o.metadata())));
            return out.setErrorCode(code(answer.error())).setTopics(new ArrayList<>(topics.values()));
          })
          .recover(failure -> Future.succeededFuture(out.setErrorCode(BrookErrors.errorOf(failure).code()))));
    });
    return Future.join(groups).transform(done -> {
      OffsetFetchResponseData data = new OffsetFetchResponseData();
      List<OffsetFetchResponseData.OffsetFetchResponseGroup> answered = groups.stream().map(Future::result).toList();
      if (request.version() >= org.apache.kafka.common.requests.OffsetFetchRequest.BATCH_MIN_VERSION) {
        data.setGroups(new ArrayList<>(answered));
      } else {
        OffsetFetchResponseData.OffsetFetchResponseGroup one = answered.get(0);
        data.setErrorCode(one.errorCode());
        one.topics().forEach(t -> {
          OffsetFetchResponseData.OffsetFetchResponseTopic topic = new OffsetFetchResponseData.OffsetFetchResponseTopic()
              .setName(t.name());
          t.partitions().forEach(p -> topic.partitions().add(new OffsetFetchResponseData.OffsetFetchResponsePartition()
              .setPartitionIndex(p.partitionIndex()).setCommittedOffset(p.committedOffset())
              .setCommittedLeaderEpoch(p.committedLeaderEpoch()).setMetadata(p.metadata()).setErrorCode(p.errorCode())));
          data.topics().add(topic);
        });
      }
      return Future.succeededFuture(new OffsetFetchResponse(data, request.version()));
    });
  }

  // ---- group administration ----

  private static Future<AbstractResponse> list(Vertx vertx, int nodeId, KafkaRequest request) {
    var data = ((org.apache.kafka.common.requests.ListGroupsRequest) request.body()).data();
    List<String> states = data.statesFilter() == null || data.statesFilter().isEmpty() ? null : data.statesFilter();
    boolean consumerTypeOnly = data.typesFilter() != null && !data.typesFilter().isEmpty()
        && data.typesFilter().stream().noneMatch(type -> type.equalsIgnoreCase("classic"));
    return GroupApis.<io.brook.protocol.message.ListGroupsResponse>ask(vertx, GroupApi.LIST_GROUPS.address(nodeId),
            new io.brook.protocol.message.ListGroupsRequest(states), request)
        .map(answer -> {
          var out = new org.apache.kafka.common.message.ListGroupsResponseData().setErrorCode(code(answer.error()));
          if (!consumerTypeOnly) { // Brook's groups are all of the classic protocol
            answer.groups().forEach(g -> out.groups().add(new org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup()
                .setGroupId(g.groupId()).setProtocolType(g.protocolType() == null ? "" : g.protocolType())
                .setGroupState(g.state()).setGroupType("classic")));
          }
          return (AbstractResponse) new org.apache.kafka.common.requests.ListGroupsResponse(out);
        });
  }

  private static Future<AbstractResponse> describe(Vertx vertx, int nodeId, KafkaRequest request) {
    var data = ((org.apache.kafka.common.requests.DescribeGroupsRequest) request.body()).data();
    return GroupApis.<io.brook.protocol.message.DescribeGroupsResponse>ask(vertx, GroupApi.DESCRIBE_GROUPS.address(nodeId),
            new io.brook.protocol.message.DescribeGroupsRequest(data.groups()), request)
        .map(answer -> {
          var out = new org.apache.kafka.common.message.DescribeGroupsResponseData();
          answer.groups().forEach(g -> {
            var group = new org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup()
                .setErrorCode(code(g.error())).setGroupId(g.groupId()).setGroupState(g.state() == null ? "" : g.state())
                .setProtocolType(g.protocolType() == null ? "" : g.protocolType())
                .setProtocolData(g.protocol() == null ? "" : g.protocol());
            g.members().forEach(m -> group.members().add(
                new org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroupMember()
                    .setMemberId(m.memberId()).setGroupInstanceId(m.groupInstanceId())
                    .setClientId(m.clientId() == null ? "" : m.clientId())
                    .setClientHost(m.clientHost() == null ? "" : m.clientHost())
                    .setMemberMetadata(m.metadata() == null ? new byte[0] : m.metadata())
                    .setMemberAssignment(m.assignment() == null ? new byte[0] : m.assignment())));
            out.groups().add(group);
          });
          return (AbstractResponse) new org.apache.kafka.common.requests.DescribeGroupsResponse(out);
        });
  }

  private static Future<AbstractResponse> delete(Vertx vertx, int nodeId, KafkaRequest request) {
    var data = ((org.apache.kafka.common.requests.DeleteGroupsRequest) request.body()).data();
    return GroupApis.<io.brook.protocol.message.DeleteGroupsResponse>ask(vertx, GroupApi.DELETE_GROUPS.address(nodeId),
            new io.brook.protocol.message.DeleteGroupsRequest(data.groupsNames()), request)
        .map(answer -> {
          var out = new org.apache.kafka.common.message.DeleteGroupsResponseData();
          answer.results().forEach(r -> out.results().add(
              new org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult()
                  .setGroupId(r.groupId()).setErrorCode(code(r.error()))));
          return (AbstractResponse) new org.apache.kafka.common.requests.DeleteGroupsResponse(out);
        });
  }

  /**
   * OffsetDelete: the group's error (GROUP_AUTHORIZATION_FAILED, GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP,
   * NOT_COORDINATOR...) for the whole request, else each partition's (GROUP_SUBSCRIBED_TO_TOPIC while the
   * group is active and consumes the topic, TOPIC_AUTHORIZATION_FAILED, UNKNOWN_TOPIC_OR_PARTITION).
   */
  private static Future<AbstractResponse> deleteOffsets(Vertx vertx, int nodeId, KafkaRequest request) {
    var data = ((org.apache.kafka.common.requests.OffsetDeleteRequest) request.body()).data();
    List<TopicPartitionRef> partitions = new ArrayList<>();
    data.topics().forEach(t -> t.partitions().forEach(p -> partitions.add(new TopicPartitionRef(t.name(),
        p.partitionIndex()))));
    return GroupApis.<io.brook.protocol.message.OffsetDeleteResponse>ask(vertx, GroupApi.OFFSET_DELETE.address(nodeId),
            new io.brook.protocol.message.OffsetDeleteRequest(data.groupId(), partitions), request)
        .map(answer -> {
          var out = new org.apache.kafka.common.message.OffsetDeleteResponseData().setErrorCode(code(answer.error()));
          if (answer.error() == null) {
            Map<String, org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponseTopic> topics =
                new LinkedHashMap<>();
            answer.partitions().forEach(p -> topics.computeIfAbsent(p.topic(), name -> {
              var topic = new org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponseTopic()
                  .setName(name);
              out.topics().add(topic);
              return topic;
            }).partitions().add(new org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartition()
                .setPartitionIndex(p.partition()).setErrorCode(code(p.error()))));
          }
          return (AbstractResponse) new org.apache.kafka.common.requests.OffsetDeleteResponse(out);
        })
        .recover(failure -> Future.succeededFuture(new org.apache.kafka.common.requests.OffsetDeleteResponse(
            new org.apache.kafka.common.message.OffsetDeleteResponseData()
                .setErrorCode(BrookErrors.errorOf(failure).code()))));
  }
}
