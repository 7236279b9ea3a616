package io.brook.web.api;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.message.DeleteRecordsRequest;
import io.brook.protocol.message.DeleteRecordsResponse;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.TopicMetadata;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.protocol.Errors;

/**
 * {@code POST /api/topics/:name/records/delete}: purge a topic (Kafka's DeleteRecords). The body
 * {@code {"partitions": [{"partition": 0, "offset": 42}], "timeoutMs": 30000}} names each partition and
 * the offset below which its records go ({@code offset} -1 or left out: the high watermark); without
 * {@code partitions} every partition is purged up to its high watermark. Each partition goes to its
 * leader, which answers once every in-sync replica moved its log start offset. Answer:
 * {@code {"topic": ..., "results": [{"partition": 0, "lowWatermark": 42} | {"partition": 1, "error":
 * "OFFSET_OUT_OF_RANGE", "message": ...}]}}: partitions fail one by one; a refusal of the whole request
 * (no such topic, no DELETE permission, an internal topic, a bad body) is the usual error answer.
 * Runs on its verticle's event loop.
 */
public final class RecordsDeletionHandler {
  /** How long a leader waits for its in-sync replicas when the body does not say. */
  static final int DEFAULT_TIMEOUT_MS = 30_000;

  /** Errors that refuse the whole request rather than one partition. */
  private static final Set<Errors> REQUEST_ERRORS = Set.of(Errors.TOPIC_AUTHORIZATION_FAILED,
      Errors.INVALID_REQUEST, Errors.INVALID_TOPIC_EXCEPTION, Errors.CLUSTER_AUTHORIZATION_FAILED,
      Errors.SASL_AUTHENTICATION_FAILED);

  public void mount(Router router) {
    router.post("/api/topics/:name/records/delete").handler(this::delete);
  }

  private void delete(RoutingContext ctx) {
    String topic = Params.topic(ctx);
    JsonObject body = ctx.body().buffer() == null || ctx.body().length() == 0 ? new JsonObject() : Params.bodyObject(ctx);
    int timeoutMs = Params.jsonInt(body, "timeoutMs", DEFAULT_TIMEOUT_MS, 0, DeleteRecordsRequest.MAX_TIMEOUT_MS);
    Map<Integer, Long> asked = partitions(body);
    BrokerClient brokers = BrokerClient.of(ctx);
    Future<JsonObject> answer = brokers.topic(topic).compose(metadata -> {
      Map<Integer, Long> offsets = asked != null ? asked : everyPartition(metadata);
      List<Future<JsonObject>> results = new ArrayList<>();
      offsets.forEach((partition, offset) -> results.add(deleteOne(brokers, metadata, partition, offset, timeoutMs)));
      return Future.all(results).map(all -> new JsonObject().put("topic", topic)
          .put("results", new JsonArray(results.stream().map(Future::result).toList())));
    });
    Responses.json(ctx, 200, answer);
  }

  /** The partitions of the body in order, or null when it names none (every partition). */
  private static Map<Integer, Long> partitions(JsonObject body) {
    Object value = body.getValue("partitions");
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray array) || array.isEmpty() || array.size() > DeleteRecordsRequest.MAX_PARTITIONS) {
      throw new InvalidRequestException("'partitions' must be a non-empty array of at most "
          + DeleteRecordsRequest.MAX_PARTITIONS + " {partition, offset} objects");
    }
    Map<Integer, Long> offsets = new LinkedHashMap<>();
    for (Object entry : array) {
      if (!(entry instanceof JsonObject item)) {
        throw new InvalidRequestException("each of 'partitions' must be an object {partition, offset}");
      }
      int partition = (int) Params.requiredJsonLong(item, "partition", 0, Integer.MAX_VALUE);
      long offset = item.getValue("offset") == null ? DeleteRecordsRequest.HIGH_WATERMARK
          : Params.requiredJsonLong(item, "offset", DeleteRecordsRequest.HIGH_WATERMARK, Long.MAX_VALUE);
      if (offsets.put(partition, offset) != null) {
        throw new InvalidRequestException("partition " + partition + " is named twice");
      }
    }
    return offsets;
  }

  private static Map<Integer, Long> everyPartition(TopicMetadata metadata) {
    Map<Integer, Long> offsets = new LinkedHashMap<>();
    metadata.partitions().stream().map(PartitionMetadata::partition).sorted()
        .forEach(p -> offsets.put(p, DeleteRecordsRequest.HIGH_WATERMARK));
    return offsets;
  }

  /** One partition on its leader (followed if it moves: a repeated purge changes nothing). */
  private static Future<JsonObject> deleteOne(BrokerClient brokers, TopicMetadata metadata, int partition, long offset,
      int timeoutMs) {
    JsonObject result = new JsonObject().put("partition", partition);
    if (metadata.partitions().stream().noneMatch(p -> p.partition() == partition)) {
      return Future.succeededFuture(failed(result, Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic '" + metadata.name()
          + "' has no partition " + partition + " (it has " + metadata.partitions().size() + ")"));
    }
    DeleteRecordsRequest request = new DeleteRecordsRequest(metadata.name(),
        List.of(new DeleteRecordsRequest.PartitionOffset(partition, offset)), timeoutMs);
    return brokers.<DeleteRecordsResponse>onLeader(metadata.name(), partition, true,
            leader -> brokers.request(Addresses.deleteRecords(leader), request, timeoutMs + (long) DEFAULT_TIMEOUT_MS))
        .compose(response -> {
          DeleteRecordsResponse.PartitionResult one = response.results().get(0);
          if (one.error() == null) {
            return Future.succeededFuture(result.put("lowWatermark", one.lowWatermark()));
          }
          return Future.succeededFuture(failed(result, errorNamed(one.error()), one.message()));
        }, failure -> {
          Errors error = BrookErrors.errorOf(failure);
          if (REQUEST_ERRORS.contains(error) || error == Errors.UNKNOWN_SERVER_ERROR) {
            return Future.failedFuture(failure); // the whole request: 403, 400, or a logged 500
          }
          return Future.succeededFuture(failed(result, error, failure.getMessage()));
        });
  }

  private static JsonObject failed(JsonObject result, Errors error, String message) {
    String text = message == null ? error.message() : message;
    String prefix = error.name() + ": ";
    return result.put("error", error.name()).put("message", text.startsWith(prefix) ? text.substring(prefix.length()) : text);
  }

  private static Errors errorNamed(String name) {
    try {
      return Errors.valueOf(name);
    } catch (IllegalArgumentException unknown) {
      return Errors.UNKNOWN_SERVER_ERROR;
    }
  }
}
