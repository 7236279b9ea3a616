package io.brook.client.internals;

import io.brook.protocol.BrookErrors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;

/**
 * Request/reply over the event bus with Kafka's typed failures: a failed reply becomes the
 * {@code ApiException} its wire code names ({@link BrookErrors#toApiException}), so callers decide
 * retries with {@code instanceof RetriableException}. Stateless and thread-safe.
 */
public final class Rpc {
  private final EventBus eventBus;

  public Rpc(Vertx vertx) {
    this.eventBus = vertx.eventBus();
  }

  public EventBus eventBus() {
    return eventBus;
  }

  /** Sends {@code body} to {@code address} and answers the reply body as {@code type}. */
  public <T> Future<T> request(String address, Object body, long timeoutMs, Class<T> type) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(Math.max(1, timeoutMs));
    Future<Message<Object>> reply;
    try {
      reply = eventBus.request(address, body, options);
    } catch (RuntimeException e) { // e.g. no codec: a programming error, but fail the future, not the caller
      return Future.failedFuture(e);
    }
    return reply.transform(ar -> ar.succeeded()
        ? Future.succeededFuture(type.cast(ar.result().body()))
        : Future.failedFuture(BrookErrors.toApiException(ar.cause())));
  }
}
