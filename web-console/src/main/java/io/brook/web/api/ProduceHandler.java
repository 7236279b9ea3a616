package io.brook.web.api;

import io.brook.protocol.Addresses;
import io.brook.protocol.message.InitProducerIdRequest;
import io.brook.protocol.message.InitProducerIdResponse;
import io.brook.protocol.message.JsonRecords;
import io.brook.protocol.message.ProduceRequest;
import io.brook.protocol.message.ProduceResponse;
import io.brook.protocol.message.TopicMetadata;
import io.brook.web.api.OutgoingRecords.Outgoing;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.DuplicateSequenceException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidRequiredAcksException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.protocol.Errors;

/**
 * {@code POST /api/topics/:name/records}: appends the body's records, one v2 batch per partition per
 * request, each sent to its partition's leader; answers each record's {@code {partition, offset}} in
 * body order. A record goes to its {@code partition}, else (keyed) to Kafka's murmur2 partition of
 * its key, else (unkeyed) to the request's sticky partition, which rotates round-robin between
 * requests, so unkeyed records of one request stay one batch. If some partitions fail, the answer
 * carries the first error's status and still lists the offsets of the partitions that succeeded.
 *
 * <p>Idempotent produce, for a client that retries ({@code bin/brook produce}): {@code POST
 * /api/producer-ids} hands out a producer id at epoch 0 ({@code brook.api.init-producer-id}, asked as
 * the caller: the broker requires WRITE on some topic, as Kafka 3+ does for InitProducerId without a
 * transactional id). A body with {@code producerId}, {@code producerEpoch} and {@code baseSequence}
 * (all three or none) must aim at one {@code partition}; its one batch carries them, so the leader
 * answers a batch sent again with the offsets it was first written at instead of writing it twice,
 * and such a request is retried on a new leader when the old one lost the partition while it was
 * pending. Runs on its verticle's event loop (the rotation counter is not shared).
 */
public final class ProduceHandler {
  private final BrokerClient brokers;
  private int stickyRotation;

  public ProduceHandler(BrokerClient brokers) {
    this.brokers = brokers;
  }

  public void mount(Router router) {
    router.post("/api/topics/:name/records").handler(this::produce);
    router.post("/api/producer-ids").handler(ProduceHandler::producerId);
  }

  /** The producer id and epoch of an idempotent batch's header; see the class doc. */
  record ProducerStamp(long producerId, short producerEpoch, int baseSequence) {}

  /** {@code POST /api/producer-ids}: {@code {producerId, producerEpoch}}, a producer id never given before. */
  private static void producerId(RoutingContext ctx) {
    // any broker answers; a retry after a timeout only wastes an id of the block
    BrokerClient.of(ctx).<InitProducerIdResponse>requestAnyBroker(Addresses.INIT_PRODUCER_ID, new InitProducerIdRequest())
        .onSuccess(reply -> Responses.json(ctx, 200, new JsonObject().put("producerId", reply.producerId())
            .put("producerEpoch", reply.producerEpoch())))
        .onFailure(ctx::fail);
  }

  private void produce(RoutingContext ctx) {
    String topic = Params.topic(ctx);
    JsonObject body = Params.bodyObject(ctx);
    String encoding = encoding(body.getValue("encoding"));
    short acks = acks(body.getValue("acks"));
    int timeoutMs = Params.jsonInt(body, "timeoutMs", ProduceRequest.DEFAULT_TIMEOUT_MS, 0, 300_000);
    Integer defaultPartition = body.getValue("partition") == null ? null
        : Params.jsonInt(body, "partition", 0, 0, Integer.MAX_VALUE);
    Object records = body.getValue("records");
    if (!(records instanceof JsonArray array)) {
      throw new InvalidRequestException("'records' must be an array of {key, value, partition?, headers?, timestamp?}");
    }
    List<Outgoing> outgoing = OutgoingRecords.parse(array, encoding, defaultPartition, System.currentTimeMillis());
    ProducerStamp stamp = stamp(body, defaultPartition, acks, outgoing);
    BrokerClient.of(ctx).topic(topic)
        .compose(metadata -> send(BrokerClient.of(ctx), metadata, outgoing, acks, timeoutMs, stamp))
        .onSuccess(answer -> Responses.json(ctx, answer.getInteger("status"), answer.getJsonObject("body")))
        .onFailure(ctx::fail);
  }

  /**
   * The body's {@code producerId}, {@code producerEpoch} and {@code baseSequence}, or null without them.
   * All three or none; only for a body aimed at one partition (its {@code partition}, and no record
   * naming another), and not with acks=0: the leader's refusal of a sequence would go unseen there,
   * and every later batch of the producer would be refused as out of order.
   */
  static ProducerStamp stamp(JsonObject body, Integer partition, short acks, List<Outgoing> records) {
    int given = (body.getValue("producerId") == null ? 0 : 1) + (body.getValue("producerEpoch") == null ? 0 : 1)
        + (body.getValue("baseSequence") == null ? 0 : 1);
    if (given == 0) {
      return null;
    }
    if (given < 3) {
      throw new InvalidRequestException("'producerId', 'producerEpoch' and 'baseSequence' go together: give all "
          + "three or none");
    }
    long producerId = Params.requiredJsonLong(body, "producerId", 0, Long.MAX_VALUE);
    short epoch = (short) Params.requiredJsonLong(body, "producerEpoch", 0, Short.MAX_VALUE);
    int baseSequence = (int) Params.requiredJsonLong(body, "baseSequence", 0, Integer.MAX_VALUE);
    if (partition == null) {
      throw new InvalidRequestException("a body with a producer id is one batch for one partition: give 'partition'");
    }
    for (int i = 0; i < records.size(); i++) {
      if (!partition.equals(records.get(i).partition())) {
        throw new InvalidRequestException("records[" + i + "] names partition " + records.get(i).partition()
            + ": a body with a producer id is one batch for 'partition' " + partition + " only");
      }
    }
    if (acks == ProduceRequest.ACKS_NONE) {
      throw new InvalidRequestException("a body with a producer id needs acks 1 or all: with acks 0 a refused "
          + "sequence would go unseen");
    }
    return new ProducerStamp(producerId, epoch, baseSequence);
  }

  private Future<JsonObject> send(BrokerClient caller, TopicMetadata metadata, List<Outgoing> records, short acks,
      int timeoutMs, ProducerStamp stamp) {
    int[] partitionOf = assignPartitions(metadata, records);
    Map<Integer, List<Integer>> byPartition = new TreeMap<>();
    for (int i = 0; i < records.size(); i++) {
      byPartition.computeIfAbsent(partitionOf[i], p -> new ArrayList<>()).add(i);
    }
    Map<Integer, Future<ProduceResponse>> sent = new TreeMap<>();
    byPartition.forEach((partition, indexes) -> {
      List<Outgoing> batch = new ArrayList<>(indexes.size());
      indexes.forEach(i -> batch.add(records.get(i)));
      ProduceRequest request = new ProduceRequest(metadata.name(), partition, acks, timeoutMs,
          OutgoingRecords.batch(batch, stamp).buffer());
      Future<ProduceResponse> reply = stamp == null ? caller.produce(request)
          // DUPLICATE_SEQUENCE_NUMBER: the leader has the batch but no longer its offsets; written, as Kafka's producer takes it
          : caller.produce(request, true).recover(failure -> failure instanceof DuplicateSequenceException
              ? Future.succeededFuture(new ProduceResponse(-1L, -1L, -1L)) : Future.failedFuture(failure));
      sent.put(partition, reply);
    });
    return Future.join(new ArrayList<>(sent.values()))
        .transform(done -> Future.succeededFuture(answer(records.size(), byPartition, sent)));
  }

  /** Where each record goes; see the class doc. */
  private int[] assignPartitions(TopicMetadata metadata, List<Outgoing> records) {
    int count = metadata.partitions().size();
    if (count == 0) {
      throw new UnknownTopicOrPartitionException("Topic '" + metadata.name() + "' has no partitions");
    }
    int sticky = Math.floorMod(stickyRotation++, count);
    int[] partitionOf = new int[records.size()];
    for (int i = 0; i < records.size(); i++) {
      Outgoing record = records.get(i);
      if (record.partition() != null) {
        partitionOf[i] = BrokerClient.partitionOf(metadata, record.partition()).partition();
      } else if (record.key() != null) {
        partitionOf[i] = BuiltInPartitioner.partitionForKey(record.key(), count);
      } else {
        partitionOf[i] = sticky;
      }
    }
    return partitionOf;
  }

  /** {@code {status, body}}: the per-record offsets and, if a partition failed, the first error. */
  private static JsonObject answer(int size, Map<Integer, List<Integer>> byPartition,
      Map<Integer, Future<ProduceResponse>> sent) {
    JsonObject[] offsets = new JsonObject[size];
    ApiException firstError = null;
    for (Map.Entry<Integer, List<Integer>> entry : byPartition.entrySet()) {
      int partition = entry.getKey();
      Future<ProduceResponse> reply = sent.get(partition);
      ApiException error = reply.failed() ? ApiErrors.toApiException(reply.cause()) : null;
      firstError = firstError == null ? error : firstError;
      List<Integer> indexes = entry.getValue();
      for (int n = 0; n < indexes.size(); n++) {
        JsonObject offset = new JsonObject().put("partition", partition);
        if (error == null) {
          long base = reply.result().baseOffset();
          offset.put("offset", base < 0 ? -1L : base + n);
        } else {
          offset.put("offset", -1L).put("error", Errors.forException(error).name());
        }
        offsets[indexes.get(n)] = offset;
      }
    }
    JsonArray list = new JsonArray(new ArrayList<>(List.of(offsets)));
    if (firstError == null) {
      return new JsonObject().put("status", 200).put("body", new JsonObject().put("offsets", list));
    }
    Errors error = Errors.forException(firstError);
    return new JsonObject().put("status", ApiErrors.statusOf(error))
        .put("body", ApiErrors.body(error, firstError.getMessage()).put("offsets", list));
  }

  private static String encoding(Object value) {
    if (value == null) {
      return JsonRecords.UTF8;
    }
    if (JsonRecords.UTF8.equals(value) || JsonRecords.BASE64.equals(value)) {
      return (String) value;
    }
    throw new InvalidRequestException("'encoding' must be utf8 or base64, was " + value);
  }

  /** 0, 1, -1 or "all" (Kafka's producer default, acks=all). */
  private static short acks(Object value) {
    String text = value == null ? "all" : value.toString();
    switch (text) {
      case "all":
      case "-1":
        return ProduceRequest.ACKS_ALL;
      case "1":
        return ProduceRequest.ACKS_LEADER;
      case "0":
        return ProduceRequest.ACKS_NONE;
      default:
        throw new InvalidRequiredAcksException("'acks' must be 0, 1, -1 or \"all\", was " + text);
    }
  }
}
