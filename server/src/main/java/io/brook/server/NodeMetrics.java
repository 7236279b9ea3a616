package io.brook.server;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.EnumSet;

/**
 * The node's metrics: one {@link PrometheusMeterRegistry} per node, with the JVM's meters and, unless
 * {@code metrics.vertx.enabled} is false, Vert.x's (vertx-micrometer-metrics: event bus, HTTP, pools) when
 * the launcher builds the node's Vert.x; then installed for the broker's and the HTTP API's meters
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

  /** {@code builder} with the JVM's meters on {@code registry}, and Vert.x's when {@code vertxMetrics}. */
  static VertxBuilder withMetrics(VertxBuilder builder, VertxOptions options, PrometheusMeterRegistry registry,
      boolean vertxMetrics) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    if (!vertxMetrics) {
      return builder.with(options);
    }
    options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setLabels(LABELS));
    return builder.with(options).withMetrics(new MicrometerMetricsFactory(registry));
  }

  static PrometheusMeterRegistry newRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }
}
