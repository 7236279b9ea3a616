package io.brook.client.internals;

import io.brook.protocol.BrookErrors;
import io.brook.protocol.ClusterView;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import java.util.List;
import org.apache.kafka.common.errors.NetworkException;

/**
 * Request/reply over the event bus with Kafka's typed failures: a failed reply becomes the
 * {@code ApiException} its wire code names ({@link BrookErrors#toApiException}), so callers decide
 * retries with {@code instanceof RetriableException}. Stateless and thread-safe.
 */
public final class Rpc {
  /** How long a request waits before its target's membership is watched, and how often then. */
  static final long NODE_CHECK_MS = 250;

  private final Vertx vertx;
  private final EventBus eventBus;
  private final java.util.Map<String, String> headers;

  public Rpc(Vertx vertx) {
    this(vertx, java.util.Map.of());
  }

  /** Every request carries {@code headers} (a listener acting for the caller it authenticated). */
  public Rpc(Vertx vertx, java.util.Map<String, String> headers) {
    this.vertx = vertx;
    this.eventBus = vertx.eventBus();
    this.headers = java.util.Map.copyOf(headers);
  }

  public EventBus eventBus() {
    return eventBus;
  }

  /** The cluster manager's members now (event bus node ids); null on a Vert.x that is not clustered. */
  public List<String> clusterMembers() {
    return ClusterView.of(vertx).members();
  }

  /** Sends {@code body} to {@code address} and answers the reply body as {@code type}. */
  public <T> Future<T> request(String address, Object body, long timeoutMs, Class<T> type) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(Math.max(1, timeoutMs));
    headers.forEach(options::addHeader);
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

  /**
   * As {@link #request(String, Object, long, Class)}, to a broker on event bus node {@code targetNode}
   * (null: unknown): if that node leaves the cluster while the request waits, it fails at once with a
   * retriable {@link NetworkException}. The clustered event bus never answers a request whose
   * recipient died (a SIGKILLed leader): without this the caller would wait its whole timeout before
   * it looks for the new leader, as a Kafka client would not (its connection closes).
   */
  public <T> Future<T> request(String address, Object body, long timeoutMs, Class<T> type, String targetNode) {
    Future<T> reply = request(address, body, timeoutMs, type);
    if (targetNode == null || clusterMembers() == null || reply.isComplete()) {
      return reply;
    }
    Promise<T> result = Promise.promise();
    long watch = vertx.setPeriodic(NODE_CHECK_MS, NODE_CHECK_MS, id -> {
      if (!clusterMembers().contains(targetNode)) {
        vertx.cancelTimer(id);
        result.tryFail(new NetworkException("the broker's event bus node " + targetNode
            + " left the cluster before it answered " + address));
      }
    });
    reply.onComplete(ar -> {
      vertx.cancelTimer(watch);
      if (ar.succeeded()) {
        result.tryComplete(ar.result());
      } else {
        result.tryFail(ar.cause());
      }
    });
    return result.future();
  }
}
