package io.brook.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.EnumSet;

/**
 * The node's metrics: one {@link PrometheusMeterRegistry} per node, handed to vertx-micrometer-metrics
 * when the launcher builds the node's Vert.x (Vert.x's event bus, HTTP, pool meters and the JVM's), and
 * then installed for the broker's and the HTTP API's meters
 * ({@code io.brook.verticles.metrics.NodeMeterRegistry}). docs/METRICS.md lists them.
 *
 * <p>Labels: Vert.x's defaults without {@code EB_ADDRESS}: Brook has event bus addresses per partition,
 * and a label per address would make thousands of series per meter.
 */
final class NodeMetrics {
  static final EnumSet<Label> LABELS = EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE,
      Label.EB_SIDE, Label.EB_FAILURE, Label.POOL_TYPE, Label.POOL_NAME, Label.NAMESPACE);

  /**
   * Without the address label several Vert.x event bus gauges share one id, and Micrometer warns once per
   * start that the later ones are ignored ("This Gauge has been already registered"): expected here, so
   * that logger only speaks of errors. A strong reference: java.util.logging keeps loggers weakly.
   */
  private static final java.util.logging.Logger DUPLICATE_GAUGE_WARNING = quiet("io.micrometer.core.instrument.MeterRegistry");

  private NodeMetrics() {}

  private static java.util.logging.Logger quiet(String name) {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
    logger.setLevel(java.util.logging.Level.SEVERE);
    return logger;
  }

  /**
   * {@code builder} for the node, with the JVM's meters bound to {@code registry}. Vert.x's own metrics
   * (vertx-micrometer-metrics: event bus, HTTP, pools) are not turned on: with them, while one broker was
   * frozen, another's event bus traffic stalled for seconds and the metadata quorum lost its leader
   * (HazelcastQuorumTest's frozen controller, 3 failures in 4 runs with them, 0 in 2 without; to be
   * understood before they come back, docs/notes/issue-10-progress.md).
   */
  static VertxBuilder withMetrics(VertxBuilder builder, VertxOptions options, PrometheusMeterRegistry registry) {
    new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
    return builder.with(options);
  }

  static PrometheusMeterRegistry newRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }
}
