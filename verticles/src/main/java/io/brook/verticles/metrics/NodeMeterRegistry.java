package io.brook.verticles.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.function.Supplier;

/**
 * The node's one Micrometer registry, found through its {@link Vertx}: the launcher
 * ({@code io.brook.server.BrookServer}) builds the node's Vert.x with vertx-micrometer-metrics on a
 * {@link PrometheusMeterRegistry} and {@link #install}s it, so Vert.x's, the JVM's and Brook's meters
 * share it. A node started without the launcher (in-process tests, embedded use) gets a registry of its
 * own on first use, with the JVM's memory, thread and CPU meters: the broker never fails for lack of one.
 *
 * <p>Kept in the Vert.x instance's local shared data, so several nodes in one JVM never share meters.
 * Other modules (the HTTP API's {@code GET /metrics}) read the same entry: the value is a {@link Shareable}
 * {@link Supplier} of the registry, a JDK type both sides know.
 */
public final class NodeMeterRegistry {
  /** The local map and key of the registry; the HTTP API looks it up by these names too. */
  public static final String MAP = "brook.metrics";
  public static final String KEY = "registry";

  private NodeMeterRegistry() {}

  /** The registry the node was built with, or one made now (once per Vert.x instance). */
  public static MeterRegistry of(Vertx vertx) {
    LocalMap<String, Object> map = vertx.sharedData().getLocalMap(MAP);
    Object found = map.get(KEY);
    if (found == null) {
      Holder made = new Holder(fallback());
      Object raced = map.putIfAbsent(KEY, made);
      found = raced == null ? made : raced;
    }
    return (MeterRegistry) ((Supplier<?>) found).get(); // not Holder: the HTTP API may have put its own
  }

  /** Makes {@code registry} the node's; call before any verticle is deployed. */
  public static void install(Vertx vertx, MeterRegistry registry) {
    vertx.sharedData().<String, Object>getLocalMap(MAP).put(KEY, new Holder(registry));
  }

  private static MeterRegistry fallback() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    return registry;
  }

  /** The registry as a value local shared data accepts (Shareable: handed out as is, never copied). */
  private record Holder(MeterRegistry registry) implements Shareable, Supplier<MeterRegistry> {
    @Override
    public MeterRegistry get() {
      return registry;
    }
  }
}
