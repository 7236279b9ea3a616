package io.brook.web.api;

import io.brook.protocol.Addresses;
import io.brook.protocol.message.AlterConfigsRequest;
import io.brook.protocol.message.CreateTopicRequest;
import io.brook.protocol.message.DeleteTopicRequest;
import io.brook.protocol.message.DescribeTopicRequest;
import io.brook.protocol.message.ListTopicsRequest;
import io.brook.protocol.message.ListTopicsResponse;
import io.brook.protocol.message.TopicMetadata;
import io.brook.protocol.codec.BrookJson;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Topic administration routes: list, create, describe, delete and alter configs, each relayed to
 * the cluster's admin addresses (any broker answers). Runs on its verticle's event loop.
 */
public final class TopicAdminHandler {
  /** Sent when the body leaves partitions or replication factor out: the broker's default applies. */
  static final int BROKER_DEFAULT = -1;
  /** The most partitions one request may create. */
  static final int MAX_PARTITIONS = 100_000;

  private final BrokerClient brokers;

  public TopicAdminHandler(BrokerClient brokers) {
    this.brokers = brokers;
  }

  public void mount(Router router) {
    router.get("/api/topics").handler(this::list);
    router.post("/api/topics").handler(this::create);
    router.get("/api/topics/:name").handler(this::describe);
    router.delete("/api/topics/:name").handler(this::delete);
    router.put("/api/topics/:name/configs").handler(this::alterConfigs);
  }

  /**
   * All topics (the CLI's form), or with any of {@code search, sort, order, page, pageSize} one page of
   * them with records, size, under-replicated count and rates from the node's latest metrics sample
   * ({@link TopicPage}, {@link ClusterMetricsSampler}: at most about two seconds old; {@code sampledAt} says
   * when, -1 when the sampler, idle until this request, had none within {@link TopicPage#FIRST_SAMPLE_WAIT_MS}).
   */
  private void list(RoutingContext ctx) {
    boolean internal = Boolean.parseBoolean(Params.string(ctx, "internal", "false"));
    TopicPage.Query query = TopicPage.asked(ctx) ? TopicPage.query(ctx) : null;
    Future<ListTopicsResponse> listed = BrokerClient.of(ctx).requestAnyBroker(Addresses.LIST_TOPICS,
        new ListTopicsRequest(internal));
    if (query == null) {
      Responses.json(ctx, 200, listed);
      return;
    }
    Future<MetricsSample> sample = ClusterMetricsSampler.of(ctx.vertx(), brokers).recent(TopicPage.FIRST_SAMPLE_WAIT_MS);
    Responses.json(ctx, 200, Future.all(listed, sample)
        .map(done -> TopicPage.page(listed.result().topics(), sample.result(), query)));
  }

  private void create(RoutingContext ctx) {
    JsonObject body = Params.bodyObject(ctx);
    Object name = body.getValue("name");
    if (!(name instanceof String)) {
      throw new InvalidRequestException("'name' (a string) is required");
    }
    String topic = Params.checkedTopic((String) name);
    Map<String, String> configs = Params.stringMap(body, "configs");
    List<List<Integer>> assignment = Params.brokerLists(body, "replicaAssignment", MAX_PARTITIONS);
    CreateTopicRequest request;
    if (assignment != null) {
      if (body.getValue("partitions") != null || body.getValue("replicationFactor") != null) {
        throw new InvalidRequestException("give 'replicaAssignment', or 'partitions' and 'replicationFactor', not both");
      }
      request = CreateTopicRequest.assigned(topic, assignment, configs, false);
    } else {
      request = new CreateTopicRequest(topic,
          Params.jsonInt(body, "partitions", BROKER_DEFAULT, BROKER_DEFAULT, MAX_PARTITIONS),
          (short) Params.jsonInt(body, "replicationFactor", BROKER_DEFAULT, BROKER_DEFAULT, Short.MAX_VALUE), configs);
      if (request.partitions() == 0 || request.replicationFactor() == 0) {
        throw new InvalidRequestException("partitions and replicationFactor must be at least 1");
      }
    }
    Future<TopicMetadata> created = BrokerClient.of(ctx).request(Addresses.CREATE_TOPIC, request);
    Responses.json(ctx, 201, created.andThen(done -> brokers.invalidate(request.name())));
  }

  private void describe(RoutingContext ctx) {
    Responses.json(ctx, 200, describeBody(ctx, Params.topic(ctx)));
  }

  /** The body of {@code GET /api/topics/:name} for the route's caller (also the topic watch's event). */
  static Future<JsonObject> describeBody(RoutingContext ctx, String name) {
    Future<Object> topic = BrokerClient.of(ctx).request(Addresses.DESCRIBE_TOPIC, new DescribeTopicRequest(name));
    return topic.compose(described -> AuthorizedOperations.of(ctx, ResourceType.TOPIC, name)
        .map(operations -> BrookJson.toJson(described).put("authorizedOperations", operations)));
  }

  private void delete(RoutingContext ctx) {
    String name = Params.topic(ctx);
    Responses.json(ctx, 200, BrokerClient.of(ctx).request(Addresses.DELETE_TOPIC, new DeleteTopicRequest(name))
        .andThen(done -> brokers.invalidate(name)));
  }

  private void alterConfigs(RoutingContext ctx) {
    String name = Params.topic(ctx);
    JsonObject body = Params.bodyObject(ctx);
    Map<String, String> set = Params.stringMap(body, "set");
    List<String> delete = Params.stringList(body, "delete");
    if (set.isEmpty() && delete.isEmpty()) {
      throw new InvalidRequestException("nothing to alter: give 'set' and/or 'delete'");
    }
    Responses.json(ctx, 200, BrokerClient.of(ctx).request(Addresses.ALTER_CONFIGS, new AlterConfigsRequest(name, set, delete)));
  }
}
