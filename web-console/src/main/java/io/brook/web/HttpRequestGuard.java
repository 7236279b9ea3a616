package io.brook.web;

import io.brook.web.api.ApiErrors;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.protocol.Errors;

/**
 * What the HTTP listener checks before a request reaches the router, and how long it waits for one.
 *
 * <ul>
 *   <li>A request the router would choke on gets 400 INVALID_REQUEST here: an HTTP/1.1 request
 *       without a Host header (Vert.x fails it, which used to answer 500), and a URI with a broken
 *       percent-escape (the router's path decoding throws and logs a stack trace per request).
 *   <li>Read deadline ({@code http.request.read.timeout.ms}): a connection must deliver a complete
 *       request, headers and body, within the deadline of opening or of its previous answer; a
 *       request whose body is late gets 408 and the connection is closed, a connection that sends
 *       nothing (or headers a byte at a time) is closed. The deadline is not running while the
 *       server works on a request that was read whole, so long polls are unaffected.
 * </ul>
 * Logs nothing per refused request (a 4xx is the client's business); a read timeout is one
 * rate-limited line. Owned by one HTTP verticle's event loop.
 */
final class HttpRequestGuard {
  private static final System.Logger LOG = System.getLogger(HttpRequestGuard.class.getName());

  /** Per connection: the timer waiting for the next request, and requests begun but not answered. */
  private static final class Waiting {
    long timerId = -1;
    int unanswered;
  }

  private final Vertx vertx;
  private final long readTimeoutMs;
  private final RateLimitedLog clientErrors = RateLimitedLog.of(HttpRequestGuard.class);
  private final Map<HttpConnection, Waiting> connections = new HashMap<>();

  HttpRequestGuard(Vertx vertx, long readTimeoutMs) {
    this.vertx = vertx;
    this.readTimeoutMs = readTimeoutMs;
  }

  /** The server's connection handler: the first request's deadline starts now. */
  void onConnection(HttpConnection connection) {
    Waiting waiting = new Waiting();
    connections.put(connection, waiting);
    connection.closeHandler(closed -> {
      cancel(waiting);
      connections.remove(connection);
    });
    awaitRequest(connection, waiting);
  }

  /** The server's request handler: refuses what the router cannot take, hands the rest to {@code next}. */
  void onRequest(HttpServerRequest request, Handler<HttpServerRequest> next) {
    Waiting waiting = connections.get(request.connection());
    if (waiting != null) {
      cancel(waiting);
      waiting.unanswered++;
    }
    String problem = problem(request);
    if (problem != null) {
      refuse(request, problem);
      return;
    }
    long bodyTimer = vertx.setTimer(readTimeoutMs, fired -> onBodyLate(request));
    request.end().onComplete(read -> vertx.cancelTimer(bodyTimer)); // fails too when the client leaves
    next.handle(request);
  }

  /** A request of {@code connection} was answered: once none is pending, the next one's deadline runs. */
  void onAnswered(HttpConnection connection) {
    Waiting waiting = connections.get(connection);
    if (waiting != null && --waiting.unanswered <= 0) {
      waiting.unanswered = 0;
      awaitRequest(connection, waiting);
    }
  }

  /** Why the request cannot be routed, or null. */
  static String problem(HttpServerRequest request) {
    if (request.version() == HttpVersion.HTTP_1_1 && request.authority() == null) {
      return "an HTTP/1.1 request needs a Host header";
    }
    return badEscape(request.uri());
  }

  /** A '%' not followed by two hex digits, described; null when every escape is well formed. */
  static String badEscape(String uri) {
    for (int i = uri.indexOf('%'); i >= 0; i = uri.indexOf('%', i + 1)) {
      if (i + 2 >= uri.length() || Character.digit(uri.charAt(i + 1), 16) < 0
          || Character.digit(uri.charAt(i + 2), 16) < 0) {
        String escape = uri.substring(i, Math.min(uri.length(), i + 3));
        return "malformed percent-escape '" + escape + "' at index " + i + " of the request URI";
      }
    }
    return null;
  }

  private void refuse(HttpServerRequest request, String problem) {
    // the connection closes: a refused request's body is never read, so the stream is out of step
    ApiErrors.respond(request.response().putHeader("connection", "close"), 400, Errors.INVALID_REQUEST, problem)
        .onComplete(written -> request.connection().close());
  }

  private void awaitRequest(HttpConnection connection, Waiting waiting) {
    cancel(waiting);
    waiting.timerId = vertx.setTimer(readTimeoutMs, fired -> {
      waiting.timerId = -1;
      // an idle keep-alive connection looks the same as one trickling its headers: close either quietly
      LOG.log(Level.DEBUG, () -> "Closing HTTP connection " + connection.remoteAddress() + ": no request within "
          + readTimeoutMs + " ms (http.request.read.timeout.ms)");
      connection.close();
    });
  }

  private void onBodyLate(HttpServerRequest request) {
    clientErrors.log(Level.INFO, "HTTP client " + request.remoteAddress() + " did not send the whole " + request.method()
        + " request within http.request.read.timeout.ms (" + readTimeoutMs + " ms); closing the connection");
    HttpServerResponse response = request.response();
    if (response.headWritten() || response.closed()) {
      request.connection().close();
      return;
    }
    ApiErrors.respond(response.putHeader("connection", "close"), 408, Errors.REQUEST_TIMED_OUT,
        "the request was not received within http.request.read.timeout.ms (" + readTimeoutMs + " ms)")
        .onComplete(written -> request.connection().close());
  }

  private void cancel(Waiting waiting) {
    if (waiting.timerId >= 0) {
      vertx.cancelTimer(waiting.timerId);
      waiting.timerId = -1;
    }
  }
}
