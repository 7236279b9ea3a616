package io.brook.web.api;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.GroupApi;
import io.brook.protocol.message.FindCoordinatorRequest;
import io.brook.protocol.message.FindCoordinatorResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.protocol.Errors;

/**
 * Group requests from the HTTP API: to the group's coordinator (FindCoordinator first), sent again
 * while the coordinator is being created, loading its partition, or has moved (in the reply's
 * {@code error} or as the reply's failure), until {@link #DEADLINE_MS}.
 */
final class GroupCalls {
  static final long DEADLINE_MS = 15_000;
  private static final long BACKOFF_MS = 100;
  private static final Set<Errors> RETRIABLE = Set.of(Errors.COORDINATOR_NOT_AVAILABLE,
      Errors.COORDINATOR_LOAD_IN_PROGRESS, Errors.NOT_COORDINATOR, Errors.REQUEST_TIMED_OUT);

  private final Vertx vertx;
  private final BrokerClient brokers;

  GroupCalls(Vertx vertx, BrokerClient brokers) {
    this.vertx = vertx;
    this.brokers = brokers;
  }

  /** The coordinator's node id. */
  Future<Integer> coordinator(String groupId) {
    return retrying(System.currentTimeMillis() + DEADLINE_MS, () -> brokers.<FindCoordinatorResponse>requestAnyBroker(
        Addresses.FIND_COORDINATOR, FindCoordinatorRequest.group(groupId)).compose(found -> found.error() == null
            ? Future.succeededFuture(found.nodeId())
            : Future.failedFuture(Errors.valueOf(found.error()).exception(found.errorMessage()))));
  }

  /** {@code request} at the group's coordinator; {@code errorOf} reads the reply's own error field (null: none). */
  <T> Future<T> call(String groupId, GroupApi api, Object request, Function<T, String> errorOf) {
    long deadlineMs = System.currentTimeMillis() + DEADLINE_MS;
    return retrying(deadlineMs, () -> coordinator(groupId)
        .compose(node -> brokers.<T>request(api.address(node), request))
        .compose(reply -> {
          String error = errorOf.apply(reply);
          return error == null ? Future.succeededFuture(reply) : Future.failedFuture(Errors.valueOf(error).exception());
        }));
  }

  private <T> Future<T> retrying(long deadlineMs, java.util.function.Supplier<Future<T>> attempt) {
    return attempt.get().recover(failure -> {
      if (!RETRIABLE.contains(BrookErrors.errorOf(failure)) || System.currentTimeMillis() + BACKOFF_MS >= deadlineMs) {
        return Future.failedFuture(failure);
      }
      Promise<T> again = Promise.promise();
      vertx.setTimer(BACKOFF_MS, id -> retrying(deadlineMs, attempt).onComplete(again));
      return again.future();
    });
  }
}
