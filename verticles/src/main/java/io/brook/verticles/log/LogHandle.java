package io.brook.verticles.log;

import io.brook.protocol.BrookErrors;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Objects;

/**
 * A partition role's way to its log (the role is the log verticle's child, deployed with this handle):
 * a request runs on the log's worker context, in order with what reaches the log over the event bus,
 * and its answer completes on the caller's context. A local event bus request would add a reply
 * address and its registration, a timeout timer, a codec look-up and the event bus meters to every
 * produce request; this adds nothing but the two hand-overs between threads.
 *
 * <p>A failure arrives as it would over the event bus: a {@link io.vertx.core.eventbus.ReplyException}
 * with Brook's error code. There is no timeout: the log answers every call in order, and a write stuck
 * on the disk holds up the partition's later calls either way.
 */
public final class LogHandle {
  private final Context logContext;
  private final LogVerticle log;

  LogHandle(Context logContext, LogVerticle log) {
    this.logContext = logContext;
    this.log = log;
  }

  /** {@code request} (one of {@link LogRequests}) answered by the log; called on a Vert.x context. */
  public <T> Future<T> call(Object request) {
    Context caller = Objects.requireNonNull(Vertx.currentContext(), "a log call is made from a Vert.x context");
    Promise<T> answer = Promise.promise();
    logContext.runOnContext(v -> {
      Object result;
      try {
        result = log.answer(request);
      } catch (Throwable e) { // whatever it is, the caller hears of it: no timeout would end its wait
        caller.runOnContext(back -> answer.fail(BrookErrors.toReplyException(e)));
        return;
      }
      @SuppressWarnings("unchecked")
      T typed = (T) result;
      caller.runOnContext(back -> answer.complete(typed));
      log.afterAnswer(request);
    });
    return answer.future();
  }

  /** {@code request} without an answer ({@link LogRequests.UpdateHighWatermark}). */
  public void tell(Object request) {
    logContext.runOnContext(v -> {
      try {
        log.answer(request);
      } catch (RuntimeException e) {
        BrookErrors.toReplyException(e); // logged there when unexpected; nobody waits for it
      }
    });
  }
}
