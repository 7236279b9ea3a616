package io.brook.web.api;

import io.brook.protocol.Addresses;
import io.brook.protocol.message.ClusterDescription;
import io.brook.protocol.message.CreatePartitionsRequest;
import io.brook.protocol.message.DescribeClusterRequest;
import io.brook.protocol.message.ElectLeadersRequest;
import io.brook.protocol.message.ElectLeadersResponse;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.ReassignPartitionRequest;
import io.brook.protocol.message.TopicMetadata;
import io.brook.protocol.message.UnregisterBrokerRequest;
import io.brook.protocol.codec.BrookJson;
import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.errors.InvalidRequestException;

/**
 * Cluster administration routes, each relayed to the active controller through any broker:
 *
 * <ul>
 *   <li>{@code GET /api/cluster}: the controller, its epoch and every registered broker with its
 *       state (REGISTERED, UNFENCED, FENCED), heartbeat age and leader/replica counts;
 *   <li>{@code POST /api/topics/:name/partitions {count}}: raise the topic's partition count;
 *   <li>{@code POST /api/partitions/elect-leaders {preferred, partitions}}: preferred (default) or
 *       unclean leader election, per partition {@code "topic:partition"}, all partitions when none
 *       are given; answers each partition's result (NONE or a Kafka error name) with 200, since
 *       one partition's failure is not the request's;
 *   <li>{@code POST /api/topics/:name/partitions/:p/reassign {replicas}}: move the partition to
 *       {@code replicas} (the first is the preferred leader); an empty or absent list cancels a
 *       running reassignment, as does {@code DELETE} on the same path;
 *   <li>{@code DELETE /api/cluster/brokers/:id[?force=true]}: decommission a stopped broker (it leaves the
 *       metadata quorum's voters and the registrations); refused while it hosts replicas unless forced.
 * </ul>
 *
 * Runs on its verticle's event loop.
 */
public final class ClusterHandler {
  private final BrokerClient brokers;

  public ClusterHandler(BrokerClient brokers) {
    this.brokers = brokers;
  }

  public void mount(Router router) {
    router.get("/api/cluster").handler(this::describe);
    router.post("/api/topics/:name/partitions").handler(this::createPartitions);
    router.post("/api/partitions/elect-leaders").handler(this::electLeaders);
    router.post("/api/topics/:name/partitions/:partition/reassign").handler(this::reassign);
    router.delete("/api/topics/:name/partitions/:partition/reassign").handler(this::cancelReassignment);
    router.delete("/api/cluster/brokers/:id").handler(this::unregisterBroker);
  }

  /**
   * Decommissions a stopped broker: it leaves the metadata quorum's voters and the registrations; refused while it
   * hosts replicas unless {@code ?force=true}.
   */
  private void unregisterBroker(RoutingContext ctx) {
    int nodeId = Params.intValue("id", ctx.pathParam("id"), 0, Integer.MAX_VALUE);
    String force = ctx.queryParams().get("force");
    if (force != null && !force.equals("true") && !force.equals("false")) {
      throw new InvalidRequestException("'force' must be true or false, was '" + force + "'");
    }
    Future<JsonObject> done = BrokerClient.of(ctx).<UnregisterBrokerRequest>request(Addresses.UNREGISTER_BROKER,
        new UnregisterBrokerRequest(nodeId, "true".equals(force))).map(r -> new JsonObject().put("removed", nodeId));
    Responses.json(ctx, 200, done);
  }

  /**
   * How long one describe-cluster attempt may take before it is sent again: the broker forwards it to
   * the controller, which may have just died (a new one is elected within a ZooKeeper session, 6 s).
   */
  static final long DESCRIBE_ATTEMPT_MS = 5_000;

  private void describe(RoutingContext ctx) {
    // each broker's data dirs, from the node's metrics sampler (asked only once the caller may describe the cluster)
    Responses.json(ctx, 200, describeBody(BrokerClient.of(ctx)).compose(body -> ClusterMetricsSampler.of(ctx.vertx(), brokers)
        .recent(MetricsHandler.FIRST_SAMPLE_WAIT_MS)
        .map(sample -> withDataDirs(body, sample))));
  }

  /** The body of {@code GET /api/cluster} for {@code caller} (also the cluster watch's event). */
  static Future<JsonObject> describeBody(BrokerClient caller) {
    Future<ClusterDescription> cluster = caller.retryingTimeouts(Addresses.DESCRIBE_CLUSTER,
        new DescribeClusterRequest(true), DESCRIBE_ATTEMPT_MS);
    return cluster.map(BrookJson::toJson);
  }

  /** Every broker gains {@code dataDirs} [{path, usedBytes, usableBytes, totalBytes}]; empty when it did not answer. */
  static JsonObject withDataDirs(JsonObject cluster, MetricsSample sample) {
    java.util.Map<Integer, JsonArray> dirs = new java.util.HashMap<>();
    if (sample != null) {
      sample.brokers().forEach(b -> dirs.put(((JsonObject) b).getInteger("nodeId"), ((JsonObject) b).getJsonArray("dataDirs")));
    }
    JsonArray brokersJson = cluster.getJsonArray("brokers", new JsonArray());
    for (Object broker : brokersJson) {
      JsonObject json = (JsonObject) broker;
      json.put("dataDirs", dirs.getOrDefault(json.getInteger("nodeId"), new JsonArray()).copy());
    }
    return cluster;
  }

  private void createPartitions(RoutingContext ctx) {
    String topic = Params.topic(ctx);
    JsonObject body = Params.bodyObject(ctx);
    if (body.getValue("count") == null) {
      throw new InvalidRequestException("'count' (the topic's new partition count) is required");
    }
    int count = Params.jsonInt(body, "count", -1, 1, Integer.MAX_VALUE);
    // the replicas of the new partitions, in order; the controller checks there is one list per new partition
    List<List<Integer>> assignment = Params.brokerLists(body, "replicaAssignment", TopicAdminHandler.MAX_PARTITIONS);
    Future<TopicMetadata> grown = BrokerClient.of(ctx).request(Addresses.CREATE_PARTITIONS,
        new CreatePartitionsRequest(topic, count, false, assignment));
    Responses.json(ctx, 200, grown.andThen(done -> brokers.invalidate(topic)));
  }

  private void electLeaders(RoutingContext ctx) {
    JsonObject body = Params.bodyObject(ctx);
    Object preferred = body.getValue("preferred", Boolean.TRUE);
    if (!(preferred instanceof Boolean)) {
      throw new InvalidRequestException("'preferred' must be true (preferred leader election) or false (unclean), was "
          + Json.encode(preferred));
    }
    List<String> partitions = partitionList(body);
    ElectLeadersRequest request = new ElectLeadersRequest((Boolean) preferred, partitions);
    Future<ElectLeadersResponse> elected = BrokerClient.of(ctx).request(Addresses.ELECT_LEADERS, request);
    // leaders moved: forget what the cache says of these topics
    Responses.json(ctx, 200, elected.onSuccess(answer -> answer.results().keySet()
        .forEach(p -> brokers.invalidate(p.substring(0, Math.max(0, p.lastIndexOf(':')))))));
  }

  private void reassign(RoutingContext ctx) {
    String topic = Params.topic(ctx);
    int partition = Params.intValue("partition", ctx.pathParam("partition"), 0, Integer.MAX_VALUE);
    JsonObject body = Params.bodyObject(ctx);
    send(ctx, new ReassignPartitionRequest(topic, partition, replicaList(body)));
  }

  private void cancelReassignment(RoutingContext ctx) {
    String topic = Params.topic(ctx);
    int partition = Params.intValue("partition", ctx.pathParam("partition"), 0, Integer.MAX_VALUE);
    send(ctx, new ReassignPartitionRequest(topic, partition, List.of()));
  }

  private void send(RoutingContext ctx, ReassignPartitionRequest request) {
    // as the caller: the broker checks ALTER on the cluster (the listener's own client would pass unchecked)
    Future<JsonObject> answer = BrokerClient.of(ctx).<PartitionMetadata>request(Addresses.REASSIGN_PARTITION, request)
        .andThen(done -> brokers.invalidate(request.topic()))
        .map(p -> {
          JsonObject json = new JsonObject()
              .put("topic", request.topic())
              .put("partition", p.partition())
              .put("leader", p.leader())
              .put("leaderEpoch", p.leaderEpoch())
              .put("replicas", new JsonArray(new ArrayList<>(p.replicas())))
              .put("isr", new JsonArray(new ArrayList<>(p.isr())));
          if (!request.replicas().isEmpty()) {
            json.put("targetReplicas", new JsonArray(new ArrayList<>(request.replicas())));
          }
          return json.put("reassigning", reassigning(request.replicas(), p));
        });
    Responses.json(ctx, 200, answer);
  }

  /**
   * Whether the reassignment to {@code targets} is still running after the answer: the replicas are
   * not yet exactly the targets, all in sync. A cancellation ({@code targets} empty) is over at once:
   * the original replicas are back.
   */
  static boolean reassigning(List<Integer> targets, PartitionMetadata partition) {
    return !targets.isEmpty() && !(partition.replicas().equals(targets) && partition.isr().containsAll(targets));
  }

  /** {@code partitions}: "topic:partition" strings, distinct; empty when absent (all partitions). */
  static List<String> partitionList(JsonObject body) {
    Set<String> out = new LinkedHashSet<>();
    for (String item : Params.stringList(body, "partitions")) {
      int colon = item.lastIndexOf(':');
      if (colon <= 0 || colon == item.length() - 1) {
        throw new InvalidRequestException("partitions are given as \"topic:partition\", not '" + item + "'");
      }
      String topic = Params.checkedTopic(item.substring(0, colon));
      int partition = Params.intValue("partition of '" + item + "'", item.substring(colon + 1), 0, Integer.MAX_VALUE);
      out.add(topic + ":" + partition);
    }
    return List.copyOf(out);
  }

  /** {@code replicas}: broker ids, distinct; empty when absent or null (a cancellation). */
  static List<Integer> replicaList(JsonObject body) {
    Object value = body.getValue("replicas");
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw new InvalidRequestException("'replicas' must be a JSON array of broker ids, was " + Json.encode(value));
    }
    List<Integer> replicas = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof Integer || item instanceof Long || item instanceof Short)
          || ((Number) item).longValue() < 0 || ((Number) item).longValue() > Integer.MAX_VALUE) {
        throw new InvalidRequestException("'replicas' must hold broker ids (integers >= 0), found " + Json.encode(item));
      }
      int id = ((Number) item).intValue();
      if (replicas.contains(id)) {
        throw new InvalidRequestException("'replicas' names broker " + id + " twice: " + array.encode());
      }
      replicas.add(id);
    }
    return replicas;
  }
}
