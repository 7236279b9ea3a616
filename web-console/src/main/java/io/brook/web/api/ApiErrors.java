package io.brook.web.api;

import io.brook.protocol.BrookErrors;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.protocol.Errors;

/**
 * The HTTP edge of Brook's one error enum: every failure of an API route becomes
 * {@code {"error": "UNKNOWN_TOPIC_OR_PARTITION", "code": 3, "message": "..."}} with a fitting status.
 * Brokers' wire errors keep their Kafka code; unknown failures become UNKNOWN_SERVER_ERROR (500) and
 * are logged with their stack. Stateless.
 */
public final class ApiErrors {
  private static final System.Logger LOG = System.getLogger(ApiErrors.class.getName());

  private ApiErrors() {}

  /** The route failure handler: answers whatever made the route fail. */
  public static void handleFailure(RoutingContext ctx, long maxBodyBytes) {
    Throwable failure = ctx.failure();
    if (failure instanceof HttpClosedException || ctx.response().closed()) {
      // the client left mid-request: nobody to answer, and nothing wrong with the server
      LOG.log(System.Logger.Level.DEBUG, () -> "HTTP client left during " + ctx.request().method() + " "
          + ctx.request().path() + ": " + failure);
      return;
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset(); // half an answer is worse than a dropped connection
      return;
    }
    if (failure instanceof HttpException http && http.getStatusCode() < 500) {
      // vertx-web's own refusals (a bad query string escape, ...): the client's error, not a bug
      int status = http.getStatusCode();
      String detail = http.getCause() != null ? http.getCause().getMessage() : statusDetail(ctx, status, maxBodyBytes);
      respond(ctx, status, errorForStatus(status), detail);
      return;
    }
    if (failure == null) {
      respond(ctx, ctx.statusCode(), errorForStatus(ctx.statusCode()), statusDetail(ctx, ctx.statusCode(), maxBodyBytes));
      return;
    }
    ApiException error = toApiException(failure);
    respond(ctx, statusOf(Errors.forException(error)), Errors.forException(error), error.getMessage());
  }

  /** Any failure as Kafka's typed exception; bad JSON is an invalid request. */
  static ApiException toApiException(Throwable failure) {
    if (failure instanceof DecodeException decode) {
      return new InvalidRequestException("malformed JSON: " + decode.getMessage());
    }
    Errors error = BrookErrors.errorOf(failure);
    if (error == Errors.UNKNOWN_SERVER_ERROR && !(failure instanceof ApiException)) {
      LOG.log(System.Logger.Level.ERROR, "HTTP API request failed", failure);
    }
    return BrookErrors.toApiException(failure);
  }

  /** The HTTP status of a Kafka error. */
  public static int statusOf(Errors error) {
    switch (error) {
      case NONE:
        return 200;
      case UNKNOWN_TOPIC_OR_PARTITION:
      case UNKNOWN_TOPIC_ID:
        return 404;
      case SASL_AUTHENTICATION_FAILED:
        return 401;
      case TOPIC_AUTHORIZATION_FAILED:
      case GROUP_AUTHORIZATION_FAILED:
      case CLUSTER_AUTHORIZATION_FAILED:
        return 403;
      case RESOURCE_NOT_FOUND:
      case GROUP_ID_NOT_FOUND:
        return 404;
      case TOPIC_ALREADY_EXISTS:
      case DUPLICATE_RESOURCE:
      case REASSIGNMENT_IN_PROGRESS:
      case NO_REASSIGNMENT_IN_PROGRESS:
      case NON_EMPTY_GROUP:
      case OUT_OF_ORDER_SEQUENCE_NUMBER: // an idempotent batch at odds with its producer's state at the leader
      case UNKNOWN_PRODUCER_ID:
      case INVALID_PRODUCER_EPOCH:
        return 409;
      case MESSAGE_TOO_LARGE:
      case RECORD_LIST_TOO_LARGE:
        return 413;
      case THROTTLING_QUOTA_EXCEEDED:
        return 429;
      case INVALID_REQUEST:
      case INVALID_TOPIC_EXCEPTION:
      case INVALID_GROUP_ID:
      case INVALID_PARTITIONS:
      case INVALID_REPLICATION_FACTOR:
      case INVALID_REPLICA_ASSIGNMENT:
      case INELIGIBLE_REPLICA:
      case INVALID_CONFIG:
      case INVALID_REQUIRED_ACKS:
      case INVALID_TIMESTAMP:
      case INVALID_RECORD:
      case CORRUPT_MESSAGE:
      case OFFSET_OUT_OF_RANGE:
      case POLICY_VIOLATION:
      case UNSUPPORTED_COMPRESSION_TYPE:
      case UNSUPPORTED_VERSION:
      case UNACCEPTABLE_CREDENTIAL:
      case UNSUPPORTED_SASL_MECHANISM:
        return 400;
      default:
        return error.exception() instanceof RetriableException ? 503 : 500;
    }
  }

  /** Writes an error answer. */
  public static void respond(RoutingContext ctx, int status, Errors error, String message) {
    respond(ctx.response(), status, error, message);
  }

  /** Writes an error answer outside a route (a request refused before routing). */
  public static Future<Void> respond(HttpServerResponse response, int status, Errors error, String message) {
    return response
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(body(error, message).encode());
  }

  /** The error body; the message loses the "ERROR_NAME: " prefix the wire form carries. */
  public static JsonObject body(Errors error, String message) {
    String text = message == null ? error.message() : message;
    String prefix = error.name() + ": ";
    if (text.startsWith(prefix)) {
      text = text.substring(prefix.length());
    }
    return new JsonObject().put("error", error.name()).put("code", error.code()).put("message", text);
  }

  private static Errors errorForStatus(int status) {
    switch (status) {
      case 413:
        return Errors.MESSAGE_TOO_LARGE;
      case 503:
        return Errors.BROKER_NOT_AVAILABLE;
      case 408:
        return Errors.REQUEST_TIMED_OUT;
      case 500:
        return Errors.UNKNOWN_SERVER_ERROR;
      default:
        return Errors.INVALID_REQUEST; // 400, 404 (no such route), 405, ...
    }
  }

  private static String statusDetail(RoutingContext ctx, int status, long maxBodyBytes) {
    switch (status) {
      case 413:
        return "request body larger than http.max.body.bytes (" + maxBodyBytes + " bytes)";
      case 404:
        return "no such resource: " + ctx.request().method() + " " + ctx.request().path();
      case 405:
        return "method " + ctx.request().method() + " not allowed on " + ctx.request().path();
      default:
        return "HTTP " + status;
    }
  }
}
