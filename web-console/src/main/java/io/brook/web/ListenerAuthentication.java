package io.brook.web;

import io.brook.protocol.Addresses;
import io.brook.protocol.LocalSecurity.Authenticate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.kafka.common.errors.SaslAuthenticationException;

/**
 * Who a listener's client is, from an HTTP-style {@code Authorization} value ({@code Basic
 * base64(user:password)} or {@code Bearer token}), as the HTTP API and the bridge both take it. The
 * check itself is the broker's ({@link Addresses#LOCAL_AUTHENTICATE}, on this JVM: passwords never
 * cross the event bus). No credentials: {@link #ANONYMOUS} where {@code security.allow.anonymous}
 * lets it, else SASL_AUTHENTICATION_FAILED. Stateless; any thread.
 */
public final class ListenerAuthentication {
  /** Kafka's principal for a client that gave no credentials. */
  public static final String ANONYMOUS = "User:ANONYMOUS";

  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true).setSendTimeout(10_000);

  private final Vertx vertx;
  private final boolean allowAnonymous;

  public ListenerAuthentication(Vertx vertx, boolean allowAnonymous) {
    this.vertx = vertx;
    this.allowAnonymous = allowAnonymous;
  }

  public boolean allowAnonymous() {
    return allowAnonymous;
  }

  /** The principal ({@code User:name}) whose password this is (a console login). */
  public Future<String> principal(String user, String password) {
    return vertx.eventBus().<String>request(Addresses.LOCAL_AUTHENTICATE, new Authenticate(user, password, null), LOCAL)
        .map(Message::body);
  }

  /** The principal ({@code User:name}) that {@code authorization} proves; null or blank: none given. */
  public Future<String> principal(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      return allowAnonymous ? Future.succeededFuture(ANONYMOUS) : Future.failedFuture(new SaslAuthenticationException(
          "Authentication required: give a user's password (Authorization: Basic) or a token (Authorization: Bearer)"));
    }
    String text = authorization.strip();
    int space = text.indexOf(' ');
    String scheme = space < 0 ? text : text.substring(0, space);
    String value = space < 0 ? "" : text.substring(space + 1).strip();
    Authenticate request;
    if (scheme.equalsIgnoreCase("Basic")) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(new SaslAuthenticationException("Malformed Basic credentials: not base64"));
      }
      int colon = decoded.indexOf(':');
      if (colon <= 0) {
        return Future.failedFuture(new SaslAuthenticationException("Malformed Basic credentials: expected user:password"));
      }
      request = new Authenticate(decoded.substring(0, colon), decoded.substring(colon + 1), null);
    } else if (scheme.equalsIgnoreCase("Bearer") && !value.isEmpty()) {
      request = new Authenticate(null, null, value);
    } else {
      return Future.failedFuture(new SaslAuthenticationException("Unsupported authorization: use Basic or Bearer"));
    }
    return vertx.eventBus().<String>request(Addresses.LOCAL_AUTHENTICATE, request, LOCAL).map(Message::body);
  }
}
