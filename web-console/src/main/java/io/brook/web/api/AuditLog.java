package io.brook.web.api;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * One line on logger {@value #LOGGER} per change asked of the HTTP API (every method but GET, HEAD
 * and OPTIONS), whether it succeeded or was refused: who (the principal, or the user a login tried),
 * from where, the method, the route (path parameters as {@code :name}), the resource and the status.
 * Never a body, a query string, a password or a record value. Logged when the answer is sent.
 * Stateless.
 */
final class AuditLog {
  static final String LOGGER = "brook.audit";
  /** Where a login leaves the principal it tried, for the audit line of a refused login. */
  static final String ATTEMPTED_PRINCIPAL_KEY = "brook.audit.attempted-principal";
  private static final System.Logger LOG = System.getLogger(LOGGER);

  private AuditLog() {}

  /** Mount first on /api/*, so refusals by authentication are logged too. */
  static void mount(Router router, String principalKey) {
    router.route("/api/*").handler(ctx -> {
      if (ConsoleSessionHandler.isChange(ctx.request().method())) {
        ctx.addEndHandler(done -> log(ctx, principalKey));
      }
      ctx.next();
    });
  }

  private static void log(RoutingContext ctx, String principalKey) {
    String principal = ctx.get(principalKey);
    if (principal == null) {
      principal = ctx.get(ATTEMPTED_PRINCIPAL_KEY);
    }
    int status = ctx.response().getStatusCode();
    String outcome = status < 400 ? "done" : status == 401 || status == 403 || status == 429 ? "refused" : "failed";
    String[] named = routeAndResource(ctx.request().path());
    String line = "principal=" + (principal == null ? "-" : clean(principal))
        + " host=" + ctx.request().remoteAddress().hostAddress()
        + " via=" + (ctx.get(ConsoleSessionHandler.SESSION_KEY) != null ? "console" : "api")
        + " method=" + ctx.request().method()
        + " route=" + named[0]
        + " resource=" + named[1]
        + " status=" + status + " outcome=" + outcome;
    LOG.log(System.Logger.Level.INFO, line);
  }

  /**
   * The route and the resource from the path: {@code /api/topics/orders/records} is route
   * {@code /api/topics/:name/records} and resource {@code topic:orders}. Read from the path, not the
   * router's match, so a request refused before routing (authentication, CSRF) is named the same way.
   */
  static String[] routeAndResource(String path) {
    String[] segments = path.split("/", -1);
    String resource = "-";
    if (segments.length > 3 && segments[1].equals("api")) {
      String kind = segments[2];
      String name = decode(segments[3]);
      switch (kind) {
        case "topics" -> {
          segments[3] = ":name";
          resource = "topic:" + name;
          if (segments.length > 5 && segments[4].equals("partitions") && segments[5].matches("\\d{1,10}")) {
            resource += "-" + segments[5];
            segments[5] = ":partition";
          }
        }
        case "groups" -> {
          segments[3] = ":group";
          resource = "group:" + name;
        }
        case "users" -> {
          segments[3] = ":name";
          resource = "user:" + name;
        }
        case "cluster" -> {
          if (segments.length > 4 && segments[3].equals("brokers")) {
            resource = "broker:" + decode(segments[4]);
            segments[4] = ":id";
          }
        }
        default -> { }
      }
    }
    String route = String.join("/", segments);
    return new String[] {clean(route.length() > 512 ? route.substring(0, 512) + "..." : route), clean(resource)};
  }

  private static String decode(String segment) {
    try {
      return java.net.URLDecoder.decode(segment.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return segment;
    }
  }

  /** No newline or control character from the client reaches the log (no forged lines). */
  private static String clean(String text) {
    String value = text.length() > 256 ? text.substring(0, 256) + "..." : text;
    return value.replaceAll("[\\p{Cntrl}\\s]", "_");
  }
}
