package io.brook.web.api;

import io.brook.protocol.GroupApi;
import io.brook.protocol.message.BrokerInfo;
import io.brook.protocol.message.DeleteGroupsRequest;
import io.brook.protocol.message.DeleteGroupsResponse;
import io.brook.protocol.message.DescribeGroupsRequest;
import io.brook.protocol.message.DescribeGroupsResponse;
import io.brook.protocol.message.ListGroupsRequest;
import io.brook.protocol.message.ListGroupsResponse;
import io.brook.protocol.message.ListOffsetsRequest;
import io.brook.protocol.message.MetadataRequest;
import io.brook.protocol.message.OffsetCommitRequest;
import io.brook.protocol.message.OffsetCommitResponse;
import io.brook.protocol.message.OffsetFetchRequest;
import io.brook.protocol.message.OffsetFetchResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Consumer group routes: {@code GET /api/groups} (every broker's groups), {@code GET
 * /api/groups/:group} (state, members and their partitions, and per partition the committed
 * offset, the log end offset and the lag), {@code DELETE /api/groups/:group} (an Empty group), and
 * {@code POST /api/groups/:group/offsets} (reset offsets: a plan, applied only with
 * {@code "execute": true}, and only while the group has no members). Runs on its verticle's event loop.
 */
public final class GroupsHandler {
  private final Vertx vertx;

  public GroupsHandler(Vertx vertx) {
    this.vertx = vertx;
  }

  public void mount(Router router) {
    router.get("/api/groups").handler(this::list);
    router.get("/api/groups/:group").handler(this::describe);
    router.delete("/api/groups/:group").handler(this::delete);
    router.post("/api/groups/:group/offsets").handler(this::resetOffsets);
  }

  static String group(RoutingContext ctx) {
    String group = ctx.pathParam("group");
    if (group == null || group.isEmpty()) {
      throw new InvalidRequestException("a group id is required");
    }
    return group;
  }

  // ---- list ----

  /** Each broker lists the groups it coordinates; a broker that does not answer is named in "unavailable". */
  private void list(RoutingContext ctx) {
    BrokerClient brokers = BrokerClient.of(ctx);
    Future<JsonObject> answer = brokers.metadata(new MetadataRequest(List.of())).compose(metadata -> {
      List<Future<ListGroupsResponse>> asked = new ArrayList<>();
      for (BrokerInfo broker : metadata.brokers()) {
        asked.add(brokers.request(GroupApi.LIST_GROUPS.address(broker.nodeId()), new ListGroupsRequest(null)));
      }
      return Future.join(asked).transform(done -> {
        JsonArray groups = new JsonArray();
        JsonArray unavailable = new JsonArray();
        List<JsonObject> rows = new ArrayList<>();
        for (int i = 0; i < asked.size(); i++) {
          int node = metadata.brokers().get(i).nodeId();
          Future<ListGroupsResponse> one = asked.get(i);
          if (one.failed() || one.result().error() != null) {
            unavailable.add(node);
          }
          if (one.succeeded()) {
            one.result().groups().forEach(g -> rows.add(new JsonObject().put("groupId", g.groupId())
                .put("state", g.state()).put("protocolType", g.protocolType()).put("coordinator", node)));
          }
        }
        rows.sort(Comparator.comparing(row -> row.getString("groupId")));
        rows.forEach(groups::add);
        return Future.succeededFuture(new JsonObject().put("groups", groups).put("unavailable", unavailable));
      });
    });
    Responses.json(ctx, 200, answer);
  }

  // ---- describe ----

  private void describe(RoutingContext ctx) {
    Responses.json(ctx, 200, describeBody(ctx, group(ctx)));
  }

  /**
   * The body of {@code GET /api/groups/:group} for the route's caller (also the group watch's event), with
   * {@code authorizedOperations}.
   */
  Future<JsonObject> describeBody(RoutingContext ctx, String groupId) {
    BrokerClient brokers = BrokerClient.of(ctx);
    GroupCalls calls = new GroupCalls(vertx, brokers);
    Future<DescribeGroupsResponse.Group> described = calls.<DescribeGroupsResponse>call(groupId,
            GroupApi.DESCRIBE_GROUPS, new DescribeGroupsRequest(List.of(groupId)), r -> coordinatorError(r.groups().get(0).error()))
        .map(r -> r.groups().get(0));
    Future<OffsetFetchResponse> committed = calls.call(groupId, GroupApi.OFFSET_FETCH,
        new OffsetFetchRequest(groupId, null), OffsetFetchResponse::error);
    Future<Integer> coordinator = calls.coordinator(groupId);
    Future<JsonObject> answer = Future.all(described, committed, coordinator).compose(done -> {
      if (Errors.GROUP_ID_NOT_FOUND.name().equals(described.result().error()) && committed.result().offsets().isEmpty()) {
        return Future.failedFuture(Errors.GROUP_ID_NOT_FOUND.exception("Group '" + groupId + "' does not exist"));
      }
      return withLag(brokers, groupId, described.result(), committed.result(), coordinator.result());
    });
    return answer.compose(body -> AuthorizedOperations.of(ctx, ResourceType.GROUP, groupId)
        .map(operations -> body.put("authorizedOperations", operations)));
  }

  /** Only the errors worth asking again for: the group's own error (GROUP_ID_NOT_FOUND) is an answer. */
  private static String coordinatorError(String error) {
    return Errors.NOT_COORDINATOR.name().equals(error) || Errors.COORDINATOR_LOAD_IN_PROGRESS.name().equals(error)
        || Errors.COORDINATOR_NOT_AVAILABLE.name().equals(error) ? error : null;
  }

  private Future<JsonObject> withLag(BrokerClient brokers, String groupId, DescribeGroupsResponse.Group group,
      OffsetFetchResponse committed, int coordinator) {
    Map<TopicPartition, JsonObject> rows = new TreeMap<>(Comparator.comparing(TopicPartition::topic)
        .thenComparingInt(TopicPartition::partition));
    for (OffsetFetchResponse.Offset o : committed.offsets()) {
      rows.put(new TopicPartition(o.topic(), o.partition()), new JsonObject().put("topic", o.topic())
          .put("partition", o.partition()).put("committedOffset", o.offset()).put("metadata", o.metadata()));
    }
    JsonArray members = new JsonArray();
    for (DescribeGroupsResponse.Member m : group.members()) {
      JsonArray owned = new JsonArray();
      for (TopicPartition tp : assignedPartitions(group.protocolType(), m.assignment())) {
        owned.add(new JsonObject().put("topic", tp.topic()).put("partition", tp.partition()));
        rows.computeIfAbsent(tp, k -> new JsonObject().put("topic", k.topic()).put("partition", k.partition())
                .put("committedOffset", -1L))
            .put("memberId", m.memberId()).put("clientId", m.clientId()).put("host", m.clientHost());
      }
      members.add(new JsonObject().put("memberId", m.memberId()).put("groupInstanceId", m.groupInstanceId())
          .put("clientId", m.clientId()).put("host", m.clientHost()).put("partitions", owned));
    }
    List<Future<Long>> ends = new ArrayList<>();
    List<JsonObject> ordered = new ArrayList<>(rows.values());
    for (JsonObject row : ordered) {
      ends.add(brokers.listOffsets(row.getString("topic"), row.getInteger("partition"), ListOffsetsRequest.LATEST)
          .map(r -> r.offset()));
    }
    return Future.join(ends).transform(done -> {
      long totalLag = 0;
      JsonArray offsets = new JsonArray();
      for (int i = 0; i < ordered.size(); i++) {
        JsonObject row = ordered.get(i);
        long committedOffset = row.getLong("committedOffset");
        if (ends.get(i).succeeded()) {
          long end = ends.get(i).result();
          row.put("logEndOffset", end);
          if (committedOffset >= 0) {
            long lag = Math.max(0, end - committedOffset);
            row.put("lag", lag);
            totalLag += lag;
          }
        }
        offsets.add(row);
      }
      return Future.succeededFuture(new JsonObject().put("groupId", groupId).put("state", group.state())
          .put("protocolType", group.protocolType()).put("protocol", group.protocol()).put("coordinator", coordinator)
          .put("members", members).put("offsets", offsets).put("totalLag", totalLag));
    });
  }

  /** A consumer group's member assignment (ConsumerProtocol bytes); nothing for other protocol types. */
  static List<TopicPartition> assignedPartitions(String protocolType, byte[] assignment) {
    if (!"consumer".equals(protocolType) || assignment == null || assignment.length == 0) {
      return List.of();
    }
    try {
      return ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(assignment)).partitions();
    } catch (RuntimeException unreadable) {
      return List.of(); // a client's own bytes: shown as no partitions rather than failing the page
    }
  }

  // ---- delete ----

  private void delete(RoutingContext ctx) {
    String groupId = group(ctx);
    Future<JsonObject> answer = new GroupCalls(vertx, BrokerClient.of(ctx)).<DeleteGroupsResponse>call(groupId,
            GroupApi.DELETE_GROUPS, new DeleteGroupsRequest(List.of(groupId)),
            r -> coordinatorError(r.results().get(0).error()))
        .compose(r -> {
          String error = r.results().get(0).error();
          if (error == null) {
            return Future.succeededFuture(new JsonObject().put("groupId", groupId).put("deleted", true));
          }
          String why = Errors.NON_EMPTY_GROUP.name().equals(error)
              ? "Group '" + groupId + "' has active members: stop its consumers first"
              : "Group '" + groupId + "' was not deleted: " + error;
          return Future.failedFuture(Errors.valueOf(error).exception(why));
        });
    Responses.json(ctx, 200, answer);
  }

  // ---- reset offsets ----

  /**
   * Body: {@code topic}, optional {@code partitions} (all of the topic's by default), {@code to}:
   * {@code earliest | latest | datetime | offset | shift} with {@code value} for the last three (an
   * ISO-8601 time or epoch ms; an offset; a signed shift), and {@code execute} (false: only the plan).
   * New offsets are kept within each partition's earliest and latest offsets, as Kafka's tool does.
   */
  private void resetOffsets(RoutingContext ctx) {
    String groupId = group(ctx);
    JsonObject body = Params.bodyObject(ctx);
    String topic = Params.checkedTopic(requiredString(body, "topic"));
    String to = requiredString(body, "to");
    boolean execute = Boolean.TRUE.equals(body.getValue("execute"));
    Object value = body.getValue("value");
    ResetTarget target = ResetTarget.of(to, value);
    List<Integer> asked = partitionList(body);
    BrokerClient brokers = BrokerClient.of(ctx);
    GroupCalls calls = new GroupCalls(vertx, brokers);
    Future<JsonObject> answer = brokers.topic(topic).compose(metadata -> {
      List<Integer> partitions = asked != null ? asked : metadata.partitions().stream()
          .map(p -> p.partition()).sorted().toList();
      partitions.forEach(p -> BrokerClient.partitionOf(metadata, p));
      Future<DescribeGroupsResponse> state = calls.call(groupId, GroupApi.DESCRIBE_GROUPS,
          new DescribeGroupsRequest(List.of(groupId)), r -> coordinatorError(r.groups().get(0).error()));
      Future<OffsetFetchResponse> current = calls.call(groupId, GroupApi.OFFSET_FETCH,
          new OffsetFetchRequest(groupId, partitions.stream()
              .map(p -> new io.brook.protocol.message.TopicPartitionRef(topic, p)).toList()),
          OffsetFetchResponse::error);
      return Future.all(state, current).compose(done -> {
        DescribeGroupsResponse.Group group = state.result().groups().get(0);
        if (!group.members().isEmpty()) {
          return Future.failedFuture(new GroupNotEmptyException("Group '" + groupId + "' is " + group.state()
              + " with " + group.members().size() + " member(s): offsets can be reset only while no consumer of "
              + "the group runs (stop them first)"));
        }
        Map<Integer, Long> currentOffsets = new HashMap<>();
        current.result().offsets().forEach(o -> currentOffsets.put(o.partition(), o.offset()));
        return plan(brokers, topic, partitions, target, currentOffsets);
      }).compose(plan -> execute ? commit(calls, groupId, topic, plan) : Future.succeededFuture(plan))
          .map(plan -> new JsonObject().put("groupId", groupId).put("topic", topic).put("executed", execute)
              .put("partitions", plan));
    });
    Responses.json(ctx, 200, answer);
  }

  private static String requiredString(JsonObject body, String key) {
    Object value = body.getValue(key);
    if (!(value instanceof String text) || text.isEmpty()) {
      throw new InvalidRequestException("'" + key + "' (a string) is required");
    }
    return text;
  }

  private static List<Integer> partitionList(JsonObject body) {
    Object value = body.getValue("partitions");
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray array) || array.isEmpty()) {
      throw new InvalidRequestException("'partitions' must be a non-empty list of partition numbers");
    }
    TreeSet<Integer> partitions = new TreeSet<>();
    for (Object p : array) {
      if (!(p instanceof Number n) || n.intValue() < 0 || n.doubleValue() != n.intValue()) {
        throw new InvalidRequestException("'partitions' must hold partition numbers (0 or more), had " + p);
      }
      partitions.add(n.intValue());
    }
    return List.copyOf(partitions);
  }

  /** What an offset reset moves each partition to. */
  record ResetTarget(String to, long value) {
    static ResetTarget of(String to, Object value) {
      return switch (to) {
        case "earliest", "latest" -> new ResetTarget(to, 0);
        case "datetime" -> new ResetTarget(to, Params.timestampMs("value", String.valueOf(required(value))));
        case "offset" -> new ResetTarget(to, number(value, 0));
        case "shift" -> new ResetTarget(to, number(value, Long.MIN_VALUE));
        default -> throw new InvalidRequestException("'to' must be earliest, latest, datetime, offset or shift, was '"
            + Params.abbreviate(to) + "'");
      };
    }

    private static Object required(Object value) {
      if (value == null) {
        throw new InvalidRequestException("'value' is required with this 'to'");
      }
      return value;
    }

    private static long number(Object value, long min) {
      Object given = required(value);
      long n;
      if (given instanceof Number number && number.doubleValue() == number.longValue()) {
        n = number.longValue();
      } else {
        n = Params.longValue("value", String.valueOf(given));
      }
      if (n < min) {
        throw new InvalidRequestException("'value' must be at least " + min + ", was " + n);
      }
      return n;
    }
  }

  private static Future<JsonArray> plan(BrokerClient brokers, String topic, List<Integer> partitions,
      ResetTarget target, Map<Integer, Long> currentOffsets) {
    List<Future<JsonObject>> rows = new ArrayList<>();
    for (int partition : partitions) {
      long current = currentOffsets.getOrDefault(partition, -1L);
      Future<Long> earliest = brokers.listOffsets(topic, partition, ListOffsetsRequest.EARLIEST).map(r -> r.offset());
      Future<Long> latest = brokers.listOffsets(topic, partition, ListOffsetsRequest.LATEST).map(r -> r.offset());
      Future<Long> atTime = target.to().equals("datetime")
          ? brokers.listOffsets(topic, partition, target.value()).map(r -> r.offset()) : Future.succeededFuture(-1L);
      rows.add(Future.all(earliest, latest, atTime).compose(done -> {
        long low = earliest.result();
        long high = latest.result();
        long wanted = switch (target.to()) {
          case "earliest" -> low;
          case "latest" -> high;
          case "datetime" -> atTime.result() < 0 ? high : atTime.result();
          case "offset" -> target.value();
          case "shift" -> {
            if (current < 0) {
              throw new InvalidRequestException("partition " + partition + " of '" + topic + "' has no committed offset "
                  + "to shift from: reset it to earliest, latest, a datetime or an offset");
            }
            yield current + target.value();
          }
          default -> throw new IllegalStateException(target.to());
        };
        long next = Math.max(low, Math.min(high, wanted));
        return Future.succeededFuture(new JsonObject().put("partition", partition).put("currentOffset", current)
            .put("newOffset", next));
      }));
    }
    return Future.all(rows).map(done -> {
      JsonArray plan = new JsonArray();
      rows.forEach(row -> plan.add(row.result()));
      return plan;
    });
  }

  /** Commits the plan as a tool does (generation -1, no member): only an Empty group accepts it. */
  private static Future<JsonArray> commit(GroupCalls calls, String groupId, String topic, JsonArray plan) {
    List<OffsetCommitRequest.Offset> offsets = new ArrayList<>();
    for (int i = 0; i < plan.size(); i++) {
      JsonObject row = plan.getJsonObject(i);
      offsets.add(new OffsetCommitRequest.Offset(topic, row.getInteger("partition"), row.getLong("newOffset"), -1,
          ""));
    }
    return calls.<OffsetCommitResponse>call(groupId, GroupApi.OFFSET_COMMIT,
        new OffsetCommitRequest(groupId, -1, "", null, offsets), r -> null).compose(r -> {
          for (OffsetCommitResponse.Partition p : r.partitions()) {
            if (p.error() != null) {
              return Future.failedFuture(Errors.valueOf(p.error()).exception("Resetting " + topic + "-" + p.partition()
                  + " of group '" + groupId + "' failed: " + p.error()
                  + (Errors.ILLEGAL_GENERATION.name().equals(p.error()) ? " (a consumer joined the group meanwhile)" : "")));
            }
          }
          return Future.succeededFuture(plan);
        });
  }
}
