package io.brook.web;

import io.brook.protocol.JsonConfig;
import io.brook.protocol.codec.BrookCodecs;
import io.brook.security.AuthorizerConfig;
import io.brook.web.api.ApiErrors;
import io.brook.web.api.AuthenticationHandler;
import io.brook.web.api.AuthorizedOperations;
import io.brook.web.api.ConsoleSessionHandler;
import io.brook.web.api.BrokerClient;
import io.brook.web.api.EventStreamsHandler;
import io.brook.web.api.GroupConsumersHandler;
import io.brook.web.api.GroupsHandler;
import io.brook.web.api.ClusterHandler;
import io.brook.web.api.ConsumeHandler;
import io.brook.web.api.HealthHandler;
import io.brook.web.api.MetricsHandler;
import io.brook.web.api.NodeHandler;
import io.brook.web.api.PartitionsHandler;
import io.brook.web.api.ProduceHandler;
import io.brook.web.api.SecurityAdminHandler;
import io.brook.web.api.TopicAdminHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP API ({@code /api/...}, JSON in and out) and the console page ({@code /}) of one node,
 * for clients outside the cluster: every call becomes event bus requests to the brokers, so the
 * verticle holds no topic state beyond a short-lived metadata cache. Config: {@link WebConsoleConfig}.
 *
 * <p>Each instance owns its router, handlers and cache on its own event loop; deploy several
 * instances to spread HTTP load over event loops (they share the port).
 */
public final class HttpApiVerticle extends VerticleBase {
  /** Where the console's static files live on the classpath. */
  static final String WEBROOT = "brook-webroot";

  private HttpServer server;
  private GroupConsumersHandler groupConsumers;

  @Override
  public Future<?> start() {
    WebConsoleConfig config = WebConsoleConfig.fromJson(config());
    BrookCodecs.register(vertx.eventBus());
    HttpRequestGuard guard = new HttpRequestGuard(vertx, config.httpRequestReadTimeoutMs());
    Router router = router(config, guard);
    HttpServerOptions options = new HttpServerOptions();
    config.httpTls().ifPresent(tls -> tls.applyTo(options).setUseAlpn(true));
    server = vertx.createHttpServer(options
        .setHost(config.httpHost())
        .setPort(config.httpPort())
        .setIdleTimeout(config.httpIdleTimeoutMs())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        // h2c upgrade off: to spot an upgrade Vert.x holds a connection until its request headers are
        // complete, so a client trickling headers would stay invisible to the read deadline (browsers
        // use HTTP/2 only over TLS anyway)
        .setHttp2ClearTextEnabled(false)
        .setCompressionSupported(true));
    return server
        .connectionHandler(guard::onConnection)
        .requestHandler(request -> guard.onRequest(request, router))
        .listen();
  }

  /** Group consumers of HTTP clients leave their groups before the node goes. */
  @Override
  public Future<?> stop() {
    return groupConsumers == null ? Future.succeededFuture() : groupConsumers.closeAll();
  }

  /** The port actually bound (useful with {@code http.port = 0}). */
  public int actualPort() {
    return server.actualPort();
  }

  private Router router(WebConsoleConfig config, HttpRequestGuard guard) {
    BrokerClient brokers = new BrokerClient(vertx, config.requestTimeoutMs(), config.metadataMaxAgeMs(),
        new AuthorizerConfig(JsonConfig.asStrings(config())).enabled());
    Router router = Router.router(vertx);
    router.route().handler(ctx -> { // first: the guard's next read deadline starts once this answer is out
      HttpConnection connection = ctx.request().connection();
      ctx.addEndHandler(answered -> guard.onAnswered(connection));
      ctx.next();
    });
    router.route("/api/*").handler(HttpApiVerticle::neverDecodeForms);
    router.route("/api/*").handler(BodyHandler.create(false)
        .setBodyLimit(config.httpMaxBodyBytes()));
    HealthHandler health = new HealthHandler(brokers, config.nodeId());
    health.mountProbes(router); // before authentication: load balancers have no credentials
    ListenerAuthentication authentication = new ListenerAuthentication(vertx, config.allowAnonymous());
    ConsoleSessionHandler console = new ConsoleSessionHandler(vertx, config.nodeId(), authentication,
        new AuthorizedOperations(brokers, new AuthorizerConfig(JsonConfig.asStrings(config()))), config.consoleReadOnly(),
        config.httpTlsEnabled(), config.consoleSessionMaxAgeMs(), config.consoleSessionsMax(),
        config.consoleLoginMaxFailures());
    new AuthenticationHandler(brokers, authentication, console).mount(router);
    new NodeHandler(brokers, config.nodeId()).mount(router);
    health.mount(router);
    new TopicAdminHandler(brokers).mount(router);
    new ProduceHandler(brokers).mount(router);
    new ConsumeHandler(brokers, config.maxPartitionFetchBytes(), config.fetchMaxBytes(), config.maxLongPolls(),
        config.searchMaxScanMs())
        .mount(router);
    new PartitionsHandler(brokers).mount(router);
    new io.brook.web.api.RecordsDeletionHandler().mount(router);
    new EventStreamsHandler(vertx, brokers, config).mount(router);
    new ClusterHandler(brokers).mount(router);
    new GroupsHandler(vertx).mount(router);
    groupConsumers = new GroupConsumersHandler(vertx, config.consumerInstancesMax(), config.consumerInstanceTimeoutMs());
    groupConsumers.mount(router);
    new SecurityAdminHandler().mount(router);
    new MetricsHandler(vertx, brokers, new ListenerAuthentication(vertx, config.allowAnonymous()), new AuthorizerConfig(JsonConfig.asStrings(config())).enabled(), config.maxEventStreams()).mount(router, config.httpMaxBodyBytes());
    router.route("/api/*").handler(ctx -> ctx.fail(404));
    router.route("/api/*").failureHandler(ctx -> ApiErrors.handleFailure(ctx, config.httpMaxBodyBytes()));

    router.route("/*").handler(HttpApiVerticle::consoleHeaders);
    router.route("/*").handler(StaticHandler.create(WEBROOT).setCachingEnabled(false));
    router.get("/*").handler(HttpApiVerticle::consolePage);
    return router;
  }

  /**
   * The API reads JSON bodies only. Left to itself, BodyHandler decodes a form content type as a
   * form: Vert.x then throws on a broken escape in the body (500) or on a GET with a form type, and
   * {@code curl -d '{...}'} sends its JSON as x-www-form-urlencoded. So the form types are dropped
   * before BodyHandler and the body is read as it is (and parsed as JSON by the route).
   */
  private static void neverDecodeForms(RoutingContext ctx) {
    String type = ctx.request().getHeader("content-type");
    if (type != null && (type.regionMatches(true, 0, "multipart/", 0, 10)
        || type.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33))) {
      ctx.request().headers().remove("content-type");
    }
    ctx.next();
  }

  /**
   * The console runs only its own scripts: a record, a topic name or a header that holds HTML is text
   * in the page (the console never builds HTML from data), and should one ever slip through, the
   * policy still refuses inline and foreign scripts, framing and foreign connections.
   */
  private static void consoleHeaders(RoutingContext ctx) {
    ctx.response().headers()
        .set("content-security-policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
        .set("x-content-type-options", "nosniff")
        .set("referrer-policy", "same-origin")
        .set("x-frame-options", "DENY");
    ctx.next();
  }

  /**
   * The console's client-side routes ({@code /}, {@code /topics/...}, {@code /groups/...}, {@code /login}) get
   * its page, whatever their last segment (a topic may be named {@code orders.v1}); any other missing path
   * gets 404, so a broken asset link is not answered with HTML.
   */
  private static void consolePage(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    boolean consoleRoute = path.equals("/") || path.equals("/login") || path.equals("/topics") || path.startsWith("/topics/")
        || path.equals("/groups") || path.startsWith("/groups/");
    if (!consoleRoute) {
      ctx.next(); // falls through to the router's 404
      return;
    }
    ctx.response().putHeader("content-type", "text/html; charset=utf-8").sendFile(WEBROOT + "/index.html");
  }
}
