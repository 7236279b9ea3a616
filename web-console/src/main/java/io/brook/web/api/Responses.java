package io.brook.web.api;

import io.brook.protocol.codec.BrookJson;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writing JSON answers; a failed future fails the route, which {@link ApiErrors} answers. */
final class Responses {
  private Responses() {}

  /** Replies with {@code reply}'s value (a message record or JSON) once it completes. */
  static void json(RoutingContext ctx, int status, Future<?> reply) {
    reply.onSuccess(body -> json(ctx, status, BrookJson.toJson(body))).onFailure(ctx::fail);
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    json(ctx, status, body.toBuffer());
  }

  /** Replies with JSON already rendered (e.g. on a worker thread). */
  static void json(RoutingContext ctx, int status, Buffer body) {
    if (ctx.response().closed() || ctx.response().ended()) {
      return; // the client went away while the brokers worked
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(body);
  }
}
