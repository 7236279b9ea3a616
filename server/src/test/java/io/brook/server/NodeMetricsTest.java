package io.brook.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.Test;

/** {@code metrics.vertx.enabled}: Vert.x's own meters in the node's registry, or only the JVM's (and Brook's). */
class NodeMetricsTest {

  @Test
  void vertxMetersAreInTheRegistryUnlessTurnedOff() {
    assertThat(scrapeAfterOneMessage(true)).contains("vertx_eventbus_").contains("jvm_memory_used_bytes");
    assertThat(scrapeAfterOneMessage(false)).doesNotContain("vertx_").contains("jvm_memory_used_bytes");
  }

  private static String scrapeAfterOneMessage(boolean vertxMetrics) {
    PrometheusMeterRegistry registry = NodeMetrics.newRegistry();
    Vertx vertx = NodeMetrics.withMetrics(Vertx.builder(), new VertxOptions(), registry, vertxMetrics).build();
    try {
      vertx.eventBus().consumer("node-metrics-test", message -> message.reply("pong"));
      vertx.eventBus().request("node-metrics-test", "ping").await();
      return registry.scrape();
    } finally {
      vertx.close().await();
    }
  }
}
