package io.brook.verticles.groups;

import io.brook.groups.GroupMessages;
import io.brook.protocol.message.DeleteGroupsRequest;
import io.brook.protocol.message.DeleteGroupsResponse;
import io.brook.protocol.message.DescribeGroupsRequest;
import io.brook.protocol.message.DescribeGroupsResponse;
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
import io.brook.protocol.message.TopicPartitionRef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.protocol.Errors;

/**
 * The event bus messages of the group APIs to and from the coordinator state machine's own
 * (`io.brook.groups.GroupMessages`): the wire has lists and error names where the state machine has
 * maps and {@link Errors}. A malformed body (a missing list, a null protocol) is
 * {@link InvalidRequestException}.
 */
final class GroupWire {
  private GroupWire() {}

  // ---- requests ----

  /** {@code clientHost}: the bridge's view of the connection, or null to keep the body's. */
  static GroupMessages.JoinGroupRequest join(JoinGroupRequest r, String clientHost) {
    List<GroupMessages.Protocol> protocols = new ArrayList<>();
    for (JoinGroupRequest.Protocol p : required(r.protocols(), "protocols")) {
      if (p == null || p.name() == null || p.metadata() == null) {
        throw new InvalidRequestException("JoinGroup protocol without a name or metadata");
      }
      protocols.add(new GroupMessages.Protocol(p.name(), p.metadata()));
    }
    return new GroupMessages.JoinGroupRequest(r.groupId(), r.sessionTimeoutMs(), r.rebalanceTimeoutMs(), r.memberId(),
        r.groupInstanceId(), r.protocolType(), protocols, r.clientId(), clientHost != null ? clientHost : r.clientHost());
  }

  static GroupMessages.SyncGroupRequest sync(SyncGroupRequest r) {
    Map<String, byte[]> assignments = new LinkedHashMap<>();
    for (SyncGroupRequest.Assignment a : r.assignments() == null ? List.<SyncGroupRequest.Assignment>of()
        : r.assignments()) {
      if (a == null || a.memberId() == null || assignments.put(a.memberId(), a.assignment() == null ? new byte[0]
          : a.assignment()) != null) {
        throw new InvalidRequestException("SyncGroup assignments need one entry per member id");
      }
    }
    return new GroupMessages.SyncGroupRequest(r.groupId(), r.generationId(), r.memberId(), r.groupInstanceId(),
        r.protocolType(), r.protocolName(), assignments);
  }

  static GroupMessages.HeartbeatRequest heartbeat(HeartbeatRequest r) {
    return new GroupMessages.HeartbeatRequest(r.groupId(), r.generationId(), r.memberId(), r.groupInstanceId());
  }

  static GroupMessages.LeaveGroupRequest leave(LeaveGroupRequest r) {
    List<GroupMessages.LeavingMember> members = new ArrayList<>();
    for (LeaveGroupRequest.Member m : required(r.members(), "members")) {
      if (m == null) {
        throw new InvalidRequestException("LeaveGroup with a null member");
      }
      members.add(new GroupMessages.LeavingMember(m.memberId(), m.groupInstanceId()));
    }
    return new GroupMessages.LeaveGroupRequest(r.groupId(), members);
  }

  static GroupMessages.OffsetCommitRequest commit(OffsetCommitRequest r) {
    Map<TopicPartition, GroupMessages.CommitOffset> offsets = new LinkedHashMap<>();
    for (OffsetCommitRequest.Offset o : required(r.offsets(), "offsets")) {
      if (o == null || o.topic() == null) {
        throw new InvalidRequestException("OffsetCommit entry without a topic");
      }
      offsets.put(new TopicPartition(o.topic(), o.partition()),
          new GroupMessages.CommitOffset(o.offset(), o.leaderEpoch(), o.metadata()));
    }
    return new GroupMessages.OffsetCommitRequest(r.groupId(), r.generationId(), r.memberId(), r.groupInstanceId(),
        offsets);
  }

  static GroupMessages.OffsetFetchRequest fetch(OffsetFetchRequest r) {
    return new GroupMessages.OffsetFetchRequest(r.groupId(), r.partitions() == null ? null
        : required(r.partitions(), "partitions").stream().map(GroupWire::topicPartition).toList());
  }

  static GroupMessages.DescribeGroupsRequest describe(DescribeGroupsRequest r) {
    return new GroupMessages.DescribeGroupsRequest(List.copyOf(required(r.groupIds(), "groupIds")));
  }

  static GroupMessages.ListGroupsRequest list(ListGroupsRequest r) {
    return new GroupMessages.ListGroupsRequest(r.statesFilter() == null ? null
        : new HashSet<>(required(r.statesFilter(), "statesFilter")));
  }

  static GroupMessages.DeleteGroupsRequest delete(DeleteGroupsRequest r) {
    return new GroupMessages.DeleteGroupsRequest(List.copyOf(required(r.groupIds(), "groupIds")));
  }

  static GroupMessages.OffsetDeleteRequest deleteOffsets(io.brook.protocol.message.OffsetDeleteRequest r) {
    return new GroupMessages.OffsetDeleteRequest(r.groupId(), required(r.partitions(), "partitions").stream()
        .map(GroupWire::topicPartition).toList());
  }

  static TopicPartition topicPartition(TopicPartitionRef ref) {
    if (ref == null || ref.topic() == null) {
      throw new InvalidRequestException("a partition without a topic");
    }
    return new TopicPartition(ref.topic(), ref.partition());
  }

  /** The list, which must be there and hold no null. */
  private static <T> List<T> required(List<T> list, String field) {
    if (list == null) {
      throw new InvalidRequestException("missing field " + field);
    }
    for (T element : list) {
      if (element == null) {
        throw new InvalidRequestException("a null in " + field);
      }
    }
    return list;
  }

  // ---- responses ----

  /** The state machine's response as the wire's. */
  static Object response(GroupMessages.GroupResponse response) {
    if (response instanceof GroupMessages.JoinGroupResponse r) {
      return new JoinGroupResponse(name(r.error()), r.generationId(), r.protocolType(), r.protocolName(), r.leader(),
          r.skipAssignment(), r.memberId(), r.members().stream()
              .map(m -> new JoinGroupResponse.Member(m.memberId(), m.groupInstanceId(), m.metadata())).toList());
    } else if (response instanceof GroupMessages.SyncGroupResponse r) {
      return new SyncGroupResponse(name(r.error()), r.protocolType(), r.protocolName(), r.assignment());
    } else if (response instanceof GroupMessages.HeartbeatResponse r) {
      return new HeartbeatResponse(name(r.error()));
    } else if (response instanceof GroupMessages.LeaveGroupResponse r) {
      return new LeaveGroupResponse(name(r.error()), r.members().stream()
          .map(m -> new LeaveGroupResponse.Member(m.memberId(), m.groupInstanceId(), name(m.error()))).toList());
    } else if (response instanceof GroupMessages.OffsetCommitResponse r) {
      List<OffsetCommitResponse.Partition> partitions = new ArrayList<>();
      r.errors().forEach((tp, error) -> partitions.add(new OffsetCommitResponse.Partition(tp.topic(), tp.partition(),
          name(error))));
      return new OffsetCommitResponse(partitions);
    } else if (response instanceof GroupMessages.OffsetFetchResponse r) {
      List<OffsetFetchResponse.Offset> offsets = new ArrayList<>();
      r.offsets().forEach((tp, o) -> offsets.add(new OffsetFetchResponse.Offset(tp.topic(), tp.partition(), o.offset(),
          o.leaderEpoch(), o.metadata())));
      return new OffsetFetchResponse(name(r.error()), offsets);
    } else if (response instanceof GroupMessages.DescribeGroupsResponse r) {
      return new DescribeGroupsResponse(r.groups().stream().map(g -> new DescribeGroupsResponse.Group(name(g.error()),
          g.groupId(), g.state(), g.protocolType(), g.protocol(), g.members().stream()
              .map(m -> new DescribeGroupsResponse.Member(m.memberId(), m.groupInstanceId(), m.clientId(), m.clientHost(),
                  m.metadata(), m.assignment())).toList())).toList());
    } else if (response instanceof GroupMessages.ListGroupsResponse r) {
      return new ListGroupsResponse(name(r.error()), r.groups().stream()
          .map(g -> new ListGroupsResponse.Group(g.groupId(), g.protocolType(), g.state())).toList());
    } else if (response instanceof GroupMessages.DeleteGroupsResponse r) {
      List<DeleteGroupsResponse.Result> results = new ArrayList<>();
      r.errors().forEach((group, error) -> results.add(new DeleteGroupsResponse.Result(group, name(error))));
      return new DeleteGroupsResponse(results);
    } else if (response instanceof GroupMessages.OffsetDeleteResponse r) {
      List<io.brook.protocol.message.OffsetDeleteResponse.Partition> partitions = new ArrayList<>();
      r.errors().forEach((tp, error) -> partitions.add(new io.brook.protocol.message.OffsetDeleteResponse.Partition(
          tp.topic(), tp.partition(), name(error))));
      return new io.brook.protocol.message.OffsetDeleteResponse(name(r.error()), partitions);
    }
    throw new IllegalArgumentException("not a group response: " + response);
  }

  /** Null for NONE, as every Brook message body. */
  static String name(Errors error) {
    return error == null || error == Errors.NONE ? null : error.name();
  }
}
