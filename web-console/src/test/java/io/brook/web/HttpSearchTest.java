package io.brook.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Record search on GET .../records against a real broker: each filter mode finds what it should,
 * the scan is bounded by records and time (a catastrophic regex returns in time, complete=false),
 * nextOffset continues a scan, and bad filters are 400 with the reason.
 */
class HttpSearchTest {
  @TempDir
  static Path dataDir;
  static BrookNode node;

  @BeforeAll
  static void start() {
    node = new BrookNode(dataDir, new JsonObject().put("http.search.max.scan.ms", 500));
    create("search-t", 2);
    JsonArray records = new JsonArray();
    for (int i = 0; i < 200; i++) {
      records.add(new JsonObject().put("partition", i % 2).put("key", "k-" + i)
          .put("value", new JsonObject().put("id", i).put("kind", i % 10 == 0 ? "special" : "plain")
              .put("tags", new JsonArray().add("t" + (i % 3))).encode())
          .put("headers", new JsonObject().put("source", i == 77 ? "<script>alert(1)</script>" : "web")));
    }
    produce("search-t", records);
    create("redos", 1);
    JsonArray evil = new JsonArray();
    for (int i = 0; i < 20; i++) {
      evil.add(new JsonObject().put("value", "a".repeat(60)));
    }
    produce("redos", evil);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static void create(String topic, int partitions) {
    HttpResponse<String> created = node.post("/api/topics",
        new JsonObject().put("name", topic).put("partitions", partitions).encode());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
  }

  static void produce(String topic, JsonArray records) {
    HttpResponse<String> done = node.post("/api/topics/" + topic + "/records",
        new JsonObject().put("records", records).encode());
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
  }

  static HttpResponse<String> search(String topic, String query) {
    return node.get("/api/topics/" + topic + "/records?" + query);
  }

  static JsonObject ok(String topic, String query) {
    HttpResponse<String> response = search(topic, query);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  static String q(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  @Test
  void substringOnTheValueScansEveryPartitionToTheEnd() {
    JsonObject answer = ok("search-t", "filter=" + q("\"special\"") + "&limit=100");
    assertThat(answer.getJsonArray("records")).hasSize(20);
    assertThat(answer.getLong("scanned")).isEqualTo(200);
    assertThat(answer.getLong("matched")).isEqualTo(20);
    assertThat(answer.getBoolean("complete")).isTrue();
    assertThat(answer.getJsonObject("nextOffset").getLong("0")).isEqualTo(100);
    assertThat(answer.getJsonObject("nextOffset").getLong("1")).isEqualTo(100);
  }

  @Test
  void regexOnTheKeyOfOnePartition() {
    JsonObject answer = ok("search-t", "partition=1&filterIn=key&filterMode=regex&filter=" + q("^k-1[0-9]$"));
    // odd keys k-11..k-19 live in partition 1
    assertThat(answer.getJsonArray("records").stream().map(r -> ((JsonObject) r).getString("key")))
        .containsExactly("k-11", "k-13", "k-15", "k-17", "k-19");
    assertThat(answer.getLong("nextOffset")).isEqualTo(100);
    assertThat(answer.getBoolean("complete")).isTrue();
  }

  @Test
  void jsonPathEqualsAScalarAndHeaderFilterReturnsHtmlAsAString() {
    JsonObject byId = ok("search-t", "filterMode=jsonpath&filter=" + q("$.id=42"));
    assertThat(byId.getJsonArray("records")).hasSize(1);
    assertThat(new JsonObject(byId.getJsonArray("records").getJsonObject(0).getString("value")).getInteger("id"))
        .isEqualTo(42);
    JsonObject byTag = ok("search-t", "filterMode=jsonpath&limit=1000&filter=" + q("$.tags[0]=\"t2\""));
    assertThat(byTag.getLong("matched")).isEqualTo(66);
    JsonObject byWord = ok("search-t", "filterMode=jsonpath&limit=1000&filter=" + q("$.kind=special"));
    assertThat(byWord.getLong("matched")).isEqualTo(20);
    JsonObject header = ok("search-t", "filterIn=header:source&filter=" + q("<script>"));
    assertThat(header.getJsonArray("records")).hasSize(1);
    assertThat(header.getJsonArray("records").getJsonObject(0).getJsonObject("headers").getString("source"))
        .isEqualTo("<script>alert(1)</script>");
  }

  @Test
  void scanLimitStopsTheScanAndNextOffsetContinuesIt() {
    JsonObject first = ok("search-t", "partition=0&scanLimit=30&filter=plain");
    assertThat(first.getLong("scanned")).isEqualTo(30);
    assertThat(first.getBoolean("complete")).isFalse();
    long next = first.getLong("nextOffset");
    assertThat(next).isEqualTo(30);
    JsonObject rest = ok("search-t", "partition=0&scanLimit=1000&limit=1000&filter=plain&offset=" + next);
    assertThat(rest.getLong("scanned")).isEqualTo(70);
    assertThat(rest.getBoolean("complete")).isTrue();
    assertThat(first.getLong("matched") + rest.getLong("matched")).isEqualTo(80);
  }

  @Test
  void limitOfMatchesStopsTheScanRightAfterTheLastMatch() {
    JsonObject answer = ok("search-t", "partition=0&limit=2&filter=special");
    assertThat(answer.getJsonArray("records")).hasSize(2);
    assertThat(answer.getLong("nextOffset")).isEqualTo(6); // ids 0 and 10 sit at offsets 0 and 5
    assertThat(answer.getBoolean("complete")).isFalse();
  }

  @Test
  void aCatastrophicRegexReturnsWithinTheTimeBound() {
    // the JDK's regex engine memoizes (a+)+$, so it is quick; (.*a){12}b backtracks for hours on 60 a's
    JsonObject classic = ok("redos", "filterMode=regex&filter=" + q("(a+)+$"));
    assertThat(classic.getLong("matched")).isEqualTo(20);
    long startNs = System.nanoTime();
    JsonObject answer = ok("redos", "filterMode=regex&filter=" + q("(.*a){12}b"));
    long tookMs = (System.nanoTime() - startNs) / 1_000_000;
    assertThat(answer.getBoolean("complete")).isFalse();
    assertThat(answer.getLong("scanned")).isLessThan(20);
    assertThat(tookMs).as("http.search.max.scan.ms is 500").isLessThan(5_000);
    assertThat(node.get("/api/topics").statusCode()).isEqualTo(200); // the node serves on
  }

  @Test
  void badFiltersAre400WithTheReason() {
    assertBad("filterMode=regex&filter=" + q("(unclosed"), "not a valid regex");
    assertBad("filterMode=jsonpath&filter=" + q("a.b=1"), "$.a.b[0]=VALUE");
    assertBad("filterMode=jsonpath&filter=" + q("$.a[x]=1"), "jsonpath index");
    assertBad("filterMode=jsonpath&filter=" + q("$.a={\"b\":1}"), "scalar");
    assertBad("filterMode=glob&filter=x", "filterMode must be");
    assertBad("filterIn=body&filter=x", "filterIn must be");
    assertBad("filterIn=key", "need a non-empty 'filter'");
    assertBad("filter=x&scanLimit=100001", "scanLimit must be between");
    assertBad("filter=" + "x".repeat(1100), "longer than");
  }

  private static void assertBad(String query, String reason) {
    HttpResponse<String> response = search("search-t", query);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getString("error")).isEqualTo("INVALID_REQUEST");
    assertThat(body.getString("message")).contains(reason);
  }
}
