package io.brook.verticles.api;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.Caller;
import io.brook.protocol.InternalTopics;
import io.brook.protocol.Messages;
import io.brook.protocol.message.DeleteRecordsRequest;
import io.brook.protocol.message.DeleteRecordsResponse;
import io.brook.protocol.message.FetchRequest;
import io.brook.protocol.message.ListOffsetsRequest;
import io.brook.protocol.message.OffsetForLeaderEpochRequest;
import io.brook.protocol.message.ProduceRequest;
import io.brook.protocol.message.DescribePartitionRequest;
import io.brook.protocol.message.ReplicaFetchRequest;
import io.brook.verticles.ClusterConsumers;
import io.brook.verticles.metadata.MetadataImages;
import io.brook.verticles.metadata.MetadataReadiness;
import io.brook.verticles.partition.DeleteRecordsOnLeader;
import io.brook.verticles.partition.DescribePartition;
import io.brook.verticles.quorum.QuorumRequests.QuorumState;
import io.brook.verticles.security.RequestAuthorizer;
import io.brook.security.AuthorizerConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The broker's door for partition requests: consumes {@code brook.api.broker.<id>.produce|fetch|
 * list-offsets|delete-records} and the internal {@code brook.internal.broker.<id>.replica-fetch} on the clustered
 * event bus, checks the body, and hands the request to the local leader verticle of its partition (produce
 * and fetch through a {@link PartitionDoor}, which the node's Kafka listener uses too). Holds no state: a
 * partition this broker does not lead has no local leader address, which answers UNKNOWN_TOPIC_OR_PARTITION. Internal topics ({@link
 * InternalTopics}) are refused on every client address; followers reach them through replica-fetch. Bodies may come as records or as
 * JSON (bridge clients); the reply takes the form of the request.
 */
public final class BrokerApiVerticle extends VerticleBase {
  /** JSON fetch answers (bridge clients) are capped: they are converted on this event loop. */
  static final int MAX_JSON_FETCH_BYTES = 1 << 20;

  private final int nodeId;
  /**
   * Whether this instance takes produce requests: one instance of the broker's does, so that a producer's
   * batches for a partition reach its leader in the order they were sent (the event bus keeps one sender's
   * messages to one handler in order, but hands them to several handlers of an address in turn).
   */
  private final boolean servesProduce;
  private final MetadataReadiness readiness = new MetadataReadiness();
  private final AuthorizerConfig authorizerConfig;
  /** The checks, hand-over and meters, shared with the node's Kafka listener. */
  private PartitionDoor door;
  private RequestAuthorizer authorizer;
  private final DeliveryOptions local = new DeliveryOptions().setLocalOnly(true).setSendTimeout(PartitionDoor.FORWARD_TIMEOUT_MS);

  public BrokerApiVerticle(int nodeId, AuthorizerConfig authorizerConfig) {
    this(nodeId, authorizerConfig, true);
  }

  public BrokerApiVerticle(int nodeId, AuthorizerConfig authorizerConfig, boolean servesProduce) {
    this.nodeId = nodeId;
    this.authorizerConfig = authorizerConfig;
    this.servesProduce = servesProduce;
  }

  @Override
  public Future<?> start() {
    EventBus bus = vertx.eventBus();
    door = new PartitionDoor(vertx, authorizerConfig);
    authorizer = door.authorizer();
    java.util.List<Future<?>> consumers = new java.util.ArrayList<>(java.util.List.of(
        MetadataImages.follow(vertx, readiness::onImage),
        bus.<QuorumState>localConsumer(Addresses.LOCAL_QUORUM_STATE, m -> readiness.onQuorumState(m.body())).completion(),
        ClusterConsumers.consumer(vertx, Addresses.fetch(nodeId), this::handleFetch).completion(),
        ClusterConsumers.consumer(vertx, Addresses.listOffsets(nodeId), this::handleListOffsets).completion(),
        ClusterConsumers.consumer(vertx, Addresses.offsetForLeaderEpoch(nodeId), this::handleOffsetForLeaderEpoch)
            .completion(),
        ClusterConsumers.consumer(vertx, Addresses.deleteRecords(nodeId), this::handleDeleteRecords).completion(),
        ClusterConsumers.consumer(vertx, Addresses.replicaFetch(nodeId), this::handleReplicaFetch).completion(),
        ClusterConsumers.consumer(vertx, Addresses.describePartition(nodeId), this::handleDescribePartition).completion()));
    if (servesProduce) {
      consumers.add(ClusterConsumers.consumer(vertx, Addresses.produce(nodeId), this::handleProduce).completion());
    }
    return Future.all(consumers);
  }

  private void handleProduce(Message<Object> message) {
    ProduceRequest request;
    try {
      request = door.admit(Messages.body(message, ProduceRequest.class), Caller.of(message.headers()));
    } catch (RuntimeException e) {
      BrookErrors.fail(message, e);
      return;
    }
    if (request.acks() == ProduceRequest.ACKS_NONE || message.replyAddress() == null) {
      door.sendUnanswered(request); // acks=0: nobody waits for an answer
    } else {
      relay(message, request.topic(), request.partition(), request);
    }
  }

  private void handleFetch(Message<Object> message) {
    try {
      FetchRequest request = door.admit(Messages.body(message, FetchRequest.class), Caller.of(message.headers()));
      if (message.body() instanceof JsonObject && request.maxBytes() > MAX_JSON_FETCH_BYTES) {
        // a JSON answer is decoded and base64-encoded on this event loop: keep it small
        request = new FetchRequest(request.topic(), request.partition(), request.fetchOffset(), MAX_JSON_FETCH_BYTES,
            request.minBytes(), request.maxWaitMs(), request.replicaId(), request.currentLeaderEpoch());
      }
      relay(message, request.topic(), request.partition(), request,
          message.headers().contains(Addresses.FILE_RECORDS_HEADER) && !fromWire(message));
    } catch (RuntimeException e) {
      BrookErrors.fail(message, e);
    }
  }

  /**
   * Whether the message came from another node: a file slice in the answer would have to be copied
   * onto the wire there, so a remote caller's {@link Addresses#FILE_RECORDS_HEADER} is ignored.
   */
  private static boolean fromWire(Message<?> message) {
    return message instanceof io.vertx.core.eventbus.impl.clustered.ClusteredMessage<?, ?> clustered
        && clustered.isFromWire();
  }

  /** From a follower broker: the leader answers, in band, even "not the leader" (the follower waits for metadata). */
  private void handleReplicaFetch(Message<Object> message) {
    try {
      ReplicaFetchRequest request = Messages.body(message, ReplicaFetchRequest.class);
      relay(message, request.topic(), request.partition(), request);
    } catch (RuntimeException e) {
      BrookErrors.fail(message, e);
    }
  }

  private void handleDescribePartition(Message<Object> message) {
    try {
      DescribePartitionRequest request = Messages.body(message, DescribePartitionRequest.class);
      InternalTopics.refuseIfInternal(request.topic());
      vertx.eventBus().request(Addresses.localLeader(request.topic(), request.partition()), new DescribePartition(), local)
          .onComplete(done -> {
            if (done.succeeded()) {
              replyOrFail(message, done.result().body());
            } else {
              BrookErrors.fail(message, done.cause());
            }
          });
    } catch (RuntimeException e) {
      BrookErrors.fail(message, e);
    }
  }

  private void handleListOffsets(Message<Object> message) {
    try {
      ListOffsetsRequest request = Messages.body(message, ListOffsetsRequest.class);
      if (request.topic() == null || request.topic().isEmpty() || request.partition() < 0) {
        throw new InvalidRequestException("list-offsets request needs a topic and a partition >= 0");
      }
      InternalTopics.refuseIfInternal(request.topic());
      authorizer.requireOnTopic(message, AclOperation.DESCRIBE, request.topic());
      relay(message, request.topic(), request.partition(), request);
    } catch (RuntimeException e) {
      BrookErrors.fail(message, e);
    }
  }

  /** OffsetForLeaderEpoch: DESCRIBE on the topic, as Kafka asks of consumers. */
  private void handleOffsetForLeaderEpoch(Message<Object> message) {
    try {
      OffsetForLeaderEpochRequest request = Messages.body(message, OffsetForLeaderEpochRequest.class);
      if (request.topic() == null || request.topic().isEmpty() || request.partition() < 0) {
        throw new InvalidRequestException("offset-for-leader-epoch request needs a topic and a partition >= 0");
      }
      InternalTopics.refuseIfInternal(request.topic());
      authorizer.requireOnTopic(message, AclOperation.DESCRIBE, request.topic());
      relay(message, request.topic(), request.partition(), request);
    } catch (RuntimeException e) {
      BrookErrors.fail(message, e);
    }
  }

  /**
   * DeleteRecords: needs DELETE on the topic; each partition goes to its local leader, which answers
   * once its in-sync replicas dropped the records; per-partition errors come back in band.
   */
  private void handleDeleteRecords(Message<Object> message) {
    DeleteRecordsRequest request;
    try {
      request = validDeleteRecords(Messages.body(message, DeleteRecordsRequest.class));
      InternalTopics.refuseIfInternal(request.topic());
      authorizer.requireOnTopic(message, AclOperation.DELETE, request.topic());
    } catch (RuntimeException e) {
      BrookErrors.fail(message, e);
      return;
    }
    DeliveryOptions toLeader = new DeliveryOptions().setLocalOnly(true)
        .setSendTimeout(request.timeoutMs() + PartitionDoor.FORWARD_TIMEOUT_MS);
    java.util.List<Future<DeleteRecordsResponse.PartitionResult>> results = request.partitions().stream()
        .map(p -> vertx.eventBus().<Long>request(Addresses.localLeader(request.topic(), p.partition()),
                new DeleteRecordsOnLeader(p.offset(), request.timeoutMs()), toLeader)
            .map(reply -> DeleteRecordsResponse.PartitionResult.ok(p.partition(), reply.body()))
            .otherwise(failure -> {
              Throwable cause = PartitionDoor.noLeaderHere(failure)
                  ? notHostedHere(request.topic(), p.partition()) : failure;
              ReplyException wire = BrookErrors.toReplyException(cause);
              String error = org.apache.kafka.common.protocol.Errors.forCode((short) wire.failureCode()).name();
              String text = wire.getMessage() == null ? error : wire.getMessage();
              return DeleteRecordsResponse.PartitionResult.failed(p.partition(), error,
                  text.startsWith(error + ": ") ? text.substring(error.length() + 2) : text);
            }))
        .toList();
    Future.join(results).onComplete(all -> replyOrFail(message,
        new DeleteRecordsResponse(request.topic(), results.stream().map(Future::result).toList())));
  }

  private static DeleteRecordsRequest validDeleteRecords(DeleteRecordsRequest request) {
    if (request.topic().isEmpty() || request.partitions().isEmpty()) {
      throw new InvalidRequestException("delete-records needs a topic and at least one partition");
    }
    if (request.partitions().size() > DeleteRecordsRequest.MAX_PARTITIONS) {
      throw new InvalidRequestException("delete-records names " + request.partitions().size()
          + " partitions; at most " + DeleteRecordsRequest.MAX_PARTITIONS + " per request");
    }
    if (request.timeoutMs() < 0 || request.timeoutMs() > DeleteRecordsRequest.MAX_TIMEOUT_MS) {
      throw new InvalidRequestException("delete-records timeoutMs must be in [0, " + DeleteRecordsRequest.MAX_TIMEOUT_MS
          + "], was " + request.timeoutMs());
    }
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (DeleteRecordsRequest.PartitionOffset p : request.partitions()) {
      if (p == null || p.partition() < 0 || !seen.add(p.partition())) {
        throw new InvalidRequestException("delete-records partitions must be distinct and >= 0: " + p);
      }
    }
    return request;
  }

  private void relay(Message<Object> message, String topic, int partition, Object request) {
    relay(message, topic, partition, request, false);
  }

  private void relay(Message<Object> message, String topic, int partition, Object request, boolean fileRecords) {
    door.relay(topic, partition, request, fileRecords).onComplete(done -> {
      if (done.succeeded()) {
        replyOrFail(message, done.result());
      } else if (PartitionDoor.noLeaderHere(done.cause())) {
        BrookErrors.fail(message, notHostedHere(topic, partition));
      } else {
        BrookErrors.fail(message, done.cause());
      }
    });
  }

  /**
   * No replica here: "no such partition" only if this broker's metadata is caught up and says so;
   * otherwise (a restarted broker still catching up, a replica not deployed yet, a partition led
   * elsewhere) NOT_LEADER_OR_FOLLOWER, which sends the client back to fresh metadata.
   */
  private RuntimeException notHostedHere(String topic, int partition) {
    boolean exists = readiness.image().topic(topic).map(t -> partition < t.partitionCount()).orElse(false);
    if (readiness.ready() && !exists) {
      return new UnknownTopicOrPartitionException("Broker " + nodeId + " knows no partition " + partition + " of topic '"
          + topic + "'");
    }
    return new NotLeaderOrFollowerException("Broker " + nodeId + " does not host partition " + partition + " of topic '"
        + topic + "'" + (readiness.ready() ? "" : " (its metadata is still catching up)"));
  }

  /** Converting a reply to JSON can fail (a corrupt batch): the client still gets an answer. */
  private static void replyOrFail(Message<Object> message, Object response) {
    try {
      Messages.reply(message, response);
    } catch (RuntimeException e) {
      BrookErrors.fail(message, e);
    }
  }
}
