package io.brook.verticles.api;

import io.brook.metadata.MetadataImage;
import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.message.AllocateProducerIdsRequest;
import io.brook.protocol.message.AllocateProducerIdsResponse;
import io.brook.protocol.message.InitProducerIdRequest;
import io.brook.protocol.message.InitProducerIdResponse;
import io.brook.security.AuthorizerConfig;
import io.brook.verticles.ClusterConsumers;
import io.brook.verticles.metadata.MetadataImages;
import io.brook.verticles.security.RequestAuthorizer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.Supplier;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.NotControllerException;

/**
 * Hands out producer ids to idempotent producers ({@code brook.api.init-producer-id}, any broker): the
 * next id of the block the controller gave this broker, at epoch 0; when the block is used up, the
 * next block is asked of the controller ({@code AllocateProducerIdsRequest}, committed as a
 * {@code ProducerIds} record before it is answered) and the requests wait for it. Ids left in a block
 * when the broker stops are never used: a block is never given twice, so an id never is.
 *
 * <p>May the client have an id? When it may WRITE to some topic, as Kafka 3+ decides (Brook's ACLs have
 * no IDEMPOTENT_WRITE operation, Kafka's other way). One instance per broker, on one event loop.
 */
public final class ProducerIdsVerticle extends VerticleBase {
  /** As Kafka's default block (producer.id.block.size is not configurable there either). */
  static final int BLOCK_SIZE = 1_000;
  private static final long CONTROLLER_TIMEOUT_MS = 10_000;

  private final int nodeId;
  private final AuthorizerConfig authorizerConfig;
  private Supplier<MetadataImage> image;
  private RequestAuthorizer authorizer;
  private long next;
  private long end;
  private boolean asking;
  private final Queue<Message<Object>> waiting = new ArrayDeque<>();

  public ProducerIdsVerticle(int nodeId, AuthorizerConfig authorizerConfig) {
    this.nodeId = nodeId;
    this.authorizerConfig = authorizerConfig;
  }

  @Override
  public Future<?> start() {
    image = MetadataImages.latest(vertx);
    authorizer = new RequestAuthorizer(authorizerConfig, image);
    return ClusterConsumers.<Object>consumer(vertx, Addresses.INIT_PRODUCER_ID, this::onInit).completion();
  }

  @Override
  public Future<?> stop() {
    failWaiting(new NotControllerException("Broker " + nodeId + " is stopping"));
    return Future.succeededFuture();
  }

  private void onInit(Message<Object> message) {
    if (!(message.body() instanceof InitProducerIdRequest)) {
      BrookErrors.fail(message, new org.apache.kafka.common.errors.InvalidRequestException(
          "expected an InitProducerIdRequest"));
      return;
    }
    if (!mayWriteIdempotently(message)) {
      BrookErrors.fail(message, new ClusterAuthorizationException(message.headers().get(Addresses.PRINCIPAL_HEADER)
          + " may not write idempotently: it needs WRITE on some topic"));
      return;
    }
    waiting.add(message);
    serveWaiting();
  }

  private boolean mayWriteIdempotently(Message<?> message) {
    if (!authorizerConfig.enabled() || message.headers().get(Addresses.PRINCIPAL_HEADER) == null) {
      return true; // no ACLs, or a cluster member
    }
    return image.get().topics().keySet().stream().anyMatch(topic -> authorizer.allowedOnTopic(message, AclOperation.WRITE,
        topic));
  }

  private void serveWaiting() {
    while (!waiting.isEmpty() && next < end) {
      waiting.poll().reply(new InitProducerIdResponse(next++, (short) 0));
    }
    if (!waiting.isEmpty() && !asking) {
      askForBlock();
    }
  }

  private void askForBlock() {
    int controller = image.get().controllerId();
    if (controller < 0) {
      failWaiting(new NotControllerException("No controller yet to give broker " + nodeId + " producer ids"));
      return;
    }
    asking = true;
    vertx.eventBus().<AllocateProducerIdsResponse>request(Addresses.controller(controller),
            new AllocateProducerIdsRequest(nodeId, BLOCK_SIZE), new DeliveryOptions().setSendTimeout(CONTROLLER_TIMEOUT_MS))
        .onComplete(answer -> {
          asking = false;
          if (answer.succeeded()) {
            next = answer.result().body().firstProducerId();
            end = next + answer.result().body().size();
            serveWaiting();
          } else {
            failWaiting(answer.cause());
          }
        });
  }

  private void failWaiting(Throwable cause) {
    while (!waiting.isEmpty()) {
      BrookErrors.fail(waiting.poll(), cause);
    }
  }
}
