package io.brook.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.protocol.message.*;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.nio.ByteBuffer;
import io.brook.protocol.message.*;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

/** Every message survives its codec's wire encoding unchanged, and a wrong version is refused. */
class CodecRoundTripTest {

  static ByteBuffer batch() {
    return MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(1L, "k".getBytes(), "v".getBytes())).buffer();
  }

  @SuppressWarnings("unchecked")
  static <T> T roundTrip(MessageCodec<T, T> codec, T message) {
    Buffer wire = Buffer.buffer().appendString("prefix");
    codec.encodeToWire(wire, message);
    return codec.decodeFromWire("prefix".length(), wire);
  }

  @Test
  void dataMessagesRoundTrip() {
    ProduceRequest produce = new ProduceRequest("orders", 3, (short) -1, 1500, batch());
    ProduceRequest produceBack = roundTrip(new DataCodecs.ProduceRequestCodec(), produce);
    assertThat(produceBack.topic()).isEqualTo("orders");
    assertThat(produceBack.partition()).isEqualTo(3);
    assertThat(produceBack.acks()).isEqualTo((short) -1);
    assertThat(produceBack.timeoutMs()).isEqualTo(1500);
    assertThat(produceBack.records()).isEqualTo(produce.records());

    ProduceResponse response = new ProduceResponse(42L, 1700L, 7L);
    assertThat(roundTrip(new DataCodecs.ProduceResponseCodec(), response)).isEqualTo(response);

    FetchRequest fetch = new FetchRequest("t", 0, 99L, 1 << 20, 1, 500, -1, 4);
    assertThat(roundTrip(new DataCodecs.FetchRequestCodec(), fetch)).isEqualTo(fetch);

    ReplicaFetchRequest replicaFetch = new ReplicaFetchRequest("t", 2, 3, 7, 1234L, 6, 1 << 20, 500, 77L);
    assertThat(roundTrip(new DataCodecs.ReplicaFetchRequestCodec(), replicaFetch)).isEqualTo(replicaFetch);
    ReplicaFetchResponse replicaFetched = new ReplicaFetchResponse((short) 0, 9L, 1L, 12L, 5, 11L, batch());
    ReplicaFetchResponse replicaBack = roundTrip(new DataCodecs.ReplicaFetchResponseCodec(), replicaFetched);
    assertThat(replicaBack.divergingEpoch()).isEqualTo(5);
    assertThat(replicaBack.divergingEndOffset()).isEqualTo(11L);
    assertThat(replicaBack.records()).isEqualTo(replicaFetched.records());

    FetchResponse fetched = new FetchResponse(10L, 0L, 12L, batch());
    FetchResponse fetchedBack = roundTrip(new DataCodecs.FetchResponseCodec(), fetched);
    assertThat(fetchedBack.highWatermark()).isEqualTo(10L);
    assertThat(fetchedBack.logEndOffset()).isEqualTo(12L);
    assertThat(fetchedBack.records()).isEqualTo(fetched.records());
  }

  private static final AclEntry ACL = new AclEntry("TOPIC", "orders-", "PREFIXED", "User:alice", null, "WRITE", "DENY");

  @Test
  void jsonMessagesRoundTrip() {
    List<Object> messages = List.of(
        new MetadataRequest(List.of("a", "b"), List.of("Tk2m6yU3Q0S1vfEeZbPQfA"), true),
        new MetadataResponse(1, List.of(new BrokerInfo(1, "127.0.0.1", 8080, 7000)),
            List.of(new TopicMetadata("a", null, (short) 1, List.of(new PartitionMetadata(0, 1, 0, List.of(1), List.of(1))))),
            "Tk2m6yU3Q0S1vfEeZbPQfA"),
        new CreateTopicRequest("a", 3, (short) 1, Map.of("retention.ms", "1000"), true),
        new TopicMetadata("b", "UNKNOWN_TOPIC_OR_PARTITION", (short) -1, List.of()),
        new PartitionMetadata(4, 2, 7, List.of(2, 3), List.of(2)),
        new DeleteTopicRequest("a"), new DeleteTopicResponse("a"),
        new ListTopicsRequest(false), new ListTopicsResponse(List.of(new TopicListing("a", 3, (short) 1))),
        new DescribeTopicRequest("a"),
        new TopicDescription("a", (short) 1, Map.of(), Map.of("segment.bytes", "1024"),
            List.of(new PartitionDescription(0, 1, 0, List.of(1), List.of(1), 0, 10, 10, 800, 1))),
        new PartitionDescription(2, 1, 3, List.of(1, 2), List.of(2), 5, 10, 9, 800, 2),
        new AlterConfigsRequest("a", Map.of("retention.ms", "5"), List.of("segment.ms")),
        new AlterConfigsResponse("a", Map.of("retention.ms", "5")),
        new ListOffsetsRequest("a", 0, ListOffsetsRequest.EARLIEST), new ListOffsetsResponse(5L, -1L),
        new DeleteRecordsRequest("a", List.of(new DeleteRecordsRequest.PartitionOffset(0, 5L),
            new DeleteRecordsRequest.PartitionOffset(1, DeleteRecordsRequest.HIGH_WATERMARK)), 30_000),
        new DeleteRecordsResponse("a", List.of(DeleteRecordsResponse.PartitionResult.ok(0, 5L),
            DeleteRecordsResponse.PartitionResult.failed(1, "OFFSET_OUT_OF_RANGE", "beyond the high watermark"))),
        new AlterPartitionRequest("a", 0, 1, 4, 7, List.of(1, 2)), new AlterPartitionResponse(1, 4, 8, List.of(1, 2)),
        new BrokerRegistrationRequest(2, "h", 8081, -1, "uuid", "dirid", "/data/2"), new BrokerRegistrationResponse(17L, 3L, "/old/2"),
        new BrokerHeartbeatRequest(2, 17L, 40L, 3L), new BrokerHeartbeatResponse(false, true, 3L),
        new QuorumDescription(4, 1, 120L, 121L, List.of(new QuorumDescription.Replica(1, "dir", true, 121L, 0L, -1L))),
        new CreatePartitionsRequest("a", 6, true),
        new ElectLeadersRequest(true, List.of("a:0")), new ElectLeadersResponse(Map.of("a:0", "NONE")),
        new ReassignPartitionRequest("a", 0, List.of(2, 3, 1)), new DescribeClusterRequest(true),
        new ClusterDescription(1, 3L, List.of(new BrokerDescription(1, "h", 8080, 7070, 5L, "UNFENCED", 120L, 3, 9)),
            new QuorumDescription(4, 1, 120L, 121L, List.of(new QuorumDescription.Replica(2, "d2", false, 100L, 21L, 30L)))),
        new DescribePartitionRequest("a", 1), new UnregisterBrokerRequest(3, true),
        new DescribeUsersRequest(List.of("alice")),
        new DescribeUsersResponse(List.of(new DescribeUsersResponse.User("alice",
            List.of(new DescribeUsersResponse.Credential("SCRAM-SHA-256", 4096))))),
        new UpsertUserRequest("alice", "SCRAM-SHA-256", "AQI=", "Aw==", "BA==", 4096,
            UpsertUserRequest.Mode.CREATE),
        new UpsertUserResponse("alice", "SCRAM-SHA-256", 4096),
        new DeleteUserRequest("alice", null), new DeleteUserResponse("alice", List.of("SCRAM-SHA-512")),
        new DescribeAclsRequest(new AclFilter("TOPIC", null, "MATCH", "User:alice", null, null, null)),
        new DescribeAclsResponse(List.of(ACL)),
        new CreateAclsRequest(List.of(ACL)),
        new CreateAclsResponse(List.of(new CreateAclsResponse.Result(ACL, "INVALID_REQUEST", "no"))),
        new DeleteAclsRequest(List.of(AclFilter.ANY)),
        new DeleteAclsResponse(List.of(new DeleteAclsResponse.Result("NONE", null, List.of(ACL)))),
        FindCoordinatorRequest.group("g"), new FindCoordinatorResponse(null, null, 2, "h", "node-2"),
        new JoinGroupRequest("g", 45_000, 300_000, "", "i-1", "consumer",
            List.of(new JoinGroupRequest.Protocol("range", new byte[] {1, 2})), "c", "h"),
        new JoinGroupResponse(null, 3, "consumer", "range", "m-1", false, "m-1",
            List.of(new JoinGroupResponse.Member("m-1", null, new byte[] {3}))),
        new SyncGroupRequest("g", 3, "m-1", null, "consumer", "range",
            List.of(new SyncGroupRequest.Assignment("m-1", new byte[] {4}))),
        new SyncGroupResponse(null, "consumer", "range", new byte[] {5}),
        new HeartbeatRequest("g", 3, "m-1", null), new HeartbeatResponse("REBALANCE_IN_PROGRESS"),
        new LeaveGroupRequest("g", List.of(new LeaveGroupRequest.Member("m-1", null))),
        new LeaveGroupResponse(null, List.of(new LeaveGroupResponse.Member("m-1", null, null))),
        new OffsetCommitRequest("g", 3, "m-1", null, List.of(new OffsetCommitRequest.Offset("a", 0, 42L, 2, "meta"))),
        new OffsetCommitResponse(List.of(new OffsetCommitResponse.Partition("a", 0, null))),
        new OffsetFetchRequest("g", List.of(new TopicPartitionRef("a", 0))),
        new OffsetFetchResponse(null, List.of(new OffsetFetchResponse.Offset("a", 0, 42L, 2, ""))),
        new DescribeGroupsRequest(List.of("g")),
        new DescribeGroupsResponse(List.of(new DescribeGroupsResponse.Group(null, "g", "Stable", "consumer", "range",
            List.of(new DescribeGroupsResponse.Member("m-1", null, "c", "h", new byte[] {6}, new byte[] {7}))))),
        new ListGroupsRequest(List.of("Stable")),
        new ListGroupsResponse(null, List.of(new ListGroupsResponse.Group("g", "consumer", "Stable"))),
        new DeleteGroupsRequest(List.of("g")),
        new DeleteGroupsResponse(List.of(new DeleteGroupsResponse.Result("g", "NON_EMPTY_GROUP"))),
        new io.brook.protocol.message.OffsetDeleteRequest("g", List.of(new TopicPartitionRef("a", 0))),
        new io.brook.protocol.message.OffsetDeleteResponse(null, List.of(
            new io.brook.protocol.message.OffsetDeleteResponse.Partition("a", 0, "GROUP_SUBSCRIBED_TO_TOPIC"))),
        new io.brook.protocol.message.DescribeLogDirsRequest(List.of(new TopicPartitionRef("a", 1))),
        new io.brook.protocol.message.DescribeLogDirsResponse(List.of(new io.brook.protocol.message.DescribeLogDirsResponse
            .LogDir("/data/1", null, 1_000L, 400L, List.of(
                new io.brook.protocol.message.DescribeLogDirsResponse.PartitionSize("a", 1, 800L, 3L))))),
        new io.brook.protocol.message.ListReassignmentsRequest(null),
        new io.brook.protocol.message.ListReassignmentsResponse(List.of(new io.brook.protocol.message
            .ListReassignmentsResponse.Reassignment("a", 0, List.of(3, 1, 2), List.of(3), List.of(2)))),
        new io.brook.protocol.message.InitProducerIdRequest(),
        new io.brook.protocol.message.InitProducerIdResponse(4_000L, (short) 0),
        new io.brook.protocol.message.AllocateProducerIdsRequest(2, 1_000),
        new io.brook.protocol.message.AllocateProducerIdsResponse(3_000L, 1_000),
        new io.brook.protocol.message.OffsetForLeaderEpochRequest("a", 0, 4, 3),
        new io.brook.protocol.message.OffsetForLeaderEpochResponse(3, 120L));
    assertThat(BrookCodecs.JSON_MESSAGES).hasSize(messages.size());
    for (Object message : messages) {
      // recursively: a record's byte[] components compare by identity in its equals
      assertThat(jsonRoundTrip(message)).as(message.getClass().getSimpleName()).usingRecursiveComparison()
          .isEqualTo(message);
      assertThat(BrookJson.fromJson(BrookJson.toJson(message), message.getClass())).usingRecursiveComparison()
          .isEqualTo(message);
    }
  }

  @Test
  void manualReplicaAssignmentsRoundTrip() {
    // proves: a creation's and a partition addition's manual replicas cross the bus in order, partition keys as ints
    CreateTopicRequest create = CreateTopicRequest.assigned("a", Map.of(0, List.of(3, 1), 1, List.of(2, 3)),
        Map.of("retention.ms", "1000"), true);
    CreatePartitionsRequest grow = new CreatePartitionsRequest("a", 4, false, List.of(List.of(1, 2), List.of(3, 1)));
    for (Object message : List.of(create, grow)) {
      assertThat(jsonRoundTrip(message)).as(message.getClass().getSimpleName()).isEqualTo(message);
      assertThat(BrookJson.fromJson(BrookJson.toJson(message), message.getClass())).isEqualTo(message);
    }
    assertThat(jsonRoundTrip(create).assignments().get(1)).containsExactly(2, 3);
    assertThat(jsonRoundTrip(grow).assignments()).containsExactly(List.of(1, 2), List.of(3, 1));
  }

  @Test
  void anAdminBodyWithoutAssignmentsAsksForTheControllersPlacement() {
    // proves: a body of a client that predates the field (or leaves it out) decodes as before: no manual replicas
    io.vertx.core.json.JsonObject create = new io.vertx.core.json.JsonObject().put("name", "a").put("partitions", 2)
        .put("replicationFactor", 1);
    assertThat(BrookJson.fromJson(create, CreateTopicRequest.class))
        .isEqualTo(new CreateTopicRequest("a", 2, (short) 1, Map.of()));
    assertThat(BrookJson.fromJson(new io.vertx.core.json.JsonObject().put("name", "a").put("count", 3),
        CreatePartitionsRequest.class)).isEqualTo(new CreatePartitionsRequest("a", 3));
  }

  @SuppressWarnings("unchecked")
  private static <T> T jsonRoundTrip(T message) {
    return roundTrip(new JsonMessageCodec<>((Class<T>) message.getClass()), message);
  }

  @Test
  void unknownVersionIsRefused() {
    Buffer wire = Buffer.buffer();
    new DataCodecs.ProduceResponseCodec().encodeToWire(wire, new ProduceResponse(1, 2, 3));
    wire.setByte(0, (byte) 9);
    assertThatThrownBy(() -> new DataCodecs.ProduceResponseCodec().decodeFromWire(0, wire))
        .hasMessageContaining("unsupported version 9");
  }

  @Test
  void localCodecRefusesTheWire() {
    LocalCodec<String> codec = new LocalCodec<>(String.class);
    assertThat(codec.transform("x")).isEqualTo("x");
    assertThatThrownBy(() -> codec.encodeToWire(Buffer.buffer(), "x")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void anElectLeadersBodyWithoutPreferredIsAPreferredElection() {
    // proves: a bridge client that leaves the field out does not get an unclean election by default
    ElectLeadersRequest request = BrookJson.fromJson(new io.vertx.core.json.JsonObject(), ElectLeadersRequest.class);
    assertThat(request.preferred()).isTrue();
    assertThat(request.partitions()).isEmpty();
    assertThat(BrookJson.fromJson(new io.vertx.core.json.JsonObject().put("preferred", false), ElectLeadersRequest.class)
        .preferred()).isFalse();
  }

  @Test
  void aReplicaFetchOfVersionOneIsReadWithAnUnknownLogStart() {
    // proves: a follower on the previous version (no log start offset) still replicates during a rolling upgrade
    Buffer wire = Buffer.buffer().appendByte((byte) 1);
    new WireWriter(wire).writeString("t").writeInt(2).writeInt(3).writeInt(7).writeLong(1234L).writeInt(6)
        .writeInt(1 << 20).writeInt(500);
    assertThat(new DataCodecs.ReplicaFetchRequestCodec().decodeFromWire(0, wire))
        .isEqualTo(new ReplicaFetchRequest("t", 2, 3, 7, 1234L, 6, 1 << 20, 500, ReplicaFetchRequest.UNKNOWN_LOG_START));
  }
}
