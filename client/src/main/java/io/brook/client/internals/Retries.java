package io.brook.client.internals;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;

/** Retrying a call while it fails with a {@link RetriableException}, and bounding a wait. Stateless. */
final class Retries {
  private Retries() {}

  /**
   * {@code attempt}, again after {@code backoffMs} while it fails retriably, until {@code deadlineMs};
   * then a {@link TimeoutException} naming {@code what} and the last error.
   */
  static <T> Future<T> until(Vertx vertx, Supplier<Future<T>> attempt, long deadlineMs, long backoffMs, String what) {
    Future<T> tried;
    try {
      tried = attempt.get();
    } catch (RuntimeException e) {
      tried = Future.failedFuture(e);
    }
    return tried.recover(error -> {
      if (!(error instanceof RetriableException)) {
        return Future.failedFuture(error);
      }
      if (System.currentTimeMillis() + backoffMs >= deadlineMs) {
        return Future.failedFuture(new TimeoutException("Timed out " + what + ": " + error.getMessage(), error));
      }
      Promise<T> retried = Promise.promise();
      vertx.setTimer(Math.max(1, backoffMs),
          id -> until(vertx, attempt, deadlineMs, backoffMs, what).onComplete(retried));
      return retried.future();
    });
  }

  /** {@code future}, or a {@link TimeoutException} at {@code deadlineMs} if it has not completed by then. */
  static <T> Future<T> withDeadline(Vertx vertx, Future<T> future, long deadlineMs) {
    if (future.isComplete()) {
      return future;
    }
    Promise<T> bounded = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, deadlineMs - System.currentTimeMillis()),
        id -> bounded.tryFail(new TimeoutException("Timed out waiting")));
    future.onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        bounded.tryComplete(ar.result());
      } else {
        bounded.tryFail(ar.cause());
      }
    });
    return bounded.future();
  }
}
