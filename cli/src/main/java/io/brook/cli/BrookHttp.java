package io.brook.cli;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;

/**
 * The CLI's only way to a node: its HTTP API over {@link HttpClient} (no Vert.x, so the CLI starts
 * fast and never joins the cluster), on http:// or https:// ({@link Tls}), with the user's {@link Credentials}
 * on every request when there are any. Error answers become {@link ApiException}s (401 and 403 with a message
 * naming the user or saying what was refused), an unreachable node or a failed TLS handshake a
 * {@link CliException} naming the address and what to fix. Thread-safe (HttpClient is).
 */
public final class BrookHttp {
  /** Longer than the API's own waits (a produce's 30 s plus its broker timeout), so its errors come through. */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);
  /** For the TCP connection and, on https, the TLS handshake. */
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final URI base;
  private final HttpClient client;
  /** Null on http://. */
  private final Tls tls;
  /** Null when the CLI sends no credentials. */
  private final Credentials credentials;

  public BrookHttp(String bootstrap) {
    this(baseUri(bootstrap), null, null);
  }

  /**
   * A client of the node at {@code base} ({@link #baseUri}); {@code tls} is required for https:// and ignored for
   * http://; {@code credentials}, when not null, go with every request.
   */
  BrookHttp(URI base, Tls tls, Credentials credentials) {
    this.base = base;
    this.tls = base.getScheme().equals("https") ? Objects.requireNonNull(tls, "tls for https") : null;
    this.credentials = credentials;
    HttpClient.Builder builder = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT);
    // on http the default SSLContext would load the JDK's trust store (~0.15 s per run) for nothing
    builder.sslContext(this.tls != null ? this.tls.context() : plainHttpOnly());
    this.client = builder.build();
  }

  /** {@code HOST:PORT} (or an http:// URL) as the API's base URI. */
  static URI baseUri(String bootstrap) {
    String text = bootstrap.trim();
    if (!text.startsWith("http://") && !text.startsWith("https://")) {
      text = "http://" + text;
    }
    try {
      URI uri = URI.create(text);
      if (uri.getHost() == null || uri.getPort() < 1 || uri.getPort() > 65535) {
        throw new IllegalArgumentException("no host or port, or a port outside 1..65535");
      }
      return URI.create(uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort());
    } catch (IllegalArgumentException e) {
      throw new CliException("--bootstrap must be HOST:PORT, was '" + bootstrap + "'");
    }
  }

  public Map<String, Object> get(String path) {
    return join(getAsync(path));
  }

  /**
   * A GET whose answer with status {@code alsoOk} carries a body like a 200's (503 from {@code /api/health} is
   * the unhealthy cluster, not a failure); any other error status is an {@link ApiException} as usual.
   */
  public Map<String, Object> get(String path, int alsoOk) {
    return join(sendAsync("GET", path, null, alsoOk));
  }

  public Map<String, Object> post(String path, byte[] json) {
    return join(sendAsync("POST", path, json));
  }

  public Map<String, Object> put(String path, byte[] json) {
    return join(sendAsync("PUT", path, json));
  }

  public Map<String, Object> delete(String path) {
    return join(sendAsync("DELETE", path, null));
  }

  public CompletableFuture<Map<String, Object>> getAsync(String path) {
    return sendAsync("GET", path, null);
  }

  public CompletableFuture<Map<String, Object>> sendAsync(String method, String path, byte[] json) {
    return sendAsync(method, path, json, -1);
  }

  private CompletableFuture<Map<String, Object>> sendAsync(String method, String path, byte[] json, int alsoOk) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
        .timeout(REQUEST_TIMEOUT)
        .header("accept", "application/json")
        .method(method, json == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(json));
    if (json != null) {
      request.header("content-type", "application/json");
    }
    if (credentials != null) {
      request.header("authorization", credentials.authorization()); // preemptive: no 401 round trip first
    }
    return client.sendAsync(request.build(), BodyHandlers.ofByteArray())
        .handle((response, failure) -> {
          if (failure != null) {
            throw unreachable(failure);
          }
          return parse(response, alsoOk);
        });
  }

  private static SSLContext plainHttpOnly() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[0], new TrustManager[0], null); // trusts nobody: never used
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code segment} percent-encoded for a URL path, so any name reaches the API's own validation. */
  public static String encode(String segment) {
    StringBuilder out = new StringBuilder();
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '.' || c == '_' || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  private Map<String, Object> parse(HttpResponse<byte[]> response, int alsoOk) {
    int status = response.statusCode();
    Map<String, Object> body = body(response.body());
    if (body == null) {
      if (status != 401 && status != 403) { // a proxy's or a load balancer's refusal may be HTML
        throw new CliException("the node at " + base + " answered HTTP " + status
            + " with a body that is not JSON; is it a Brook node?");
      }
      body = Map.of();
    }
    if (status >= 400 && status != alsoOk) {
      throw failure(status, body);
    }
    return body;
  }

  /** The body as a JSON object; empty for no body (204); null when it is not JSON. */
  private static Map<String, Object> body(byte[] bytes) {
    if (bytes.length == 0) {
      return Map.of();
    }
    try {
      return Json.object(Json.parse(new String(bytes, StandardCharsets.UTF_8)));
    } catch (IllegalArgumentException notJson) {
      return null;
    }
  }

  /** An error answer as an exception; 401 and 403 say who was refused where, in the user's terms. */
  private ApiException failure(int status, Map<String, Object> body) {
    String error = body.get("error") == null ? "HTTP_" + status : body.get("error").toString();
    String detail = body.get("message") == null ? "" : body.get("message").toString();
    String reason = detail.isEmpty() ? error : detail;
    if (status == 401) {
      return ApiException.withMessage(status, error, credentials == null
          ? "the node at " + base + " requires authentication (" + reason + "); give --user NAME or set $"
              + Credentials.USER_ENV
          : "authentication failed for user " + credentials.user() + " at " + base + ": " + reason);
    }
    if (status == 403) {
      return ApiException.withMessage(status, error, "not authorized: " + reason);
    }
    return new ApiException(status, error, detail);
  }

  private CliException unreachable(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof HttpConnectTimeoutException) {
      return new CliException("the node at " + base + " did not accept a connection" + (tls == null ? ""
          : " and a TLS handshake") + " within " + CONNECT_TIMEOUT.toSeconds() + " s" + (tls == null ? ""
          : "; if it serves plain HTTP, use --bootstrap http://" + base.getHost() + ":" + base.getPort()), cause);
    }
    if (cause instanceof HttpTimeoutException) {
      return new CliException("the node at " + base + " did not answer within " + REQUEST_TIMEOUT.toSeconds() + " s", cause);
    }
    if (tls != null && Tls.find(cause, SSLException.class) != null) {
      return new CliException(tls.explain(cause, base), cause);
    }
    String why = cause instanceof ConnectException ? "connection refused" : String.valueOf(cause.getMessage());
    String hint = tls == null && !(cause instanceof ConnectException)
        ? "; if it serves HTTPS, use --bootstrap https://" + base.getHost() + ":" + base.getPort()
        : "; set --bootstrap HOST:PORT or BROOK_BOOTSTRAP";
    return new CliException("cannot reach a Brook node at " + base + " (" + why + ")" + hint, cause);
  }

  /** Waits for an answer; failures surface as the CLI's own exceptions. */
  public static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof CliException cli) {
        throw cli;
      }
      throw new CliException(String.valueOf(e.getCause()), e.getCause());
    }
  }
}
