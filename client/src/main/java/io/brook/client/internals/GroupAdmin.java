package io.brook.client.internals;

import io.brook.client.AdminConfigs;
import io.brook.protocol.Addresses;
import io.brook.protocol.GroupApi;
import io.brook.protocol.message.BrokerInfo;
import io.brook.protocol.message.DeleteGroupsRequest;
import io.brook.protocol.message.DeleteGroupsResponse;
import io.brook.protocol.message.DescribeGroupsRequest;
import io.brook.protocol.message.DescribeGroupsResponse;
import io.brook.protocol.message.ListGroupsRequest;
import io.brook.protocol.message.ListGroupsResponse;
import io.brook.protocol.message.MetadataRequest;
import io.brook.protocol.message.MetadataResponse;
import io.brook.protocol.message.OffsetCommitRequest;
import io.brook.protocol.message.OffsetCommitResponse;
import io.brook.protocol.message.OffsetFetchRequest;
import io.brook.protocol.message.OffsetFetchResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.MemberAssignment;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.protocol.Errors;

/**
 * The admin client's consumer group calls, as Kafka's admin does them: ListGroups to every broker
 * (each lists the groups it coordinates), the others to the group's coordinator, found with
 * FindCoordinator and looked up again when an answer says it moved, is unavailable or is loading
 * ({@code COORDINATOR_*}, {@code NOT_COORDINATOR}), until {@code default.api.timeout.ms}. Results
 * are kafka-clients' admin types. Stateless; every call has its own {@link CoordinatorChannel}.
 */
final class GroupAdmin {
  private final Vertx vertx;
  private final Rpc rpc;
  private final AdminConfigs config;

  GroupAdmin(Vertx vertx, Rpc rpc, AdminConfigs config) {
    this.vertx = vertx;
    this.rpc = rpc;
    this.config = config;
  }

  private long deadlineMs() {
    return System.currentTimeMillis() + config.defaultApiTimeoutMs();
  }

  /** {@code call} at the group's coordinator, retried (a new look-up first when needed) while it fails retriably. */
  private <T> Future<T> atCoordinator(String groupId, long deadlineMs, String what,
      Function<CoordinatorChannel, Future<T>> call) {
    CoordinatorChannel channel = new CoordinatorChannel(vertx, rpc, groupId, config.requestTimeoutMs(),
        config.retryBackoffMs());
    return Retries.until(vertx, () -> (channel.unknown() ? channel.lookup() : Future.succeededFuture())
        .compose(v -> call.apply(channel)), deadlineMs, config.retryBackoffMs(), what);
  }

  // ---- list ----

  Future<Collection<GroupListing>> listConsumerGroups() {
    long deadlineMs = deadlineMs();
    return rpc.request(Addresses.METADATA, MetadataRequest.all(), config.requestTimeoutMs(), MetadataResponse.class)
        .compose(metadata -> {
          List<Future<List<ListGroupsResponse.Group>>> perBroker = new ArrayList<>();
          for (BrokerInfo broker : metadata.brokers()) {
            perBroker.add(Retries.until(vertx, () -> listGroupsOf(broker), deadlineMs, config.retryBackoffMs(),
                "listing the groups of broker " + broker.nodeId()));
          }
          return Future.all(perBroker).map(all -> {
            Map<String, GroupListing> listed = new TreeMap<>(); // a group that moved may be listed twice
            perBroker.forEach(f -> f.result().stream().filter(GroupAdmin::isConsumerGroup)
                .forEach(g -> listed.put(g.groupId(), new GroupListing(g.groupId(), Optional.of(GroupType.CLASSIC),
                    g.protocolType() == null ? "" : g.protocolType(), Optional.of(GroupState.parse(g.state()))))));
            return List.copyOf(listed.values());
          });
        });
  }

  private Future<List<ListGroupsResponse.Group>> listGroupsOf(BrokerInfo broker) {
    return rpc.request(GroupApi.LIST_GROUPS.address(broker.nodeId()), new ListGroupsRequest(null),
            config.requestTimeoutMs(), ListGroupsResponse.class, broker.eventBusNodeId())
        .compose(r -> r.error() == null ? Future.succeededFuture(r.groups())
            : Future.failedFuture(MetadataSnapshot.errorOf(r.error()).exception()));
  }

  /** As Kafka's listConsumerGroups: groups of consumers, and simple groups (offsets only, no protocol type). */
  private static boolean isConsumerGroup(ListGroupsResponse.Group g) {
    return g.protocolType() == null || g.protocolType().isEmpty()
        || ConsumerCoordinator.PROTOCOL_TYPE.equals(g.protocolType());
  }

  // ---- describe ----

  Future<Map<String, ConsumerGroupDescription>> describeConsumerGroups(Collection<String> groupIds) {
    long deadlineMs = deadlineMs();
    Map<String, Future<ConsumerGroupDescription>> each = new LinkedHashMap<>();
    new HashSet<>(groupIds).forEach(id -> each.put(id, atCoordinator(id, deadlineMs, "describing group " + id,
        channel -> channel.send(GroupApi.DESCRIBE_GROUPS, new DescribeGroupsRequest(List.of(id)),
            DescribeGroupsResponse.class).compose(r -> described(channel, id, r)))));
    return Future.all(new ArrayList<>(each.values())).map(all -> {
      Map<String, ConsumerGroupDescription> result = new LinkedHashMap<>();
      each.forEach((id, f) -> result.put(id, f.result()));
      return result;
    });
  }

  private static Future<ConsumerGroupDescription> described(CoordinatorChannel channel, String groupId,
      DescribeGroupsResponse response) {
    DescribeGroupsResponse.Group g = response.groups().stream().filter(x -> groupId.equals(x.groupId())).findFirst()
        .orElse(null);
    if (g == null) {
      return Future.failedFuture(Errors.UNKNOWN_SERVER_ERROR.exception("no answer for group " + groupId));
    }
    Errors error = MetadataSnapshot.errorOf(g.error());
    if (error == Errors.GROUP_ID_NOT_FOUND) {
      return Future.failedFuture(new GroupIdNotFoundException("Group " + groupId + " not found."));
    }
    if (error != Errors.NONE) {
      return channel.failWith(error, "DescribeGroups");
    }
    boolean consumer = ConsumerCoordinator.PROTOCOL_TYPE.equals(g.protocolType());
    List<MemberDescription> members = new ArrayList<>();
    for (DescribeGroupsResponse.Member m : g.members()) {
      Set<TopicPartition> assigned = consumer && m.assignment() != null && m.assignment().length > 0
          ? new HashSet<>(ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(m.assignment())).partitions())
          : Set.of();
      members.add(new MemberDescription(m.memberId(), Optional.ofNullable(m.groupInstanceId()), m.clientId(),
          m.clientHost(), new MemberAssignment(assigned)));
    }
    CoordinatorChannel.Node at = channel.coordinator();
    Node coordinator = at == null ? Node.noNode() : new Node(at.id(), at.host() == null ? "" : at.host(), -1);
    return Future.succeededFuture(new ConsumerGroupDescription(groupId,
        g.protocolType() == null || g.protocolType().isEmpty(), members, g.protocol(), GroupType.CLASSIC,
        GroupState.parse(g.state()), coordinator, Set.of(), Optional.empty(), Optional.empty()));
  }

  // ---- delete ----

  Future<Void> deleteConsumerGroups(Collection<String> groupIds) {
    long deadlineMs = deadlineMs();
    List<Future<Void>> each = new ArrayList<>();
    new HashSet<>(groupIds).forEach(id -> each.add(atCoordinator(id, deadlineMs, "deleting group " + id,
        channel -> channel.send(GroupApi.DELETE_GROUPS, new DeleteGroupsRequest(List.of(id)),
            DeleteGroupsResponse.class).compose(r -> deleted(channel, id, r)))));
    return Future.all(each).mapEmpty();
  }

  private static Future<Void> deleted(CoordinatorChannel channel, String groupId, DeleteGroupsResponse response) {
    Errors error = response.results().stream().filter(r -> groupId.equals(r.groupId())).findFirst()
        .map(r -> MetadataSnapshot.errorOf(r.error())).orElse(Errors.UNKNOWN_SERVER_ERROR);
    switch (error) {
      case NONE:
        return Future.succeededFuture();
      case GROUP_ID_NOT_FOUND:
        return Future.failedFuture(new GroupIdNotFoundException("Group " + groupId + " not found."));
      case NON_EMPTY_GROUP:
        return Future.failedFuture(new GroupNotEmptyException("Group " + groupId + " has members: it can be deleted "
            + "only when it is empty."));
      default:
        return channel.failWith(error, "DeleteGroups");
    }
  }

  // ---- offsets ----

  Future<Map<TopicPartition, OffsetAndMetadata>> listConsumerGroupOffsets(String groupId) {
    return atCoordinator(groupId, deadlineMs(), "listing the offsets of group " + groupId,
        channel -> channel.send(GroupApi.OFFSET_FETCH, new OffsetFetchRequest(groupId, null), OffsetFetchResponse.class)
            .compose(r -> {
              Errors error = MetadataSnapshot.errorOf(r.error());
              if (error != Errors.NONE) {
                return channel.failWith(error, "OffsetFetch");
              }
              Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
              r.offsets().stream().filter(o -> o.offset() >= 0).forEach(o -> offsets.put(
                  new TopicPartition(o.topic(), o.partition()), new OffsetAndMetadata(o.offset(),
                      o.leaderEpoch() < 0 ? Optional.empty() : Optional.of(o.leaderEpoch()), o.metadata())));
              return Future.succeededFuture(offsets);
            }));
  }

  Future<Void> alterConsumerGroupOffsets(String groupId, Map<TopicPartition, OffsetAndMetadata> offsets) {
    List<OffsetCommitRequest.Offset> entries = new ArrayList<>();
    offsets.forEach((tp, o) -> entries.add(new OffsetCommitRequest.Offset(tp.topic(), tp.partition(), o.offset(),
        o.leaderEpoch().orElse(-1), o.metadata())));
    // generation -1 and no member: a commit from outside group management, which only an Empty group accepts
    OffsetCommitRequest request = new OffsetCommitRequest(groupId, -1, "", null, entries);
    return atCoordinator(groupId, deadlineMs(), "altering the offsets of group " + groupId,
        channel -> channel.send(GroupApi.OFFSET_COMMIT, request, OffsetCommitResponse.class).compose(r -> {
          for (OffsetCommitResponse.Partition p : r.partitions()) {
            Errors error = MetadataSnapshot.errorOf(p.error());
            if (error == Errors.UNKNOWN_MEMBER_ID || error == Errors.ILLEGAL_GENERATION) {
              return Future.failedFuture(new UnknownMemberIdException("Group " + groupId + " has members: its "
                  + "offsets can be altered only while it is empty"));
            } else if (error != Errors.NONE) {
              return channel.failWith(error, "OffsetCommit of " + p.topic() + "-" + p.partition());
            }
          }
          return Future.succeededFuture();
        }));
  }
}
