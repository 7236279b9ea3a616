package io.brook.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;

/**
 * The node's metrics: one {@link PrometheusMeterRegistry} per node with the JVM's meters, installed for
 * the broker's and the HTTP API's meters ({@code io.brook.verticles.metrics.NodeMeterRegistry}).
 * docs/METRICS.md lists them.
 */
final class NodeMetrics {
  private NodeMetrics() {}

  /**
   * {@code builder} for the node, with the JVM's meters bound to {@code registry}. Vert.x's own metrics
   * (vertx-micrometer-metrics: event bus, HTTP, pools) are not turned on: with them, while one broker was
   * frozen, another's event bus traffic stalled for seconds and the metadata quorum lost its leader
   * (HazelcastQuorumTest's frozen controller, 3 failures in 4 runs with them, none in 3 without; to be
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
