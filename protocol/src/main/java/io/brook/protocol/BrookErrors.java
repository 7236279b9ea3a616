package io.brook.protocol;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;

/**
 * The one translator between exceptions and wire errors.
 *
 * <p>On the wire an error is a {@link ReplyException} of type {@code RECIPIENT_FAILURE} whose
 * failure code is Kafka's error code ({@link Errors#code()}) and whose message starts with the
 * error's name: {@code "UNKNOWN_TOPIC_OR_PARTITION: topic 'x' has no partition 7"}. Brokers throw
 * Kafka's typed exceptions ({@link ApiException} subclasses) inside and call {@link #fail} at the
 * edge; clients turn a failed reply back into the same exception type with {@link #toApiException},
 * so {@code RetriableException} tells them what to retry.
 */
public final class BrookErrors {
  private static final System.Logger LOG = System.getLogger(BrookErrors.class.getName());

  private BrookErrors() {}

  /** Fails {@code message} with the wire form of {@code failure}. */
  public static void fail(Message<?> message, Throwable failure) {
    ReplyException wire = toReplyException(failure);
    message.fail(wire.failureCode(), wire.getMessage());
  }

  /** Broker side: any throwable to its wire form. Unknown failures are logged with their stack. */
  public static ReplyException toReplyException(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof ReplyException reply) {
      if (reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        return reply; // already a wire error, relayed from another verticle
      }
      return wireError(errorOf(reply), reply.getMessage());
    }
    Errors error = Errors.forException(cause);
    if (error == Errors.UNKNOWN_SERVER_ERROR) {
      LOG.log(System.Logger.Level.ERROR, "Unexpected server error", cause);
    }
    return wireError(error, cause.getMessage());
  }

  /** Client side: a failed reply (or any failure) to Kafka's typed exception. */
  public static ApiException toApiException(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof ApiException api) {
      return api;
    }
    Errors error = errorOf(cause);
    return error.exception(messageOf(cause));
  }

  /** The Kafka error a throwable stands for, whichever side it was raised on. */
  public static Errors errorOf(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof ReplyException reply) {
      switch (reply.failureType()) {
        case RECIPIENT_FAILURE:
          Errors error = Errors.forCode((short) reply.failureCode());
          return error == Errors.NONE ? Errors.UNKNOWN_SERVER_ERROR : error;
        case TIMEOUT:
          return Errors.REQUEST_TIMED_OUT;
        case NO_HANDLERS:
          // nobody listens on the address: the broker left, or has not registered it yet
          return Errors.LEADER_NOT_AVAILABLE;
        default:
          return Errors.UNKNOWN_SERVER_ERROR;
      }
    }
    return Errors.forException(cause);
  }

  /** A wire error with the error's name in front of the detail. */
  public static ReplyException wireError(Errors error, String detail) {
    String text = detail == null || detail.isBlank() ? error.message() : detail;
    String message = text.startsWith(error.name() + ":") ? text : error.name() + ": " + text;
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, error.code(), message);
  }

  private static String messageOf(Throwable cause) {
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
