package io.brook.web.api;

import io.brook.protocol.message.JsonRecords;
import io.brook.protocol.message.ListOffsetsRequest;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.web.WebConsoleConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.protocol.Errors;

/**
 * The live routes, as Server-Sent Events ({@link ServerSentEvents}); an EventSource sends no
 * Authorization header, so a browser authenticates them with its console session cookie.
 *
 * <ul>
 *   <li>{@code GET /api/topics/:name/tail}: {@link LiveTail}, records as they are committed;
 *   <li>{@code GET /api/watch/cluster}: {@code event: cluster} (the body of {@code GET /api/cluster})
 *       and {@code event: health} (of {@code GET /api/health});
 *   <li>{@code GET /api/watch/topics/:name}: {@code event: topic} (of {@code GET /api/topics/:name});
 *   <li>{@code GET /api/watch/groups/:group}: {@code event: group} (of {@code GET /api/groups/:group}).
 * </ul>
 *
 * A watch builds its bodies with the same code as the GET routes, as the caller (so the same ACLs
 * apply), once at open (a failure then is the route's error answer, e.g. 403 or 404, and no stream
 * starts) and then once every {@link #SAMPLE_MS}; an event is sent only when its body changed, not
 * counting heartbeat ages (keys ending in {@code AgeMs}), which change at every sample. A sample
 * that fails later is sent as {@code event: error} (the API's error body) and sampling goes on; a
 * sample still running when the next is due is not doubled. Runs on its verticle's event loop.
 */
public final class EventStreamsHandler {
  static final long SAMPLE_MS = 1_000;
  static final int MAX_TAIL_PARTITIONS = 1_000;

  private final BrokerClient brokers;
  private final GroupsHandler groups;
  private final PartitionReader reader;
  private final long fetchMaxBytes;
  private final int maxStreams;
  private final long maxScanMs;

  public EventStreamsHandler(Vertx vertx, BrokerClient brokers, WebConsoleConfig config) {
    this.brokers = brokers;
    this.groups = new GroupsHandler(vertx);
    this.reader = new PartitionReader(config.maxPartitionFetchBytes());
    this.fetchMaxBytes = config.fetchMaxBytes();
    this.maxStreams = config.maxEventStreams();
    this.maxScanMs = config.searchMaxScanMs();
  }

  public void mount(Router router) {
    router.get("/api/topics/:name/tail").handler(this::tail);
    router.get("/api/watch/cluster").handler(this::watchCluster);
    router.get("/api/watch/topics/:name").handler(this::watchTopic);
    router.get("/api/watch/groups/:group").handler(this::watchGroup);
  }

  // ---- watches ----

  private void watchCluster(RoutingContext ctx) {
    BrokerClient caller = BrokerClient.of(ctx);
    Map<String, Supplier<Future<JsonObject>>> samplers = new LinkedHashMap<>();
    samplers.put("cluster", () -> ClusterHandler.describeBody(caller));
    samplers.put("health", () -> HealthHandler.healthOf(caller, brokers).map(ClusterHealth::toJson));
    watch(ctx, samplers);
  }

  private void watchTopic(RoutingContext ctx) {
    String topic = Params.topic(ctx);
    watch(ctx, Map.of("topic", () -> TopicAdminHandler.describeBody(ctx, topic)));
  }

  private void watchGroup(RoutingContext ctx) {
    String group = GroupsHandler.group(ctx);
    watch(ctx, Map.of("group", () -> groups.describeBody(ctx, group)));
  }

  private void watch(RoutingContext ctx, Map<String, Supplier<Future<JsonObject>>> samplers) {
    ServerSentEvents events = ServerSentEvents.reserve(ctx, maxStreams);
    Map<String, String> last = new LinkedHashMap<>();
    List<Future<JsonObject>> first = new ArrayList<>();
    samplers.values().forEach(sampler -> first.add(sampler.get()));
    Future.all(first).onComplete(opened -> {
      if (opened.failed()) {
        events.release();
        ctx.fail(opened.cause());
        return;
      }
      events.start();
      int i = 0;
      for (String event : samplers.keySet()) {
        JsonObject body = first.get(i++).result();
        last.put(event, stable(body).encode());
        events.send(event, body);
      }
      boolean[] sampling = {false};
      long timer = ctx.vertx().setPeriodic(SAMPLE_MS, id -> {
        if (sampling[0] || events.isClosed()) {
          return;
        }
        sampling[0] = true;
        List<Future<JsonObject>> samples = new ArrayList<>();
        List<String> names = new ArrayList<>(samplers.keySet());
        names.forEach(name -> samples.add(samplers.get(name).get()));
        Future.join(samples).onComplete(done -> {
          sampling[0] = false;
          for (int s = 0; s < names.size(); s++) {
            sendIfChanged(events, last, names.get(s), samples.get(s));
          }
        });
      });
      events.onClose(() -> ctx.vertx().cancelTimer(timer));
    });
  }

  private static void sendIfChanged(ServerSentEvents events, Map<String, String> last, String event,
      Future<JsonObject> sample) {
    if (sample.failed()) {
      JsonObject error = errorBody(sample.cause());
      String key = "error:" + error.encode();
      if (!key.equals(last.get(event)) && events.send("error", error.put("event", event))) {
        last.put(event, key);
      }
      return;
    }
    String stable = stable(sample.result()).encode();
    // a slow client misses this sample; it is sent again at the next one (last is left as it was)
    if (!stable.equals(last.get(event)) && events.send(event, sample.result())) {
      last.put(event, stable);
    }
  }

  static JsonObject errorBody(Throwable failure) {
    org.apache.kafka.common.errors.ApiException error = ApiErrors.toApiException(failure);
    return ApiErrors.body(Errors.forException(error), error.getMessage());
  }

  /** The body without the values that change at every sample (heartbeat ages). */
  static JsonObject stable(JsonObject body) {
    JsonObject copy = body.copy();
    strip(copy);
    return copy;
  }

  private static void strip(Object value) {
    if (value instanceof JsonObject object) {
      object.fieldNames().removeIf(key -> key.endsWith("AgeMs"));
      object.forEach(entry -> strip(entry.getValue()));
    } else if (value instanceof JsonArray array) {
      array.forEach(EventStreamsHandler::strip);
    }
  }

  // ---- tail ----

  private void tail(RoutingContext ctx) {
    String topic = Params.topic(ctx);
    String encoding = Params.string(ctx, "encoding", JsonRecords.UTF8);
    if (!JsonRecords.UTF8.equals(encoding) && !JsonRecords.BASE64.equals(encoding)) {
      throw new InvalidRequestException("encoding must be utf8 or base64, was " + Params.abbreviate(encoding));
    }
    Set<Integer> asked = partitions(ctx.queryParams().get("partitions"));
    Integer rateParam = Params.optionalInt(ctx, "maxRecordsPerSec", 1, LiveTail.MAX_RECORDS_PER_SEC);
    int maxRecordsPerSec = rateParam == null ? LiveTail.DEFAULT_RECORDS_PER_SEC : rateParam;
    RecordFilter filter = RecordFilter.fromQuery(ctx);
    ServerSentEvents events = ServerSentEvents.reserve(ctx, maxStreams);
    BrokerClient caller = BrokerClient.of(ctx);
    caller.topic(topic)
        .compose(metadata -> {
          List<PartitionMetadata> chosen = new ArrayList<>();
          if (asked == null) {
            chosen.addAll(metadata.partitions());
          } else {
            asked.forEach(p -> chosen.add(BrokerClient.partitionOf(metadata, p)));
          }
          return StartOffsets.resolve(caller, topic, chosen,
              new StartOffsets.Spec(ListOffsetsRequest.LATEST, null, null));
        })
        .compose(starts -> {
          LiveTail tail = new LiveTail(ctx.vertx(), reader, caller, topic, starts, encoding, filter, maxRecordsPerSec,
              fetchMaxBytes, maxScanMs, events);
          return tail.checkReadable().map(tail);
        })
        .onSuccess(LiveTail::start)
        .onFailure(failure -> {
          events.release();
          ctx.fail(failure);
        });
  }

  /** {@code partitions=0,1,...}: distinct partition numbers; null when absent (every partition). */
  static Set<Integer> partitions(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    Set<Integer> out = new LinkedHashSet<>();
    for (String item : text.split(",", -1)) {
      if (!out.add(Params.intValue("partitions", item, 0, Integer.MAX_VALUE))) {
        throw new InvalidRequestException("partitions names " + item.trim() + " twice");
      }
      if (out.size() > MAX_TAIL_PARTITIONS) {
        throw new InvalidRequestException("partitions names more than " + MAX_TAIL_PARTITIONS + " partitions");
      }
    }
    return out;
  }
}
