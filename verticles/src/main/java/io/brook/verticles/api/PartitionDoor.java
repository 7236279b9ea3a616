package io.brook.verticles.api;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.Caller;
import io.brook.protocol.InternalTopics;
import io.brook.protocol.LocalPartitionDoor;
import io.brook.protocol.message.FetchRequest;
import io.brook.protocol.message.FetchResponse;
import io.brook.protocol.message.ProduceRequest;
import io.brook.protocol.message.ProduceResponse;
import io.brook.protocol.message.ReplicaFetchResponse;
import io.brook.security.AuthorizerConfig;
import io.brook.verticles.metadata.MetadataImages;
import io.brook.verticles.metrics.BrokerMeters;
import io.brook.verticles.security.RequestAuthorizer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;

/**
 * The checks and the hand-over of a client's partition request on this node, shared by the broker's
 * event bus door ({@link BrokerApiVerticle}) and the node's own front ends ({@link LocalPartitionDoor}:
 * the Kafka listener, which thus reaches a local leader in one event bus hop instead of two). A request is
 * validated, refused for an internal topic ({@link InternalTopics}), checked against the ACLs, handed to
 * the partition's local leader verticle, and counted in the broker's meters once answered.
 *
 * <p>Owned by one verticle's context: its authorizer caches the ACL index it last built.
 */
public final class PartitionDoor implements LocalPartitionDoor {
  /** Longer than any produce timeout or long poll: the leader answers first. */
  static final long FORWARD_TIMEOUT_MS = 150_000;

  private final Vertx vertx;
  private final RequestAuthorizer authorizer;
  /** Counts and times what this door answers (docs/METRICS.md). */
  private final BrokerMeters meters;
  private final DeliveryOptions local = new DeliveryOptions().setLocalOnly(true).setSendTimeout(FORWARD_TIMEOUT_MS);
  private final DeliveryOptions localFileRecords = new DeliveryOptions(local).addHeader(Addresses.FILE_RECORDS_HEADER, "");

  /** Call on the context that will use it. */
  public PartitionDoor(Vertx vertx, AuthorizerConfig authorizerConfig) {
    this.vertx = vertx;
    this.authorizer = new RequestAuthorizer(authorizerConfig, MetadataImages.latest(vertx));
    this.meters = BrokerMeters.of(vertx);
  }

  /** The ACL check the door makes, for the requests it checks beyond produce and fetch. */
  RequestAuthorizer authorizer() {
    return authorizer;
  }

  /** Throws the error a client gets for a produce request this door refuses. */
  ProduceRequest admit(ProduceRequest request, Caller caller) {
    admitOnTopic(request.validate().topic(), AclOperation.WRITE, caller);
    return request;
  }

  /** Throws the error a client gets for a fetch request this door refuses. */
  FetchRequest admit(FetchRequest request, Caller caller) {
    admitOnTopic(request.validate().topic(), AclOperation.READ, caller);
    return request;
  }

  /** Internal topics are never a client's; then the ACLs decide. */
  private void admitOnTopic(String topic, AclOperation operation, Caller caller) {
    InternalTopics.refuseIfInternal(topic);
    authorizer.requireOnTopic(caller, operation, topic);
  }

  /** acks=0: nobody waits for the answer, so the request counts as produced once sent. */
  void sendUnanswered(ProduceRequest request) {
    vertx.eventBus().send(Addresses.localLeader(request.topic(), request.partition()), request, local);
    meters.onProduced(request, -1);
  }

  /**
   * Hands an admitted request to the partition's local leader and counts its answer. Fails with the
   * leader's error, or with a {@link ReplyFailure#NO_HANDLERS} reply ({@link #noLeaderHere}) when this
   * node has no leader verticle for the partition.
   */
  <T> Future<T> relay(String topic, int partition, Object request, boolean fileRecords) {
    long startNs = System.nanoTime();
    return vertx.eventBus().<T>request(Addresses.localLeader(topic, partition), request,
            fileRecords ? localFileRecords : local)
        .map(reply -> {
          T body = reply.body();
          count(topic, partition, request, body, System.nanoTime() - startNs);
          return body;
        });
  }

  static boolean noLeaderHere(Throwable failure) {
    return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS;
  }

  /** The leader answered: the partition's in/out counters and the topic's request timers. */
  private void count(String topic, int partition, Object request, Object response, long latencyNs) {
    if (request instanceof ProduceRequest produce) {
      meters.onProduced(produce, latencyNs);
    } else if (response instanceof FetchResponse fetched) {
      meters.onFetched(topic, partition, fetched, latencyNs);
    } else if (response instanceof ReplicaFetchResponse replicated) {
      meters.onReplicaFetched(topic, partition, replicated);
    }
  }

  @Override
  public Future<ProduceResponse> produce(ProduceRequest request, Caller caller) {
    try {
      admit(request, caller);
    } catch (RuntimeException e) {
      return Future.failedFuture(BrookErrors.toReplyException(e));
    }
    if (request.acks() == ProduceRequest.ACKS_NONE) {
      sendUnanswered(request);
      return Future.succeededFuture();
    }
    return this.<ProduceResponse>relay(request.topic(), request.partition(), request, false)
        .recover(failure -> moved(failure, request.topic(), request.partition()));
  }

  @Override
  public Future<FetchResponse> fetch(FetchRequest request, Caller caller, boolean fileRecords) {
    try {
      admit(request, caller);
    } catch (RuntimeException e) {
      return Future.failedFuture(BrookErrors.toReplyException(e));
    }
    return this.<FetchResponse>relay(request.topic(), request.partition(), request, fileRecords)
        .recover(failure -> moved(failure, request.topic(), request.partition()));
  }

  /** The caller's metadata named this node leader: no leader verticle here means it moved, or is not deployed yet. */
  private static <T> Future<T> moved(Throwable failure, String topic, int partition) {
    return Future.failedFuture(BrookErrors.toReplyException(noLeaderHere(failure)
        ? new NotLeaderOrFollowerException("This node does not lead partition " + partition + " of topic '" + topic + "'")
        : failure));
  }
}
