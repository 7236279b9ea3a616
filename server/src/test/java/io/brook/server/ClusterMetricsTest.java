package io.brook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three broker processes started by the launcher: every node's {@code /metrics} has Vert.x's and the
 * JVM's meters beside Brook's (the launcher's registry), and the console's cluster figures served by
 * one node cover every broker (each node's sampler asks them all).
 */
@Tag("integration")
class ClusterMetricsTest {
  @TempDir
  Path root;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private HttpResponse<String> get(ProcessCluster cluster, int nodeId, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.httpPort(nodeId) + path))
        .timeout(Duration.ofSeconds(20)).build(), BodyHandlers.ofString());
  }

  private void produce(ProcessCluster cluster, int nodeId, String topic) throws Exception {
    JsonArray records = new JsonArray();
    for (int i = 0; i < 10; i++) {
      records.add(new JsonObject().put("value", "v" + i));
    }
    HttpResponse<String> produced = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + cluster.httpPort(nodeId) + "/api/topics/" + topic + "/records"))
        .POST(BodyPublishers.ofString(new JsonObject().put("records", records).encode()))
        .header("content-type", "application/json").timeout(Duration.ofSeconds(20)).build(), BodyHandlers.ofString());
    assertThat(produced.statusCode()).as(produced.body()).isEqualTo(200);
  }

  @Test
  void everyNodeServesTheWholeClustersFiguresAndItsOwnPrometheusText() throws Exception {
    try (ProcessCluster cluster = ProcessCluster.started(root, ProcessCluster.Mode.HAZELCAST, 3)) {
      cluster.createTopic("spread", 3, 3, Map.of());
      for (int p = 0; p < 3; p++) {
        cluster.awaitFullIsr("spread", p, 3);
      }
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
        produce(cluster, 1, "spread");
        JsonObject figures = new JsonObject(get(cluster, 2, "/api/metrics/cluster").body());
        JsonArray brokers = figures.getJsonArray("brokers");
        JsonObject topic = figures.getJsonObject("topics").getJsonObject("spread");
        return brokers.size() == 3 && topic != null && topic.getDouble("inRecordsPerSec") > 0
            && brokers.stream().allMatch(b -> ((JsonObject) b).getJsonArray("dataDirs").getJsonObject(0)
                .getLong("totalBytes") > 0);
      });
      JsonObject node = new JsonObject(get(cluster, 3, "/api/node").body());
      assertThat(node.getString("clusterManager")).isEqualTo("hazelcast");
      JsonArray described = new JsonObject(get(cluster, 3, "/api/cluster").body()).getJsonArray("brokers");
      assertThat(described).hasSize(3);
      assertThat(described.stream().map(b -> ((JsonObject) b).getJsonArray("dataDirs"))).allMatch(d -> d.size() == 1);

      String text = get(cluster, 1, "/metrics").body();
      assertThat(text).contains("vertx_eventbus_handlers").contains("jvm_memory_used_bytes")
          .contains("vertx_http_server_requests_total").contains("brook_log_size_bytes{partition=\"0\",topic=\"spread\"}");
      assertThat(text).doesNotContain("address=\"brook.local"); // no series per event bus address
    }
  }
}
