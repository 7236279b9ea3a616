package io.brook.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Proves one GET .../records decodes at most http.fetch.max.bytes of records over all its partitions
 * (plus one record), each fetch asks for at most http.max.partition.fetch.bytes, the rest is read by
 * the next request without a gap, and the JSON is rendered off the event loop.
 */
class HttpReadLimitsTest {
  static final String TOPIC = "limited";
  static final int PARTITIONS = 8;
  static final int RECORDS_EACH = 50;
  static final int VALUE_BYTES = 1000;
  static final int FETCH_MAX_BYTES = 16 * 1024;
  static final int PARTITION_FETCH_BYTES = 4 * 1024;

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  Vertx vertx;
  FakeLeader leader;
  int port;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    HttpApiVerticle api = new HttpApiVerticle(); // asserts, with -ea as in tests, that it renders off the event loop
    vertx.deployVerticle(api, new DeploymentOptions().setConfig(new JsonObject().put("http.port", 0)
        .put(WebConsoleConfig.HTTP_FETCH_MAX_BYTES, FETCH_MAX_BYTES)
        .put(WebConsoleConfig.HTTP_MAX_PARTITION_FETCH_BYTES, PARTITION_FETCH_BYTES))).await();
    port = api.actualPort();
    leader = new FakeLeader(TOPIC, PARTITIONS);
    vertx.deployVerticle(leader).await();
    for (int p = 0; p < PARTITIONS; p++) {
      for (int i = 0; i < RECORDS_EACH; i++) {
        leader.append(p, ("p" + p + "-" + i + "-" + "x".repeat(VALUE_BYTES)).substring(0, VALUE_BYTES).getBytes());
      }
    }
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  JsonObject get(String query) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
        + "/api/topics/" + TOPIC + "/records?" + query)).timeout(Duration.ofSeconds(30)).GET().build(),
        BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  @Test
  void oneReadDecodesAtMostFetchMaxBytesOverAllPartitions() throws Exception {
    JsonObject first = get("offset=earliest&limit=10000");
    JsonArray records = first.getJsonArray("records");
    assertThat(records).isNotEmpty();
    long valueBytes = records.stream().mapToLong(r -> ((JsonObject) r).getString("value").length()).sum();
    assertThat(valueBytes).isLessThanOrEqualTo(FETCH_MAX_BYTES + VALUE_BYTES); // overdrawn by one record at most
    assertThat(leader.fetches).allSatisfy(fetch ->
        assertThat(fetch.maxBytes()).isBetween(1, PARTITION_FETCH_BYTES));
  }

  @Test
  void theNextReadsContinueWithoutAGap() throws Exception {
    Map<Integer, List<Long>> offsets = new TreeMap<>();
    String from = "earliest";
    for (int reads = 0; reads < 100 && total(offsets) < PARTITIONS * RECORDS_EACH; reads++) {
      JsonObject answer = get("offset=" + from + "&limit=10000");
      for (Object item : answer.getJsonArray("records")) {
        JsonObject record = (JsonObject) item;
        offsets.computeIfAbsent(record.getInteger("partition"), p -> new ArrayList<>()).add(record.getLong("offset"));
      }
      StringJoiner next = new StringJoiner(",");
      answer.getJsonObject("nextOffset").forEach(e -> next.add(e.getKey() + ":" + e.getValue()));
      from = next.toString();
    }
    assertThat(offsets).hasSize(PARTITIONS);
    offsets.values().forEach(list -> {
      assertThat(list).hasSize(RECORDS_EACH);
      for (int i = 0; i < RECORDS_EACH; i++) {
        assertThat(list.get(i)).isEqualTo(i);
      }
    });
  }

  private static int total(Map<Integer, List<Long>> offsets) {
    return offsets.values().stream().mapToInt(List::size).sum();
  }
}
