package io.brook.web.api;

import io.brook.client.BrookClients;
import io.brook.client.BrookConsumer;
import io.brook.client.ConsumerConfigs;
import io.brook.protocol.message.JsonRecords;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.errors.ThrottlingQuotaExceededException;

/**
 * Group consumers for HTTP clients, as Kafka's REST proxy has them (what {@code bin/brook consume
 * --group} uses): {@code POST /api/groups/:group/consumers} starts a {@link BrookConsumer} in this
 * node that subscribes for the caller, {@code GET .../consumers/:id/records} polls it, {@code POST
 * .../consumers/:id/offsets} commits what the client has processed, {@code DELETE .../consumers/:id}
 * closes it (it leaves the group at once; with {@code ?commit=positions}, after committing its
 * positions: the client processed everything it was handed).
 *
 * <p>Nothing is committed that the client did not commit: a client that processes, then commits,
 * gets every record at least once. A consumer its client stops asking for
 * ({@code http.consumer.instance.timeout.ms}: a client killed) is closed, and its partitions go to
 * the group's other members from the last commit. Offsets are committed only for partitions the
 * consumer owns. A consumer serves only the principal that created it, one request at a time. Runs
 * on its verticle's event loop, as do the consumers.
 */
public final class GroupConsumersHandler {
  private static final System.Logger LOG = System.getLogger(GroupConsumersHandler.class.getName());
  static final int DEFAULT_MAX_WAIT_MS = 1_000;
  static final int MAX_RECORDS = 10_000;

  private final Vertx vertx;
  private final int maxInstances;
  private final long timeoutMs;
  private final Map<String, Instance> instances = new HashMap<>();
  private long sweeper = -1;

  /** One consumer of an HTTP client. */
  private static final class Instance {
    final String id;
    final String group;
    final String principal;
    final BrookConsumer consumer;
    long lastUsedMs;
    boolean busy;

    Instance(String id, String group, String principal, BrookConsumer consumer) {
      this.id = id;
      this.group = group;
      this.principal = principal;
      this.consumer = consumer;
    }
  }

  public GroupConsumersHandler(Vertx vertx, int maxInstances, long timeoutMs) {
    this.vertx = vertx;
    this.maxInstances = maxInstances;
    this.timeoutMs = timeoutMs;
  }

  public void mount(Router router) {
    router.post("/api/groups/:group/consumers").handler(this::create);
    router.get("/api/groups/:group/consumers/:id/records").handler(this::records);
    router.post("/api/groups/:group/consumers/:id/offsets").handler(this::commit);
    router.delete("/api/groups/:group/consumers/:id").handler(this::close);
    sweeper = vertx.setPeriodic(Math.max(100, timeoutMs / 10), id -> closeIdle());
  }

  /** Closes every consumer (the verticle stops): each leaves its group. */
  public Future<?> closeAll() {
    vertx.cancelTimer(sweeper);
    List<Future<Void>> closed = new ArrayList<>();
    instances.values().forEach(instance -> closed.add(instance.consumer.close(Duration.ofSeconds(5))));
    instances.clear();
    return Future.join(closed);
  }

  private void create(RoutingContext ctx) {
    String group = ctx.pathParam("group");
    JsonObject body = Params.bodyObject(ctx);
    List<String> topics = Params.stringList(body, "topics");
    if (group == null || group.isEmpty() || topics.isEmpty()) {
      throw new InvalidRequestException("a group and a non-empty 'topics' list are required");
    }
    topics.forEach(Params::checkedTopic);
    String reset = body.getValue("autoOffsetReset") == null ? "latest" : String.valueOf(body.getValue("autoOffsetReset"));
    if (!reset.equals("earliest") && !reset.equals("latest")) {
      throw new InvalidRequestException("autoOffsetReset must be earliest or latest, was '" + Params.abbreviate(reset) + "'");
    }
    int maxRecords = Params.jsonInt(body, "maxRecords", 500, 1, MAX_RECORDS);
    Object clientIdValue = body.getValue("clientId");
    String clientId = clientIdValue instanceof String text && !text.isEmpty() && text.length() <= 255 ? text : "http";
    if (instances.size() >= maxInstances) {
      throw new ThrottlingQuotaExceededException("This node already runs " + instances.size()
          + " group consumers for HTTP clients (http.consumer.instances.max)");
    }
    BrokerClient caller = BrokerClient.of(ctx);
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfigs.GROUP_ID, group);
    props.put(ConsumerConfigs.CLIENT_ID, clientId);
    props.put(ConsumerConfigs.AUTO_OFFSET_RESET, reset);
    props.put(ConsumerConfigs.ENABLE_AUTO_COMMIT, false);
    props.put(ConsumerConfigs.MAX_POLL_RECORDS, maxRecords);
    String id = UUID.randomUUID().toString();
    BrookConsumer consumer = BrookClients.consumer(vertx, props, caller.callerHeaders());
    Instance instance = new Instance(id, group, caller.principal(), consumer);
    instance.lastUsedMs = System.currentTimeMillis();
    consumer.subscribe(topics);
    instances.put(id, instance);
    Responses.json(ctx, 201, new JsonObject().put("instanceId", id).put("groupId", group)
        .put("topics", new JsonArray(topics)).put("timeoutMs", timeoutMs));
  }

  private Instance instance(RoutingContext ctx) {
    Instance instance = instances.get(ctx.pathParam("id"));
    if (instance == null || !instance.group.equals(ctx.pathParam("group"))
        || !instance.principal.equals(BrokerClient.of(ctx).principal())) {
      throw new ResourceNotFoundException("No group consumer " + Params.abbreviate(String.valueOf(ctx.pathParam("id")))
          + " of group '" + Params.abbreviate(String.valueOf(ctx.pathParam("group"))) + "' on this node (one unused for "
          + timeoutMs + " ms is closed): create another");
    }
    if (instance.busy) {
      throw new InvalidRequestException("group consumer " + instance.id + " is already serving a request: one at a time");
    }
    return instance;
  }

  private void records(RoutingContext ctx) {
    Instance instance = instance(ctx);
    Integer waitParam = Params.optionalInt(ctx, "maxWaitMs", 0, ConsumeHandler.MAX_WAIT_MS);
    int maxWaitMs = waitParam == null ? DEFAULT_MAX_WAIT_MS : waitParam;
    Integer limitParam = Params.optionalInt(ctx, "limit", 1, MAX_RECORDS);
    String encoding = Params.string(ctx, "encoding", JsonRecords.UTF8);
    if (!JsonRecords.UTF8.equals(encoding) && !JsonRecords.BASE64.equals(encoding)) {
      throw new InvalidRequestException("encoding must be utf8 or base64, was " + Params.abbreviate(encoding));
    }
    use(instance, instance.consumer.poll(Duration.ofMillis(maxWaitMs)).map(records -> {
      JsonArray json = new JsonArray();
      Map<TopicPartition, Long> giveBack = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> record : records) {
        if (limitParam != null && json.size() >= limitParam) {
          // not handed out: the consumer reads them again from there
          giveBack.putIfAbsent(new TopicPartition(record.topic(), record.partition()), record.offset());
        } else {
          json.add(JsonRecords.toJson(record, encoding));
        }
      }
      giveBack.forEach(instance.consumer::seek);
      return new JsonObject().put("records", json).put("assignment", partitions(instance.consumer.assignment()));
    }), ctx);
  }

  /**
   * Body {@code {offsets: [{topic, partition, offset}]}}, each the next offset to read. Partitions
   * the consumer does not own (any more: a rebalance) are not committed and are listed in
   * {@code notOwned}; their next owner reads from the group's last commit.
   */
  private void commit(RoutingContext ctx) {
    Instance instance = instance(ctx);
    Object value = Params.bodyObject(ctx).getValue("offsets");
    if (!(value instanceof JsonArray array)) {
      throw new InvalidRequestException("'offsets' must be a list of {topic, partition, offset}");
    }
    Map<TopicPartition, OffsetAndMetadata> owned = new HashMap<>();
    JsonArray notOwned = new JsonArray();
    for (Object item : array) {
      if (!(item instanceof JsonObject entry) || !(entry.getValue("topic") instanceof String topic)) {
        throw new InvalidRequestException("each offset must be {topic, partition, offset}, was " + item);
      }
      TopicPartition tp = new TopicPartition(topic,
          (int) Params.requiredJsonLong(entry, "partition", 0, Integer.MAX_VALUE));
      long offset = Params.requiredJsonLong(entry, "offset", 0, Long.MAX_VALUE);
      if (instance.consumer.assignment().contains(tp)) {
        owned.put(tp, new OffsetAndMetadata(offset));
      } else {
        notOwned.add(new JsonObject().put("topic", tp.topic()).put("partition", tp.partition()));
      }
    }
    Future<Void> committed = owned.isEmpty() ? Future.succeededFuture() : instance.consumer.commitSync(owned);
    use(instance, committed.map(done -> new JsonObject().put("committed", partitions(owned.keySet()))
        .put("notOwned", notOwned)), ctx);
  }

  private static JsonArray partitions(Collection<TopicPartition> partitions) {
    JsonArray json = new JsonArray();
    partitions.stream().sorted(java.util.Comparator.comparing(TopicPartition::topic)
            .thenComparingInt(TopicPartition::partition))
        .forEach(tp -> json.add(new JsonObject().put("topic", tp.topic()).put("partition", tp.partition())));
    return json;
  }

  /** Runs one request on the instance: one at a time, and its idle clock starts again when it ends. */
  private static void use(Instance instance, Future<JsonObject> work, RoutingContext ctx) {
    instance.busy = true;
    Responses.json(ctx, 200, work.andThen(done -> {
      instance.busy = false;
      instance.lastUsedMs = System.currentTimeMillis();
    }));
  }

  /**
   * {@code ?commit=positions}: the client has processed everything it was handed, so the consumer's
   * positions are committed first (partitions it read nothing from included); else nothing is.
   */
  private void close(RoutingContext ctx) {
    Instance instance = instance(ctx);
    String commit = Params.string(ctx, "commit", "none");
    if (!commit.equals("none") && !commit.equals("positions")) {
      throw new InvalidRequestException("commit must be none or positions, was " + Params.abbreviate(commit));
    }
    instances.remove(instance.id);
    instance.busy = true;
    Future<Void> committed = commit.equals("positions") ? instance.consumer.commitSync() : Future.succeededFuture();
    Responses.json(ctx, 200, committed.transform(done -> instance.consumer.close(Duration.ofSeconds(10))
            .compose(closed -> done.succeeded() ? Future.succeededFuture() : Future.<Void>failedFuture(done.cause())))
        .map(closed -> new JsonObject().put("instanceId", instance.id).put("closed", true)));
  }

  private void closeIdle() {
    long now = System.currentTimeMillis();
    for (Iterator<Instance> it = instances.values().iterator(); it.hasNext(); ) {
      Instance instance = it.next();
      if (!instance.busy && now - instance.lastUsedMs > timeoutMs) {
        it.remove();
        LOG.log(System.Logger.Level.INFO, "Closing group consumer " + instance.id + " of group '" + instance.group
            + "': its HTTP client asked nothing for " + (now - instance.lastUsedMs) + " ms");
        instance.consumer.close(Duration.ofSeconds(5));
      }
    }
  }
}
