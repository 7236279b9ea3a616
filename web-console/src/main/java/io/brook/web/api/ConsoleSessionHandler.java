package io.brook.web.api;

import io.brook.metadata.Acl;
import io.brook.web.ListenerAuthentication;
import io.brook.web.api.ConsoleSessions.Session;
import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.ThrottlingQuotaExceededException;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Console sessions: the browser logs in once and then carries an opaque, HttpOnly, SameSite=Strict
 * cookie ({@code brook_console_<node.id>}) instead of a password on every request (an EventSource cannot send an
 * Authorization header at all).
 *
 * <ul>
 *   <li>{@code POST /api/console/login {user, password}}: checks the password (the brokers' users),
 *       sets the cookie and answers the session; 401 on a wrong password, 429 after
 *       {@code console.login.max.failures.per.minute} failures from one address;
 *   <li>{@code GET /api/console/session}: the cookie's session; without one, a new anonymous
 *       session where anonymous access is allowed, else 401;
 *   <li>{@code POST /api/console/logout}: forgets the session and clears the cookie.
 * </ul>
 *
 * A session body is {@code {principal, anonymous, readOnly, csrfToken, clusterOperations}}. Every
 * non-GET request authenticated by the cookie must carry {@value #CSRF_HEADER} equal to the
 * session's csrfToken, and with {@code console.read.only} every change through a session is refused
 * ({@link #refusal}, called by {@link AuthenticationHandler}). Runs on its verticle's event loop.
 */
public final class ConsoleSessionHandler {
  /**
   * The cookie's name is {@code brook_console_<node.id>}: browsers keep cookies per host, not per port, so
   * nodes on one host (the three-node cluster on 127.0.0.1) would otherwise replace each other's session.
   */
  public static final String COOKIE_PREFIX = "brook_console_";
  public static final String CSRF_HEADER = "X-Brook-CSRF";
  static final String SESSION_KEY = "brook.console.session";
  static final int MAX_USER_CHARS = 256;
  static final int MAX_PASSWORD_CHARS = 1024;

  private final ListenerAuthentication authentication;
  private final ConsoleSessions sessions;
  private final AuthorizedOperations operations;
  private final boolean readOnly;
  private final boolean secureCookie;
  private final int maxLoginFailures;
  private final String cookieName;

  public ConsoleSessionHandler(io.vertx.core.Vertx vertx, int nodeId, ListenerAuthentication authentication,
      AuthorizedOperations operations, boolean readOnly, boolean secureCookie, long sessionMaxAgeMs, int maxSessions,
      int maxLoginFailures) {
    this.cookieName = COOKIE_PREFIX + nodeId;
    this.authentication = authentication;
    this.sessions = ConsoleSessions.of(vertx, sessionMaxAgeMs, maxSessions);
    this.operations = operations;
    this.readOnly = readOnly;
    this.secureCookie = secureCookie;
    this.maxLoginFailures = maxLoginFailures;
  }

  void mount(Router router) {
    router.post("/api/console/login").handler(this::login);
    router.get("/api/console/session").handler(this::session);
    router.post("/api/console/logout").handler(this::logout);
  }

  boolean readOnly() {
    return readOnly;
  }

  AuthorizedOperations operations() {
    return operations;
  }

  /** The live session the request's cookie names, or null. */
  Session fromCookie(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(cookieName);
    return cookie == null ? null : sessions.find(cookie.getValue(), System.currentTimeMillis());
  }

  /**
   * Why a request authenticated by {@code session} is refused (403), or null when it may go on: a
   * change without the session's CSRF token, or any change while the console is read-only.
   */
  String refusal(RoutingContext ctx, Session session) {
    if (!isChange(ctx.request().method())) {
      return null;
    }
    String path = ctx.request().path();
    if (!path.equals("/api/console/login") && !sameToken(session.csrfToken(), ctx.request().getHeader(CSRF_HEADER))) {
      return "a change made with a console session needs the " + CSRF_HEADER + " header set to the session's"
          + " csrfToken (GET /api/console/session answers it)";
    }
    if (readOnly && !path.startsWith("/api/console/")) {
      return "the console is read-only (console.read.only): " + ctx.request().method() + " " + path + " refused";
    }
    return null;
  }

  /** Compares in constant time: how long a wrong guess takes tells nothing of the token. */
  private static boolean sameToken(String expected, String given) {
    return given != null && java.security.MessageDigest.isEqual(expected.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        given.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  static boolean isChange(HttpMethod method) {
    return method != HttpMethod.GET && method != HttpMethod.HEAD && method != HttpMethod.OPTIONS;
  }

  private void login(RoutingContext ctx) {
    JsonObject body = Params.bodyObject(ctx);
    String user = boundedString(body, "user", MAX_USER_CHARS);
    String password = boundedString(body, "password", MAX_PASSWORD_CHARS);
    ctx.put(AuditLog.ATTEMPTED_PRINCIPAL_KEY, "User:" + user);
    String address = ctx.request().remoteAddress().hostAddress();
    long nowMs = System.currentTimeMillis();
    if (!sessions.loginAllowed(address, nowMs, maxLoginFailures)) {
      throw new ThrottlingQuotaExceededException("too many failed logins from " + address
          + " (console.login.max.failures.per.minute); wait a minute");
    }
    authentication.principal(user, password)
        .recover(failure -> {
          sessions.loginFailed(address, System.currentTimeMillis());
          return Future.failedFuture(failure instanceof SaslAuthenticationException ? failure
              : new SaslAuthenticationException("Authentication failed: " + failure.getMessage()));
        })
        .compose(principal -> {
          Session old = fromCookie(ctx);
          if (old != null) {
            sessions.remove(old.id()); // a fresh id at every login: no session fixation
          }
          return answer(ctx, sessions.create(principal, false, System.currentTimeMillis()), 200);
        })
        .onFailure(ctx::fail);
  }

  private void session(RoutingContext ctx) {
    Session session = fromCookie(ctx);
    if (session != null) {
      answer(ctx, session, 200).onFailure(ctx::fail);
      return;
    }
    if (!authentication.allowAnonymous()) {
      throw new SaslAuthenticationException("no console session: log in (POST /api/console/login)");
    }
    answer(ctx, sessions.create(ListenerAuthentication.ANONYMOUS, true, System.currentTimeMillis()), 200)
        .onFailure(ctx::fail);
  }

  private void logout(RoutingContext ctx) {
    Session session = fromCookie(ctx);
    if (session != null) {
      sessions.remove(session.id());
    }
    ctx.response().addCookie(cookie("").setMaxAge(0));
    ctx.response().setStatusCode(204).end();
  }

  /** Sets the cookie and answers the session's body. */
  private Future<Void> answer(RoutingContext ctx, Session session, int status) {
    AuthorizedOperations.Caller caller = new AuthorizedOperations.Caller(session.principal(),
        ctx.request().remoteAddress().hostAddress(), readOnly);
    return operations.of(caller, ResourceType.CLUSTER, Acl.CLUSTER_NAME).map(clusterOperations -> {
      ctx.response().addCookie(cookie(session.id()).setMaxAge(sessions.maxAgeMs() / 1000));
      Responses.json(ctx, status, new JsonObject()
          .put("principal", session.principal())
          .put("anonymous", session.anonymous())
          .put("readOnly", readOnly)
          .put("csrfToken", session.csrfToken())
          .put("expiresAtMs", session.expiresAtMs())
          .put("clusterOperations", clusterOperations));
      return null;
    });
  }

  private Cookie cookie(String value) {
    return Cookie.cookie(cookieName, value).setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.STRICT)
        .setSecure(secureCookie);
  }

  private static String boundedString(JsonObject body, String key, int maxChars) {
    Object value = body.getValue(key);
    if (!(value instanceof String text) || text.isEmpty()) {
      throw new InvalidRequestException("'" + key + "' (a non-empty string) is required");
    }
    if (text.length() > maxChars) {
      throw new InvalidRequestException("'" + key + "' is longer than " + maxChars + " characters");
    }
    return text;
  }
}
