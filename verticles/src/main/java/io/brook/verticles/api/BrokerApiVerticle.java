package io.brook.verticles.api;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.InternalTopics;
import io.brook.protocol.Messages;
import io.brook.protocol.message.FetchRequest;
import io.brook.protocol.message.ListOffsetsRequest;
import io.brook.protocol.message.ProduceRequest;
import io.brook.protocol.message.DescribePartitionRequest;
import io.brook.protocol.message.ReplicaFetchRequest;
import io.brook.verticles.ClusterConsumers;
import io.brook.verticles.metadata.MetadataImages;
import io.brook.verticles.metadata.MetadataReadiness;
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
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The broker's door for partition requests: consumes {@code brook.api.broker.<id>.produce|fetch|
 * list-offsets} and the internal {@code brook.internal.broker.<id>.replica-fetch} on the clustered
 * event bus, checks the body, and hands the request to the local leader verticle of its partition. Holds no state: a partition this broker does not lead has no
 * local leader address, which answers UNKNOWN_TOPIC_OR_PARTITION. Internal topics ({@link
 * InternalTopics}) are refused on every client address; followers reach them through replica-fetch. Bodies may come as records or as
 * JSON (bridge clients); the reply takes the form of the request.
 */
public final class BrokerApiVerticle extends VerticleBase {
  /** JSON fetch answers (bridge clients) are capped: they are converted on this event loop. */
  static final int MAX_JSON_FETCH_BYTES = 1 << 20;

  /** Longer than any produce timeout or long poll: the leader answers first. */
  private static final long FORWARD_TIMEOUT_MS = 150_000;

  private final int nodeId;
  private final MetadataReadiness readiness = new MetadataReadiness();
  private final AuthorizerConfig authorizerConfig;
  private RequestAuthorizer authorizer;
  private final DeliveryOptions local = new DeliveryOptions().setLocalOnly(true).setSendTimeout(FORWARD_TIMEOUT_MS);

  public BrokerApiVerticle(int nodeId, AuthorizerConfig authorizerConfig) {
    this.nodeId = nodeId;
    this.authorizerConfig = authorizerConfig;
  }

  @Override
  public Future<?> start() {
    EventBus bus = vertx.eventBus();
    authorizer = new RequestAuthorizer(authorizerConfig, MetadataImages.latest(vertx));
    return Future.all(java.util.List.of(
        MetadataImages.follow(vertx, readiness::onImage),
        bus.<QuorumState>localConsumer(Addresses.LOCAL_QUORUM_STATE, m -> readiness.onQuorumState(m.body())).completion(),
        ClusterConsumers.consumer(vertx, Addresses.produce(nodeId), this::handleProduce).completion(),
        ClusterConsumers.consumer(vertx, Addresses.fetch(nodeId), this::handleFetch).completion(),
        ClusterConsumers.consumer(vertx, Addresses.listOffsets(nodeId), this::handleListOffsets).completion(),
        ClusterConsumers.consumer(vertx, Addresses.replicaFetch(nodeId), this::handleReplicaFetch).completion(),
        ClusterConsumers.consumer(vertx, Addresses.describePartition(nodeId), this::handleDescribePartition).completion()));
  }

  private void handleProduce(Message<Object> message) {
    ProduceRequest request;
    try {
      request = Messages.body(message, ProduceRequest.class).validate();
      InternalTopics.refuseIfInternal(request.topic());
      authorizer.requireOnTopic(message, AclOperation.WRITE, request.topic());
    } catch (RuntimeException e) {
      BrookErrors.fail(message, e);
      return;
    }
    if (request.acks() == ProduceRequest.ACKS_NONE || message.replyAddress() == null) {
      // acks=0: nobody waits for an answer
      vertx.eventBus().send(Addresses.localLeader(request.topic(), request.partition()), request, local);
    } else {
      relay(message, request.topic(), request.partition(), request);
    }
  }

  private void handleFetch(Message<Object> message) {
    try {
      FetchRequest request = Messages.body(message, FetchRequest.class).validate();
      InternalTopics.refuseIfInternal(request.topic());
      authorizer.requireOnTopic(message, AclOperation.READ, request.topic());
      if (message.body() instanceof JsonObject && request.maxBytes() > MAX_JSON_FETCH_BYTES) {
        // a JSON answer is decoded and base64-encoded on this event loop: keep it small
        request = new FetchRequest(request.topic(), request.partition(), request.fetchOffset(), MAX_JSON_FETCH_BYTES,
            request.minBytes(), request.maxWaitMs(), request.replicaId(), request.currentLeaderEpoch());
      }
      relay(message, request.topic(), request.partition(), request);
    } catch (RuntimeException e) {
      BrookErrors.fail(message, e);
    }
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

  private void relay(Message<Object> message, String topic, int partition, Object request) {
    vertx.eventBus().request(Addresses.localLeader(topic, partition), request, local).onComplete(done -> {
      if (done.succeeded()) {
        replyOrFail(message, done.result().body());
      } else if (done.cause() instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
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
