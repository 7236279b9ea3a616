package io.brook.client.internals;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Completes a client's futures on the caller's Vert.x context, as Vert.x's own clients do. A client
 * works on its own context; a call made on another Vert.x context (a verticle, an HTTP or event
 * bus handler: a duplicated context counts as a context of its own) gets its future completed
 * there, by a {@code runOnContext} hop. A call made on the client's own context, or on a thread
 * with no context (a plain {@code main}, the perf tool), takes no hop: its future completes on the
 * client's context. Stateless; any thread.
 */
final class CallerContext {
  private CallerContext() {}

  /** The calling thread's context if it is a Vert.x context other than {@code own}; else null (no hop). */
  static Context foreign(Context own) {
    Context current = Vertx.currentContext();
    return current == null || current == own ? null : current;
  }

  /** {@code future} itself when {@code caller} is null; else a copy completed on {@code caller}. */
  static <T> Future<T> on(Context caller, Future<T> future) {
    if (caller == null) {
      return future;
    }
    Promise<T> promise = Promise.promise();
    future.onComplete(ar -> caller.runOnContext(v -> promise.handle(ar)));
    return promise.future();
  }

  /** Fails {@code promise}, on {@code caller} when it is not null. */
  static <T> void fail(Context caller, Promise<T> promise, Throwable error) {
    if (caller == null) {
      promise.tryFail(error);
    } else {
      caller.runOnContext(v -> promise.tryFail(error));
    }
  }
}
