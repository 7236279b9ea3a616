package io.brook.groups;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * The group coordinator's whole vocabulary: one request and one response record per operation, with
 * the fields of Kafka's classic-protocol messages (JoinGroup v9, SyncGroup v5, Heartbeat v4,
 * LeaveGroup v5, OffsetCommit v9, OffsetFetch v8, DescribeGroups, ListGroups, DeleteGroups, OffsetDelete).
 * Protocol metadata and assignments are the client's opaque bytes (a consumer's are
 * {@code ConsumerProtocol}'s); the coordinator never parses them. Errors are Kafka's {@link Errors}.
 * Nullable fields say so; collections are never null.
 */
public final class GroupMessages {
  private GroupMessages() {}

  /** Any response; the owner sends it to the request that {@link Reply#requestId()} names. */
  public sealed interface GroupResponse permits JoinGroupResponse, SyncGroupResponse, HeartbeatResponse,
      LeaveGroupResponse, OffsetCommitResponse, OffsetFetchResponse, DescribeGroupsResponse, ListGroupsResponse,
      DeleteGroupsResponse, OffsetDeleteResponse {}

  /** One protocol a member supports (e.g. "range" with its ConsumerProtocol subscription bytes), in preference order. */
  public record Protocol(String name, byte[] metadata) {
    public Protocol {
      Objects.requireNonNull(name);
      Objects.requireNonNull(metadata);
    }
  }

  /** memberId "" for a new member; groupInstanceId null for a dynamic member. */
  public record JoinGroupRequest(String groupId, int sessionTimeoutMs, int rebalanceTimeoutMs, String memberId,
      String groupInstanceId, String protocolType, List<Protocol> protocols, String clientId, String clientHost) {
    public JoinGroupRequest {
      memberId = memberId == null ? "" : memberId;
      protocols = protocols == null ? List.of() : List.copyOf(protocols);
      clientId = clientId == null ? "" : clientId;
      clientHost = clientHost == null ? "" : clientHost;
    }
  }

  public record JoinedMember(String memberId, String groupInstanceId, byte[] metadata) {}

  /** members is filled for the leader only; skipAssignment: a static leader rejoined, the assignment stands. */
  public record JoinGroupResponse(Errors error, int generationId, String protocolType, String protocolName,
      String leader, boolean skipAssignment, String memberId, List<JoinedMember> members) implements GroupResponse {
    static JoinGroupResponse failed(Errors error, String memberId) {
      return new JoinGroupResponse(error, -1, null, null, null, false, memberId, List.of());
    }
  }

  /** assignments: from the leader only (member id → bytes); empty for followers. */
  public record SyncGroupRequest(String groupId, int generationId, String memberId, String groupInstanceId,
      String protocolType, String protocolName, Map<String, byte[]> assignments) {
    public SyncGroupRequest {
      memberId = memberId == null ? "" : memberId;
      assignments = assignments == null ? Map.of() : Map.copyOf(assignments);
    }
  }

  public record SyncGroupResponse(Errors error, String protocolType, String protocolName, byte[] assignment)
      implements GroupResponse {
    static SyncGroupResponse failed(Errors error) {
      return new SyncGroupResponse(error, null, null, new byte[0]);
    }
  }

  public record HeartbeatRequest(String groupId, int generationId, String memberId, String groupInstanceId) {
    public HeartbeatRequest {
      memberId = memberId == null ? "" : memberId;
    }
  }

  public record HeartbeatResponse(Errors error) implements GroupResponse {}

  /** A member leaving: by member id, or by instance id (memberId "" then, or the id to check). */
  public record LeavingMember(String memberId, String groupInstanceId) {
    public LeavingMember {
      memberId = memberId == null ? "" : memberId;
    }
  }

  public record LeaveGroupRequest(String groupId, List<LeavingMember> members) {
    public LeaveGroupRequest {
      members = members == null ? List.of() : List.copyOf(members);
    }
  }

  public record MemberLeft(String memberId, String groupInstanceId, Errors error) {}

  public record LeaveGroupResponse(Errors error, List<MemberLeft> members) implements GroupResponse {}

  /** leaderEpoch -1 when unknown; metadata null is stored as "". */
  public record CommitOffset(long offset, int leaderEpoch, String metadata) {}

  /** generationId -1 and memberId "" for a commit outside group management (a tool, a standalone consumer). */
  public record OffsetCommitRequest(String groupId, int generationId, String memberId, String groupInstanceId,
      Map<TopicPartition, CommitOffset> offsets) {
    public OffsetCommitRequest {
      memberId = memberId == null ? "" : memberId;
      offsets = offsets == null ? Map.of() : Map.copyOf(offsets);
    }
  }

  public record OffsetCommitResponse(Map<TopicPartition, Errors> errors) implements GroupResponse {}

  /** partitions null: every partition the group has an offset for. */
  public record OffsetFetchRequest(String groupId, List<TopicPartition> partitions) {}

  /** offset -1, leaderEpoch -1 and metadata "" when nothing is committed. */
  public record FetchedOffset(long offset, int leaderEpoch, String metadata) {
    static final FetchedOffset NONE = new FetchedOffset(-1L, -1, "");
  }

  public record OffsetFetchResponse(Errors error, Map<TopicPartition, FetchedOffset> offsets) implements GroupResponse {}

  public record DescribeGroupsRequest(List<String> groupIds) {}

  /** metadata and assignment are empty unless the group is Stable (as Kafka). */
  public record DescribedMember(String memberId, String groupInstanceId, String clientId, String clientHost,
      byte[] metadata, byte[] assignment) {}

  /** state is Kafka's name ("Stable", ...); an unknown group is "Dead" with GROUP_ID_NOT_FOUND. */
  public record DescribedGroup(Errors error, String groupId, String state, String protocolType, String protocol,
      List<DescribedMember> members) {}

  public record DescribeGroupsResponse(List<DescribedGroup> groups) implements GroupResponse {}

  /** statesFilter: Kafka state names; empty means every state. */
  public record ListGroupsRequest(Set<String> statesFilter) {
    public ListGroupsRequest {
      statesFilter = statesFilter == null ? Set.of() : Set.copyOf(statesFilter);
    }
  }

  public record ListedGroup(String groupId, String protocolType, String state) {}

  public record ListGroupsResponse(Errors error, List<ListedGroup> groups) implements GroupResponse {}

  public record DeleteGroupsRequest(List<String> groupIds) {}

  public record DeleteGroupsResponse(Map<String, Errors> errors) implements GroupResponse {}

  /** Delete the group's committed offsets of these partitions (Kafka's OffsetDelete). */
  public record OffsetDeleteRequest(String groupId, List<TopicPartition> partitions) {
    public OffsetDeleteRequest {
      partitions = partitions == null ? List.of() : List.copyOf(partitions);
    }
  }

  /**
   * {@code error}: the group's (GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP, ...), with no partition then;
   * otherwise each partition's: NONE (deleted, or there was none) or GROUP_SUBSCRIBED_TO_TOPIC.
   */
  public record OffsetDeleteResponse(Errors error, Map<TopicPartition, Errors> errors) implements GroupResponse {}

  /** A response for the request the owner numbered {@code requestId}. */
  public record Reply(long requestId, GroupResponse response) {}
}
