package io.brook.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics routes against a real broker: {@code /metrics} counts what was produced and consumed,
 * {@code /api/metrics/cluster} turns the counters into rates, the SSE stream sends its history then
 * samples and frees its slot when the client goes, the topics list pages, searches and sorts, and a
 * group's committed offset shows as lag.
 */
class HttpMetricsApiTest {
  static final int STREAMS_MAX = 2;

  @TempDir
  static Path dataDir;
  static BrookNode node;
  static final HttpClient STREAMING = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    node = new BrookNode(dataDir, new JsonObject().put("http.max.event.streams", STREAMS_MAX)
        .put("metrics.group.lag.interval.ms", 1000));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static void createTopic(String name, int partitions) {
    HttpResponse<String> created = node.post("/api/topics",
        new JsonObject().put("name", name).put("partitions", partitions).encode());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
  }

  static void produce(String topic, String... values) {
    JsonArray records = new JsonArray();
    for (String value : values) {
      records.add(new JsonObject().put("value", value).put("partition", 0));
    }
    HttpResponse<String> produced = node.post("/api/topics/" + topic + "/records",
        new JsonObject().put("records", records).encode());
    assertThat(produced.statusCode()).as(produced.body()).isEqualTo(200);
  }

  /** The value of the Prometheus sample {@code name{labels}}, or NaN when absent. */
  static double sample(String text, String name, String topic) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$").matcher(text);
    while (m.find()) {
      if (m.group(1).contains("topic=\"" + topic + "\"")) {
        return Double.parseDouble(m.group(2));
      }
    }
    return Double.NaN;
  }

  @Test
  void prometheusTextCountsTheTopicsRecordsInAndOut() {
    createTopic("metered", 1);
    produce("metered", "a", "bb", "ccc");
    HttpResponse<String> read = node.get("/api/topics/metered/records?partition=0&offset=earliest");
    assertThat(new JsonObject(read.body()).getJsonArray("records")).hasSize(3);

    HttpResponse<String> scraped = node.get("/metrics");
    assertThat(scraped.statusCode()).isEqualTo(200);
    assertThat(scraped.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    String text = scraped.body();
    assertThat(sample(text, "brook_records_in_total", "metered")).isEqualTo(3.0);
    assertThat(sample(text, "brook_bytes_in_total", "metered")).isGreaterThan(3.0);
    assertThat(sample(text, "brook_records_out_total", "metered")).isEqualTo(3.0);
    assertThat(sample(text, "brook_bytes_out_total", "metered")).isEqualTo(sample(text, "brook_bytes_in_total", "metered"));
    assertThat(sample(text, "brook_log_end_offset", "metered")).isEqualTo(3.0);
    assertThat(sample(text, "brook_log_start_offset", "metered")).isEqualTo(0.0);
    assertThat(sample(text, "brook_log_size_bytes", "metered")).isGreaterThan(0.0);
    assertThat(sample(text, "brook_produce_request_seconds_count", "metered")).isEqualTo(1.0);
    assertThat(sample(text, "brook_fetch_request_seconds_count", "metered")).isGreaterThanOrEqualTo(1.0);
    assertThat(text).contains("brook_under_replicated_partitions 0.0").contains("jvm_memory_used_bytes");
  }

  @Test
  void clusterFiguresShowRatesRecordsSizesAndDataDirs() {
    createTopic("rated", 1);
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
      produce("rated", "x", "y");
      JsonObject cluster = node.getJson("/api/metrics/cluster");
      JsonObject topic = cluster.getJsonObject("topics").getJsonObject("rated");
      return cluster.getJsonObject("totals").getDouble("inRecordsPerSec") > 0
          && topic != null && topic.getDouble("inRecordsPerSec") > 0 && topic.getDouble("inBytesPerSec") > 0
          && topic.getLong("records") > 0 && topic.getLong("sizeBytes") > 0;
    });
    JsonObject cluster = node.getJson("/api/metrics/cluster");
    JsonObject broker = cluster.getJsonArray("brokers").getJsonObject(0);
    assertThat(broker.getInteger("nodeId")).isEqualTo(BrookNode.NODE_ID);
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      JsonObject dir = node.getJson("/api/metrics/cluster").getJsonArray("brokers").getJsonObject(0)
          .getJsonArray("dataDirs").getJsonObject(0);
      return dir.getLong("usedBytes") > 0 && dir.getLong("totalBytes") > 0 && dir.getLong("usableBytes") > 0;
    });
    JsonObject described = node.getJson("/api/cluster");
    assertThat(described.getJsonArray("brokers").getJsonObject(0).getJsonArray("dataDirs").getJsonObject(0)
        .getString("path")).isEqualTo(dataDir.toAbsolutePath().toString());
    assertThat(node.getJson("/api/node").getString("clusterManager")).isEqualTo("none"); // BrookNode is not clustered

    JsonObject history = node.getJson("/api/metrics/history");
    assertThat(history.getLong("intervalMs")).isEqualTo(1000);
    assertThat(history.getJsonArray("samples")).isNotEmpty();
    assertThat(history.getJsonArray("samples").getJsonObject(0).fieldNames())
        .contains("ts", "inRecordsPerSec", "inBytesPerSec", "outRecordsPerSec", "outBytesPerSec");
  }

  @Test
  void streamSendsHistoryThenSamplesAndFreesItsSlotWhenTheClientGoes() throws Exception {
    createTopic("streamed", 2);
    List<String> events = new ArrayList<>();
    try (Stream<String> lines = openStream("?topic=streamed")) {
      Iterator<String> it = lines.iterator();
      String event = null;
      while (events.size() < 2 && it.hasNext()) {
        String line = it.next();
        if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ") && event != null) {
          JsonObject data = new JsonObject(line.substring(6));
          if (event.equals("history")) {
            assertThat(data.getLong("intervalMs")).isEqualTo(1000);
          } else {
            assertThat(data.getJsonObject("totals").fieldNames()).contains("inRecordsPerSec", "outBytesPerSec");
            assertThat(data.getString("topic")).isEqualTo("streamed");
            assertThat(data.getJsonObject("partitions")).isNotNull();
          }
          events.add(event);
          event = null;
        }
      }
      // both slots taken: a third stream is refused
      try (Stream<String> second = openStream("")) {
        HttpResponse<String> third = node.get("/api/metrics/stream");
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(new JsonObject(third.body()).getString("error")).isEqualTo("THROTTLING_QUOTA_EXCEEDED");
      }
    }
    assertThat(events).containsExactly("history", "sample");
    // the clients went: their slots are free again
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      HttpResponse<Stream<String>> again = STREAMING.send(HttpRequest.newBuilder(node.uri("/api/metrics/stream")).build(),
          BodyHandlers.ofLines());
      try (Stream<String> body = again.body()) {
        return again.statusCode() == 200;
      }
    });
    assertThat(node.get("/api/metrics/stream?topic=bad%2Fname").statusCode()).isEqualTo(400);
  }

  static Stream<String> openStream(String query) throws IOException, InterruptedException {
    HttpResponse<Stream<String>> response = STREAMING.send(
        HttpRequest.newBuilder(node.uri("/api/metrics/stream" + query)).build(), BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
    return response.body();
  }

  @Test
  void theSnapshotAddressRefusesMalformedOrUnboundedRequests() {
    String address = io.brook.protocol.Addresses.metricsSnapshot(BrookNode.NODE_ID);
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i <= 100; i++) {
      tooMany.add("t" + i);
    }
    for (JsonObject bad : List.of(new JsonObject().put("topics", "x"), new JsonObject().put("topics", new JsonArray().add(1)),
        new JsonObject().put("topics", tooMany))) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> node.vertx.eventBus().request(address, bad).await())
          .as(bad.encode())
          .isInstanceOfSatisfying(io.vertx.core.eventbus.ReplyException.class, e -> assertThat(e.failureCode())
              .isEqualTo(org.apache.kafka.common.protocol.Errors.INVALID_REQUEST.code()));
    }
    JsonObject snapshot = (JsonObject) node.vertx.eventBus().request(address, new JsonObject()).await().body();
    assertThat(snapshot.getInteger("version")).isEqualTo(1);
    assertThat(snapshot.getInteger("nodeId")).isEqualTo(BrookNode.NODE_ID);
  }

  @Test
  void aGroupsCommittedOffsetShowsAsLag() {
    createTopic("lagged", 1);
    produce("lagged", "1", "2", "3", "4", "5");
    HttpResponse<String> created = node.post("/api/groups/lag-group/consumers",
        new JsonObject().put("topics", new JsonArray().add("lagged")).put("autoOffsetReset", "earliest").encode());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String consumer = "/api/groups/lag-group/consumers/" + new JsonObject(created.body()).getString("instanceId");
    await().atMost(Duration.ofSeconds(30)).until(() -> !node.getJson(consumer + "/records?maxWaitMs=500&limit=1")
        .getJsonArray("assignment").isEmpty());
    HttpResponse<String> committed = node.post(consumer + "/offsets", new JsonObject().put("offsets", new JsonArray()
        .add(new JsonObject().put("topic", "lagged").put("partition", 0).put("offset", 2))).encode());
    assertThat(committed.statusCode()).as(committed.body()).isEqualTo(200);
    assertThat(new JsonObject(committed.body()).getJsonArray("committed")).hasSize(1);
    await().atMost(Duration.ofSeconds(15)).until(() -> {
      String text = node.get("/metrics").body();
      return sample(text, "brook_group_lag", "lagged") == 3.0 && text.contains("group=\"lag-group\"");
    });
    node.delete(consumer + "?commit=none");
  }

  @Test
  void topicsListPagesSearchesAndSortsOnTheServer() {
    int count = 120;
    for (int i = 0; i < count; i++) {
      createTopic(String.format("page-%03d", i), 1 + i % 3);
    }
    JsonObject all = node.getJson("/api/topics");
    assertThat(all.containsKey("total")).isFalse(); // without paging parameters: the old answer
    assertThat(all.getJsonArray("topics").getJsonObject(0).fieldNames()).containsOnly("name", "partitions", "replicationFactor");

    JsonObject first = node.getJson("/api/topics?search=PAGE-&pageSize=50");
    assertThat(first.getInteger("total")).isEqualTo(count);
    assertThat(first.getInteger("page")).isEqualTo(1);
    assertThat(first.containsKey("sampledAt")).isTrue();
    assertThat(first.getJsonArray("topics")).hasSize(50);
    assertThat(first.getJsonArray("topics").getJsonObject(0).getString("name")).isEqualTo("page-000");
    assertThat(first.getJsonArray("topics").getJsonObject(0).fieldNames()).contains("records", "sizeBytes",
        "underReplicated", "inRecordsPerSec", "inBytesPerSec", "outRecordsPerSec", "outBytesPerSec");
    JsonObject last = node.getJson("/api/topics?search=page-&pageSize=50&page=3");
    assertThat(last.getJsonArray("topics")).hasSize(20);
    assertThat(last.getJsonArray("topics").getJsonObject(19).getString("name")).isEqualTo("page-119");
    assertThat(node.getJson("/api/topics?search=page-&page=9").getJsonArray("topics")).isEmpty();

    JsonObject found = node.getJson("/api/topics?search=age-07");
    assertThat(found.getInteger("total")).isEqualTo(10);

    JsonObject byPartitions = node.getJson("/api/topics?search=page-&sort=partitions&order=desc&pageSize=5");
    assertThat(byPartitions.getJsonArray("topics").getJsonObject(0).getInteger("partitions")).isEqualTo(3);
    assertThat(byPartitions.getJsonArray("topics").getJsonObject(0).getString("name")).isEqualTo("page-119");

    produce("page-042", "one", "two");
    await().atMost(Duration.ofSeconds(10)).until(() -> "page-042".equals(node.getJson(
        "/api/topics?search=page-&sort=records&order=desc&pageSize=1").getJsonArray("topics").getJsonObject(0).getString("name")));

    for (String bad : List.of("sort=bogus", "order=up", "pageSize=0", "pageSize=501", "page=0", "page=x")) {
      HttpResponse<String> refused = node.get("/api/topics?" + bad);
      assertThat(refused.statusCode()).as(bad).isEqualTo(400);
      assertThat(new JsonObject(refused.body()).getString("error")).as(bad).isEqualTo("INVALID_REQUEST");
    }
  }
}
