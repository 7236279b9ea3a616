package io.brook.cli;

import java.net.ConnectException;
import java.security.GeneralSecurityException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The CLI's only way to a node: its HTTP API over {@link HttpClient} (no Vert.x, so the CLI starts
 * fast and never joins the cluster). Error answers become {@link ApiException}s, an unreachable
 * node a {@link CliException} naming the address. Thread-safe (HttpClient is).
 */
public final class BrookHttp {
  /** Longer than the API's own waits (a produce's 30 s plus its broker timeout), so its errors come through. */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);

  private final URI base;
  private final HttpClient client;

  public BrookHttp(String bootstrap) {
    this.base = baseUri(bootstrap);
    HttpClient.Builder builder = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10));
    if (base.getScheme().equals("http")) {
      // the default SSLContext loads the JDK's trust store (~0.15 s per run) for nothing on http
      builder.sslContext(plainHttpOnly());
    }
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
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
        .timeout(REQUEST_TIMEOUT)
        .header("accept", "application/json")
        .method(method, json == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(json));
    if (json != null) {
      request.header("content-type", "application/json");
    }
    return client.sendAsync(request.build(), BodyHandlers.ofByteArray())
        .handle((response, failure) -> {
          if (failure != null) {
            throw unreachable(failure);
          }
          return parse(response);
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

  private Map<String, Object> parse(HttpResponse<byte[]> response) {
    Map<String, Object> body;
    try {
      body = Json.object(Json.parse(new String(response.body(), StandardCharsets.UTF_8)));
    } catch (IllegalArgumentException e) {
      throw new CliException("the node at " + base + " answered HTTP " + response.statusCode()
          + " with a body that is not JSON; is it a Brook node?");
    }
    if (response.statusCode() >= 400) {
      Object error = body.get("error");
      throw new ApiException(response.statusCode(), error == null ? "HTTP_" + response.statusCode() : error.toString(),
          body.get("message") == null ? "" : body.get("message").toString());
    }
    return body;
  }

  private CliException unreachable(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof HttpTimeoutException) {
      return new CliException("the node at " + base + " did not answer within " + REQUEST_TIMEOUT.toSeconds() + " s", cause);
    }
    String why = cause instanceof ConnectException ? "connection refused" : String.valueOf(cause.getMessage());
    return new CliException("cannot reach a Brook node at " + base + " (" + why
        + "); set --bootstrap HOST:PORT or BROOK_BOOTSTRAP", cause);
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
