package io.brook.web.api;

import io.brook.protocol.Addresses;
import io.brook.protocol.message.DescribeClusterRequest;
import io.brook.web.ListenerAuthentication;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.ThrottlingQuotaExceededException;

/**
 * The metrics routes (docs/METRICS.md, HTTP-API.md):
 *
 * <ul>
 *   <li>{@code GET /metrics}: this node's registry in Prometheus' text format (Vert.x's, the JVM's and the
 *       broker's {@code brook_*} meters), rendered on a worker (thousands of partitions make megabytes);
 *   <li>{@code GET /api/metrics/cluster}: the latest cluster-wide sample of the node's
 *       {@link ClusterMetricsSampler};
 *   <li>{@code GET /api/metrics/history}: its cluster totals of up to the last 15 minutes;
 *   <li>{@code GET /api/metrics/stream[?topic=NAME]}: Server-Sent Events ({@link ServerSentEvents}),
 *       {@code history} then one {@code sample} a second; one of the node's {@code http.max.event.streams}
 *       event streams (429 beyond).
 * </ul>
 *
 * Who may call: as every {@code /api} route (and {@code /metrics}, which is outside {@code /api}, checks
 * the credentials itself); when ACLs are checked, DESCRIBE on the cluster: the caller's describe-cluster
 * request is what the brokers check. Runs on its verticle's event loop.
 */
public final class MetricsHandler {
  /** How long a metrics request waits for a first sample when the sampler was idle. */
  static final long FIRST_SAMPLE_WAIT_MS = 2_500;

  private final Vertx vertx;
  private final BrokerClient brokers;
  private final ListenerAuthentication authentication;
  private final boolean aclsChecked;
  private final int streamsMax;

  public MetricsHandler(Vertx vertx, BrokerClient brokers, ListenerAuthentication authentication, boolean aclsChecked,
      int streamsMax) {
    this.vertx = vertx;
    this.brokers = brokers;
    this.authentication = authentication;
    this.aclsChecked = aclsChecked;
    this.streamsMax = streamsMax;
  }

  /** Mount after authentication (the {@code /api} routes) and before the {@code /api} 404. */
  public void mount(Router router, long maxBodyBytes) {
    router.get("/metrics").handler(this::prometheus);
    router.route("/metrics").failureHandler(ctx -> ApiErrors.handleFailure(ctx, maxBodyBytes));
    router.get("/api/metrics/cluster").handler(this::cluster);
    router.get("/api/metrics/history").handler(this::history);
    router.get("/api/metrics/stream").handler(this::stream);
  }

  private ClusterMetricsSampler sampler() {
    return ClusterMetricsSampler.of(vertx, brokers);
  }

  /** DESCRIBE on the cluster when ACLs are checked: the broker that serves the caller's describe-cluster checks it. */
  private Future<Void> describeCluster(BrokerClient caller) {
    if (!aclsChecked) {
      return Future.succeededFuture();
    }
    return caller.retryingTimeouts(Addresses.DESCRIBE_CLUSTER, new DescribeClusterRequest(false),
        ClusterHandler.DESCRIBE_ATTEMPT_MS).mapEmpty();
  }

  private void prometheus(RoutingContext ctx) {
    authentication.principal(ctx.request().getHeader("Authorization"))
        .onFailure(failure -> {
          ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"brook\", charset=\"UTF-8\"");
          ctx.fail(failure);
        })
        .onSuccess(principal -> describeCluster(brokers.as(principal, ctx.request().remoteAddress().hostAddress()))
            .compose(allowed -> vertx.executeBlocking(() -> scrape(registry(vertx)), false))
            .onSuccess(text -> {
              if (!ctx.response().closed()) {
                ctx.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(text);
              }
            })
            .onFailure(ctx::fail));
  }

  private void cluster(RoutingContext ctx) {
    Future<JsonObject> answer = describeCluster(BrokerClient.of(ctx))
        .compose(allowed -> sampler().recent(FIRST_SAMPLE_WAIT_MS))
        .map(sample -> sample == null ? emptyCluster() : sample.clusterJson());
    Responses.json(ctx, 200, answer);
  }

  private static JsonObject emptyCluster() {
    return new JsonObject().put("ts", System.currentTimeMillis()).put("intervalMs", 0)
        .put("brokers", new io.vertx.core.json.JsonArray()).put("totals", MetricsSample.Rates.ZERO.toJson())
        .put("topics", new JsonObject());
  }

  private void history(RoutingContext ctx) {
    Responses.json(ctx, 200, describeCluster(BrokerClient.of(ctx)).map(allowed -> sampler().historyJson()));
  }

  private void stream(RoutingContext ctx) {
    String topic = ctx.queryParams().get("topic");
    if (topic != null) {
      Params.checkedTopic(topic);
    }
    describeCluster(BrokerClient.of(ctx)).onFailure(ctx::fail).onSuccess(allowed -> openStream(ctx, topic));
  }

  private void openStream(RoutingContext ctx, String topic) {
    if (ctx.response().closed()) {
      return;
    }
    ServerSentEvents events;
    try {
      events = ServerSentEvents.reserve(ctx, streamsMax); // a slot among the node's event streams, or 429
    } catch (RuntimeException e) {
      ctx.fail(e);
      return;
    }
    ClusterMetricsSampler sampler = sampler();
    if (topic != null && !sampler.watchTopic(topic)) {
      events.release();
      ctx.fail(new ThrottlingQuotaExceededException("too many topics are watched by metrics streams on this node"));
      return;
    }
    sampler.openStream();
    Object key = new Object();
    events.onClose(() -> {
      sampler.unlisten(key);
      if (topic != null) {
        sampler.unwatchTopic(topic);
      }
      sampler.closeStream();
    });
    events.start();
    if (events.isClosed()) {
      return; // the client went already; onClose gave everything back
    }
    events.send("history", sampler.historyJson());
    sampler.listen(key, sample -> events.send("sample", sample.streamJson(topic)));
  }

  // ---- the node's registry ----

  /**
   * The node's registry, as the broker put it in the node's local data
   * ({@code io.brook.verticles.metrics.NodeMeterRegistry}: a {@link Shareable} {@link Supplier}); a node
   * with no broker yet gets one made here, which the broker then uses too.
   */
  static MeterRegistry registry(Vertx vertx) {
    LocalMap<String, Object> map = vertx.sharedData().getLocalMap("brook.metrics");
    Object found = map.get("registry");
    if (found == null) {
      PrometheusMeterRegistry made = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      Object raced = map.putIfAbsent("registry", new RegistryHolder(made));
      found = raced == null ? new RegistryHolder(made) : raced;
    }
    return (MeterRegistry) ((Supplier<?>) found).get();
  }

  private record RegistryHolder(MeterRegistry registry) implements Shareable, Supplier<MeterRegistry> {
    @Override
    public MeterRegistry get() {
      return registry;
    }
  }

  static String scrape(MeterRegistry registry) {
    if (registry instanceof PrometheusMeterRegistry prometheus) {
      return prometheus.scrape();
    }
    if (registry instanceof CompositeMeterRegistry composite) {
      for (MeterRegistry member : composite.getRegistries()) {
        if (member instanceof PrometheusMeterRegistry prometheus) {
          return prometheus.scrape();
        }
      }
    }
    throw new IllegalStateException("this node's meter registry is not a Prometheus registry: " + registry.getClass());
  }
}
