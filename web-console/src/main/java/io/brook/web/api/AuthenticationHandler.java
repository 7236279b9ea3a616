package io.brook.web.api;

import io.brook.protocol.Addresses;
import io.brook.protocol.LocalSecurity.IssueToken;
import io.brook.protocol.LocalSecurity.RevokeToken;
import io.brook.protocol.LocalSecurity.Token;
import io.brook.web.ListenerAuthentication;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;

/**
 * Who is calling, for every {@code /api} route: the {@code Authorization} header (Basic or Bearer)
 * checked by this node's broker, or User:ANONYMOUS where allowed; a refusal is 401
 * SASL_AUTHENTICATION_FAILED with {@code WWW-Authenticate: Basic}. The routes then talk to the brokers
 * as that principal ({@link BrokerClient#of}), and each broker checks its ACLs. Also the session
 * routes: {@code POST /api/session} trades a user's password for a bearer token (for the console),
 * {@code DELETE /api/session} forgets it.
 *
 * <p>A request without an {@code Authorization} header may instead carry a console session's cookie
 * ({@link ConsoleSessionHandler}): it then acts as the session's principal, after the session's CSRF
 * and read-only checks (403 CLUSTER_AUTHORIZATION_FAILED). The console's own routes
 * ({@code /api/console/...}) pass without credentials and check them themselves. Every change is
 * logged by {@link AuditLog}.
 */
public final class AuthenticationHandler {
  private static final String PRINCIPAL_KEY = "brook.principal";
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true).setSendTimeout(10_000);

  private final BrokerClient brokers;
  private final ListenerAuthentication authentication;
  private final ConsoleSessionHandler console;

  public AuthenticationHandler(BrokerClient brokers, ListenerAuthentication authentication,
      ConsoleSessionHandler console) {
    this.brokers = brokers;
    this.authentication = authentication;
    this.console = console;
  }

  /** Mount before every other /api route (and after the body handler, which must see the request first). */
  public void mount(Router router) {
    AuditLog.mount(router, PRINCIPAL_KEY);
    router.route("/api/*").handler(this::authenticate);
    console.mount(router);
    router.post("/api/session").handler(this::login);
    router.delete("/api/session").handler(this::logout);
  }

  private void authenticate(RoutingContext ctx) {
    String authorization = ctx.request().getHeader("Authorization");
    if (authorization == null || authorization.isBlank()) {
      ConsoleSessions.Session session = console.fromCookie(ctx);
      if (session != null) {
        ctx.put(ConsoleSessionHandler.SESSION_KEY, session);
        String refusal = console.refusal(ctx, session);
        if (refusal != null) {
          ctx.put(PRINCIPAL_KEY, session.principal());
          ctx.fail(new ClusterAuthorizationException(refusal));
          return;
        }
        accept(ctx, session.principal(), console.readOnly());
        return;
      }
      if (ctx.request().path().startsWith("/api/console/")) {
        ctx.next(); // login, session, logout: they look at the cookie and the body themselves
        return;
      }
    }
    authentication.principal(authorization).onComplete(done -> {
      if (done.failed()) {
        ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"brook\", charset=\"UTF-8\"");
        ctx.fail(done.cause());
        return;
      }
      accept(ctx, done.result(), false);
    });
  }

  private void accept(RoutingContext ctx, String principal, boolean readOnly) {
    String host = ctx.request().remoteAddress().hostAddress();
    ctx.put(BrokerClient.CALLER_KEY, brokers.as(principal, host));
    ctx.put(PRINCIPAL_KEY, principal);
    console.operations().putInto(ctx, new AuthorizedOperations.Caller(principal, host, readOnly));
    ctx.next();
  }

  private void login(RoutingContext ctx) {
    String principal = ctx.get(PRINCIPAL_KEY);
    if (ListenerAuthentication.ANONYMOUS.equals(principal)) {
      throw new SaslAuthenticationException("Log in with a user's password (Authorization: Basic) to get a token");
    }
    Future<Token> token = ctx.vertx().eventBus().<Token>request(Addresses.LOCAL_ISSUE_TOKEN, new IssueToken(principal), LOCAL)
        .map(Message::body);
    Responses.json(ctx, 201, token.map(t -> new JsonObject().put("token", t.token()).put("principal", t.principal())
        .put("expiresAtMs", t.expiresAtMs())));
  }

  private void logout(RoutingContext ctx) {
    String authorization = ctx.request().getHeader("Authorization");
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.response().setStatusCode(204).end();
      return;
    }
    ctx.vertx().eventBus().request(Addresses.LOCAL_REVOKE_TOKEN, new RevokeToken(authorization.substring(7).strip()), LOCAL)
        .onComplete(done -> ctx.response().setStatusCode(204).end());
  }
}
