package io.brook.protocol.codec;

import io.brook.protocol.message.AllocateProducerIdsRequest;
import io.brook.protocol.message.AllocateProducerIdsResponse;
import io.brook.protocol.message.AlterConfigsRequest;
import io.brook.protocol.message.InitProducerIdRequest;
import io.brook.protocol.message.InitProducerIdResponse;
import io.brook.protocol.message.AlterPartitionRequest;
import io.brook.protocol.message.AlterPartitionResponse;
import io.brook.protocol.message.BrokerHeartbeatRequest;
import io.brook.protocol.message.BrokerHeartbeatResponse;
import io.brook.protocol.message.BrokerRegistrationRequest;
import io.brook.protocol.message.BrokerRegistrationResponse;
import io.brook.protocol.message.ClusterDescription;
import io.brook.protocol.message.CreateAclsRequest;
import io.brook.protocol.message.CreateAclsResponse;
import io.brook.protocol.message.DeleteAclsRequest;
import io.brook.protocol.message.DeleteAclsResponse;
import io.brook.protocol.message.DeleteUserRequest;
import io.brook.protocol.message.DeleteUserResponse;
import io.brook.protocol.message.DescribeAclsRequest;
import io.brook.protocol.message.DescribeAclsResponse;
import io.brook.protocol.message.DescribeUsersRequest;
import io.brook.protocol.message.DescribeUsersResponse;
import io.brook.protocol.message.UpsertUserRequest;
import io.brook.protocol.message.UpsertUserResponse;
import io.brook.protocol.message.CreatePartitionsRequest;
import io.brook.protocol.message.DescribeClusterRequest;
import io.brook.protocol.message.DescribePartitionRequest;
import io.brook.protocol.message.ElectLeadersRequest;
import io.brook.protocol.message.ElectLeadersResponse;
import io.brook.protocol.message.QuorumDescription;
import io.brook.protocol.message.UnregisterBrokerRequest;
import io.brook.protocol.message.ReassignPartitionRequest;
import io.brook.protocol.message.AlterConfigsResponse;
import io.brook.protocol.message.CreateTopicRequest;
import io.brook.protocol.message.DeleteTopicRequest;
import io.brook.protocol.message.DeleteTopicResponse;
import io.brook.protocol.message.DescribeTopicRequest;
import io.brook.protocol.message.DeleteRecordsRequest;
import io.brook.protocol.message.DeleteRecordsResponse;
import io.brook.protocol.message.ListOffsetsRequest;
import io.brook.protocol.message.ListOffsetsResponse;
import io.brook.protocol.message.ListTopicsRequest;
import io.brook.protocol.message.ListTopicsResponse;
import io.brook.protocol.message.MetadataRequest;
import io.brook.protocol.message.MetadataResponse;
import io.brook.protocol.message.PartitionDescription;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.TopicDescription;
import io.brook.protocol.message.TopicMetadata;
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
import io.brook.protocol.message.OffsetCommitRequest;
import io.brook.protocol.message.OffsetCommitResponse;
import io.brook.protocol.message.OffsetFetchRequest;
import io.brook.protocol.message.OffsetFetchResponse;
import io.brook.protocol.message.SyncGroupRequest;
import io.brook.protocol.message.SyncGroupResponse;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import java.util.List;

/**
 * Registers the codec of every message record as its class's default codec. Must run on every
 * node, brokers and clients alike, before the first message: a codec travels by name and a node
 * without it drops the message.
 */
public final class BrookCodecs {
  /** Control-path records, JSON-coded. */
  public static final List<Class<?>> JSON_MESSAGES = List.of(
      MetadataRequest.class, MetadataResponse.class,
      CreateTopicRequest.class, TopicMetadata.class, PartitionMetadata.class,
      DeleteTopicRequest.class, DeleteTopicResponse.class,
      ListTopicsRequest.class, ListTopicsResponse.class,
      DescribeTopicRequest.class, TopicDescription.class, PartitionDescription.class,
      AlterConfigsRequest.class, AlterConfigsResponse.class,
      ListOffsetsRequest.class, ListOffsetsResponse.class, DeleteRecordsRequest.class, DeleteRecordsResponse.class,
      AlterPartitionRequest.class, AlterPartitionResponse.class,
      BrokerRegistrationRequest.class, BrokerRegistrationResponse.class,
      BrokerHeartbeatRequest.class, BrokerHeartbeatResponse.class, QuorumDescription.class,
      CreatePartitionsRequest.class, ElectLeadersRequest.class, ElectLeadersResponse.class,
      ReassignPartitionRequest.class, DescribeClusterRequest.class, ClusterDescription.class,
      DescribePartitionRequest.class, UnregisterBrokerRequest.class,
      DescribeUsersRequest.class, DescribeUsersResponse.class, UpsertUserRequest.class, UpsertUserResponse.class,
      DeleteUserRequest.class, DeleteUserResponse.class, DescribeAclsRequest.class, DescribeAclsResponse.class,
      CreateAclsRequest.class, CreateAclsResponse.class, DeleteAclsRequest.class, DeleteAclsResponse.class,
      FindCoordinatorRequest.class, FindCoordinatorResponse.class, JoinGroupRequest.class, JoinGroupResponse.class,
      SyncGroupRequest.class, SyncGroupResponse.class, HeartbeatRequest.class, HeartbeatResponse.class,
      LeaveGroupRequest.class, LeaveGroupResponse.class, OffsetCommitRequest.class, OffsetCommitResponse.class,
      OffsetFetchRequest.class, OffsetFetchResponse.class, DescribeGroupsRequest.class, DescribeGroupsResponse.class,
      ListGroupsRequest.class, ListGroupsResponse.class, DeleteGroupsRequest.class, DeleteGroupsResponse.class,
      io.brook.protocol.message.OffsetDeleteRequest.class, io.brook.protocol.message.OffsetDeleteResponse.class,
      io.brook.protocol.message.DescribeLogDirsRequest.class, io.brook.protocol.message.DescribeLogDirsResponse.class,
      io.brook.protocol.message.ListReassignmentsRequest.class, io.brook.protocol.message.ListReassignmentsResponse.class,
      InitProducerIdRequest.class, InitProducerIdResponse.class, AllocateProducerIdsRequest.class,
      AllocateProducerIdsResponse.class, io.brook.protocol.message.OffsetForLeaderEpochRequest.class,
      io.brook.protocol.message.OffsetForLeaderEpochResponse.class);

  private BrookCodecs() {}

  /** Idempotent per event bus. */
  public static void register(EventBus eventBus) {
    registerDefault(eventBus, io.brook.protocol.message.ProduceRequest.class, new DataCodecs.ProduceRequestCodec());
    registerDefault(eventBus, io.brook.protocol.message.ProduceResponse.class, new DataCodecs.ProduceResponseCodec());
    registerDefault(eventBus, io.brook.protocol.message.FetchRequest.class, new DataCodecs.FetchRequestCodec());
    registerDefault(eventBus, io.brook.protocol.message.FetchResponse.class, new DataCodecs.FetchResponseCodec());
    registerDefault(eventBus, io.brook.protocol.message.ReplicaFetchRequest.class, new DataCodecs.ReplicaFetchRequestCodec());
    registerDefault(eventBus, io.brook.protocol.message.ReplicaFetchResponse.class, new DataCodecs.ReplicaFetchResponseCodec());
    for (Class<?> type : JSON_MESSAGES) {
      registerJson(eventBus, type);
    }
    io.brook.protocol.LocalSecurity.TYPES.forEach(type -> registerLocal(eventBus, type));
  }

  /** Registers a local-only codec for an in-JVM message type. Idempotent. */
  public static <T> void registerLocal(EventBus eventBus, Class<T> type) {
    registerDefault(eventBus, type, new LocalCodec<>(type));
  }

  /** Registers the JSON codec (version byte, length, JSON) as {@code type}'s default codec. Idempotent. */
  public static <T> void registerJson(EventBus eventBus, Class<T> type) {
    registerDefault(eventBus, type, jsonCodec(type));
  }

  /** The JSON codec of a message record (what {@link #registerJson} registers), for round-trip tests. */
  public static <T> MessageCodec<T, T> jsonCodec(Class<T> type) {
    return new JsonMessageCodec<>(type);
  }

  private static <T> void registerDefault(EventBus eventBus, Class<T> type, MessageCodec<T, ?> codec) {
    synchronized (eventBus) {
      try {
        eventBus.registerDefaultCodec(type, codec);
      } catch (IllegalStateException alreadyRegistered) {
        // a verticle or client on this node registered it first: same codec, nothing to do
      }
    }
  }
}
