package io.brook.web.api;

import io.brook.protocol.message.ListOffsetsRequest;
import io.brook.protocol.message.ListOffsetsResponse;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Partition routes. {@code GET /api/topics/:name/partitions}: the topic's partitions and leaders
 * from fresh metadata (cheaper than describe; what producers need). {@code GET
 * /api/topics/:name/partitions/:p/offsets?at=earliest|latest|<ms or ISO-8601>}: one offset looked up
 * on the partition's leader ({@code offset} -1 when no record is at or after the time); without
 * {@code at}, both the earliest and the latest offset. Runs on its verticle's event loop.
 */
public final class PartitionsHandler {
  private final BrokerClient brokers;

  public PartitionsHandler(BrokerClient brokers) {
    this.brokers = brokers;
  }

  public void mount(Router router) {
    router.get("/api/topics/:name/partitions").handler(this::partitions);
    router.get("/api/topics/:name/partitions/:partition/offsets").handler(this::offsets);
  }

  private void partitions(RoutingContext ctx) {
    String topic = Params.topic(ctx);
    brokers.invalidate(topic); // whoever asks wants the current leaders
    Responses.json(ctx, 200, BrokerClient.of(ctx).topic(topic));
  }

  private void offsets(RoutingContext ctx) {
    String topic = Params.topic(ctx);
    int partition = Params.intValue("partition", ctx.pathParam("partition"), 0, Integer.MAX_VALUE);
    String at = ctx.queryParams().get("at");
    JsonObject answer = new JsonObject().put("topic", topic).put("partition", partition);
    Future<JsonObject> reply = BrokerClient.of(ctx).topic(topic)
        .map(metadata -> BrokerClient.partitionOf(metadata, partition))
        .compose(found -> at == null ? bothEnds(BrokerClient.of(ctx), topic, partition, answer)
            : lookUp(BrokerClient.of(ctx), topic, partition, at, answer));
    Responses.json(ctx, 200, reply);
  }

  private static Future<JsonObject> bothEnds(BrokerClient brokers, String topic, int partition, JsonObject answer) {
    Future<ListOffsetsResponse> earliest = brokers.listOffsets(topic, partition, ListOffsetsRequest.EARLIEST);
    Future<ListOffsetsResponse> latest = brokers.listOffsets(topic, partition, ListOffsetsRequest.LATEST);
    return Future.all(earliest, latest).map(done -> answer
        .put("earliest", earliest.result().offset())
        .put("latest", latest.result().offset()));
  }

  private static Future<JsonObject> lookUp(BrokerClient brokers, String topic, int partition, String at, JsonObject answer) {
    long timestamp = switch (at) {
      case "earliest" -> ListOffsetsRequest.EARLIEST;
      case "latest" -> ListOffsetsRequest.LATEST;
      default -> Params.timestampMs("at", at);
    };
    return brokers.listOffsets(topic, partition, timestamp).map(found -> answer
        .put("at", at)
        .put("offset", found.offset())
        .put("timestamp", found.timestamp()));
  }
}
