package io.brook.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every HTTP API route against a real broker: the happy paths and the shapes of their answers. */
class HttpApiTest {
  @TempDir
  static Path dataDir;
  static BrookNode node;

  @BeforeAll
  static void start() {
    node = new BrookNode(dataDir);
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

  static JsonObject produce(String topic, JsonObject body) {
    HttpResponse<String> response = node.post("/api/topics/" + topic + "/records", body.encode());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  static JsonObject records(String topic, String query) {
    HttpResponse<String> response = node.get("/api/topics/" + topic + "/records?" + query);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  static JsonArray values(String... values) {
    JsonArray records = new JsonArray();
    for (String value : values) {
      records.add(new JsonObject().put("value", value));
    }
    return records;
  }

  @Test
  void nodeAnswersItsIdVersionAndBrokers() {
    JsonObject answer = node.getJson("/api/node");
    assertThat(answer.getInteger("nodeId")).isEqualTo(BrookNode.NODE_ID);
    assertThat(answer.getString("version")).isNotBlank().isNotEqualTo("unknown");
    assertThat(answer.getLong("uptimeMs")).isGreaterThanOrEqualTo(0);
    assertThat(answer.getJsonArray("brokers")).hasSize(1);
    assertThat(answer.getJsonArray("brokers").getJsonObject(0).getInteger("nodeId")).isEqualTo(BrookNode.NODE_ID);
  }

  @Test
  void createListDescribeAlterDelete() {
    HttpResponse<String> created = node.post("/api/topics", new JsonObject().put("name", "admin-t")
        .put("partitions", 3).put("replicationFactor", 1)
        .put("configs", new JsonObject().put("retention.ms", 3_600_000)).encode());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(new JsonObject(created.body()).getJsonArray("partitions")).hasSize(3);

    JsonArray topics = node.getJson("/api/topics").getJsonArray("topics");
    assertThat(topics.stream().map(t -> ((JsonObject) t).getString("name"))).contains("admin-t");

    JsonObject described = node.getJson("/api/topics/admin-t");
    assertThat(described.getJsonArray("partitions")).hasSize(3);
    assertThat(described.getJsonObject("configOverrides").getString("retention.ms")).isEqualTo("3600000");

    HttpResponse<String> altered = node.put("/api/topics/admin-t/configs", new JsonObject()
        .put("set", new JsonObject().put("segment.bytes", "1048576"))
        .put("delete", new JsonArray().add("retention.ms")).encode());
    assertThat(altered.statusCode()).as(altered.body()).isEqualTo(200);
    assertThat(new JsonObject(altered.body()).getJsonObject("configOverrides").getMap())
        .containsEntry("segment.bytes", "1048576").doesNotContainKey("retention.ms");

    HttpResponse<String> deleted = node.delete("/api/topics/admin-t");
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
    assertThat(node.get("/api/topics/admin-t").statusCode()).isEqualTo(404);
  }

  @Test
  void topicsPlacedByHandAndBadAssignmentsRefused() {
    int me = BrookNode.NODE_ID;
    HttpResponse<String> created = node.post("/api/topics", new JsonObject().put("name", "placed")
        .put("replicaAssignment", new JsonArray().add(new JsonArray().add(me)).add(new JsonArray().add(me))).encode());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(new JsonObject(created.body()).getJsonArray("partitions")).hasSize(2);
    HttpResponse<String> grown = node.post("/api/topics/placed/partitions", new JsonObject().put("count", 3)
        .put("replicaAssignment", new JsonArray().add(new JsonArray().add(me))).encode());
    assertThat(grown.statusCode()).as(grown.body()).isEqualTo(200);
    assertThat(new JsonObject(grown.body()).getJsonArray("partitions")).hasSize(3);

    for (JsonObject bad : List.of(
        new JsonObject().put("name", "bad").put("replicaAssignment", new JsonArray()),
        new JsonObject().put("name", "bad").put("replicaAssignment", new JsonArray().add(me)),
        new JsonObject().put("name", "bad").put("replicaAssignment", new JsonArray().add(new JsonArray().add("one"))),
        new JsonObject().put("name", "bad").put("replicaAssignment", new JsonArray().add(new JsonArray().add(-1))),
        new JsonObject().put("name", "bad").put("partitions", 1)
            .put("replicaAssignment", new JsonArray().add(new JsonArray().add(me))))) {
      HttpResponse<String> refused = node.post("/api/topics", bad.encode());
      assertThat(refused.statusCode()).as(bad.encode() + " -> " + refused.body()).isEqualTo(400);
      assertThat(new JsonObject(refused.body()).getString("error")).isEqualTo("INVALID_REQUEST");
    }
    HttpResponse<String> unknownBroker = node.post("/api/topics", new JsonObject().put("name", "bad")
        .put("replicaAssignment", new JsonArray().add(new JsonArray().add(me + 8))).encode());
    assertThat(unknownBroker.statusCode()).as(unknownBroker.body()).isEqualTo(400);
    assertThat(new JsonObject(unknownBroker.body()).getString("error")).isEqualTo("INVALID_REPLICA_ASSIGNMENT");
    assertThat(node.get("/api/topics/bad").statusCode()).isEqualTo(404);
  }

  @Test
  void producedRecordsReadBackWithKeysHeadersAndTimestamps() {
    createTopic("rw", 1);
    JsonObject produced = produce("rw", new JsonObject().put("records", new JsonArray()
        .add(new JsonObject().put("key", "k1").put("value", "v1").put("headers", new JsonObject().put("h", "x")))
        .add(new JsonObject().put("value", "v2").put("timestamp", "2024-05-01T10:00:00Z"))
        .add(new JsonObject().put("key", "k3").put("value", new JsonObject().put("n", 3)))));
    assertThat(produced.getJsonArray("offsets")).containsExactly(
        new JsonObject().put("partition", 0).put("offset", 0L),
        new JsonObject().put("partition", 0).put("offset", 1L),
        new JsonObject().put("partition", 0).put("offset", 2L));

    JsonObject read = records("rw", "partition=0&offset=earliest");
    JsonArray records = read.getJsonArray("records");
    assertThat(records).hasSize(3);
    JsonObject first = records.getJsonObject(0);
    assertThat(first.getString("key")).isEqualTo("k1");
    assertThat(first.getString("value")).isEqualTo("v1");
    assertThat(first.getJsonObject("headers").getString("h")).isEqualTo("x");
    assertThat(records.getJsonObject(1).getLong("timestamp"))
        .isEqualTo(Instant.parse("2024-05-01T10:00:00Z").toEpochMilli());
    assertThat(records.getJsonObject(1).getValue("key")).isNull();
    assertThat(records.getJsonObject(2).getString("value")).isEqualTo("{\"n\":3}");
    assertThat(read.getLong("nextOffset")).isEqualTo(3);
    assertThat(read.getLong("highWatermark")).isEqualTo(3);
  }

  @Test
  void readsFromOffsetLatestAndTimestampWithLimits() {
    createTopic("positions", 1);
    long now = System.currentTimeMillis();
    JsonArray batch = new JsonArray();
    for (int i = 0; i < 10; i++) {
      batch.add(new JsonObject().put("value", "m" + i).put("timestamp", now - 10_000 + i * 1000));
    }
    produce("positions", new JsonObject().put("records", batch));

    JsonObject fromFour = records("positions", "partition=0&offset=4&limit=3");
    assertThat(valuesOf(fromFour)).containsExactly("m4", "m5", "m6");
    assertThat(fromFour.getLong("nextOffset")).isEqualTo(7);

    assertThat(valuesOf(records("positions", "partition=0&offset=latest"))).isEmpty();

    String at = Instant.ofEpochMilli(now - 10_000 + 8 * 1000).toString();
    assertThat(valuesOf(records("positions", "partition=0&timestamp=" + at))).containsExactly("m8", "m9");
    assertThat(valuesOf(records("positions", "timestamp=" + (now - 10_000 + 9 * 1000)))).containsExactly("m9");
    // a time after every record: nothing, and the read continues at the end
    JsonObject future = records("positions", "partition=0&timestamp=" + (now + 60_000));
    assertThat(valuesOf(future)).isEmpty();
    assertThat(future.getLong("nextOffset")).isEqualTo(10);
  }

  @Test
  void base64EncodingRoundTrips() {
    createTopic("binary", 1);
    byte[] bytes = {0, (byte) 0xff, 10, 13};
    String b64 = Base64.getEncoder().encodeToString(bytes);
    produce("binary", new JsonObject().put("encoding", "base64")
        .put("records", new JsonArray().add(new JsonObject().put("key", b64).put("value", b64))));
    JsonObject read = records("binary", "partition=0&encoding=base64");
    assertThat(read.getJsonArray("records").getJsonObject(0).getString("value")).isEqualTo(b64);
  }

  @Test
  void keyedRecordsGoToKafkasPartitionAndUnkeyedStayTogether() {
    createTopic("keyed", 4);
    JsonArray records = new JsonArray();
    for (int i = 0; i < 20; i++) {
      records.add(new JsonObject().put("key", "key-" + i).put("value", "v" + i));
    }
    JsonArray offsets = produce("keyed", new JsonObject().put("records", records)).getJsonArray("offsets");
    for (int i = 0; i < 20; i++) {
      int expected = BuiltInPartitioner.partitionForKey(("key-" + i).getBytes(StandardCharsets.UTF_8), 4);
      assertThat(offsets.getJsonObject(i).getInteger("partition")).as("key-" + i).isEqualTo(expected);
    }
    JsonArray unkeyed = produce("keyed", new JsonObject().put("records", values("a", "b", "c")))
        .getJsonArray("offsets");
    Set<Integer> partitions = new HashSet<>();
    unkeyed.forEach(o -> partitions.add(((JsonObject) o).getInteger("partition")));
    assertThat(partitions).as("one request's unkeyed records form one batch").hasSize(1);

    JsonObject explicit = produce("keyed", new JsonObject().put("partition", 2).put("records", values("p2")));
    assertThat(explicit.getJsonArray("offsets").getJsonObject(0).getInteger("partition")).isEqualTo(2);
  }

  @Test
  void mergedReadCoversEveryPartitionAndContinuesFromNextOffset() {
    createTopic("merged", 3);
    List<String> sent = new ArrayList<>();
    for (int request = 0; request < 6; request++) {
      JsonArray batch = new JsonArray();
      for (int i = 0; i < 5; i++) {
        String value = "r" + request + "-" + i;
        sent.add(value);
        batch.add(new JsonObject().put("value", value));
      }
      produce("merged", new JsonObject().put("records", batch));
    }
    List<String> seen = new ArrayList<>();
    JsonObject read = records("merged", "offset=earliest&limit=7");
    assertThat(read.getJsonArray("records").size()).isLessThanOrEqualTo(7);
    seen.addAll(valuesOf(read));
    for (int round = 0; round < 20 && seen.size() < sent.size(); round++) {
      JsonObject next = read.getJsonObject("nextOffset");
      StringBuilder offsets = new StringBuilder();
      next.forEach(e -> offsets.append(offsets.length() == 0 ? "" : ",").append(e.getKey()).append(':').append(e.getValue()));
      read = records("merged", "offset=" + offsets + "&limit=7");
      seen.addAll(valuesOf(read));
    }
    assertThat(seen).containsExactlyInAnyOrderElementsOf(sent);
    assertThat(read.getJsonObject("highWatermark").fieldNames()).containsExactlyInAnyOrder("0", "1", "2");
  }

  @Test
  void longPollAnswersWhenARecordArrives() throws Exception {
    createTopic("poll", 2);
    var pending = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> records("poll", "offset=latest&maxWaitMs=20000"));
    // produce until the poll has answered: the poll may have started after the first produce
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).until(() -> {
      produce("poll", new JsonObject().put("records", values("wake")));
      return pending.isDone();
    });
    assertThat(valuesOf(pending.get())).contains("wake");
  }

  @Test
  void offsetsRouteAnswersEarliestLatestAndByTime() {
    createTopic("offs", 1);
    long now = System.currentTimeMillis();
    produce("offs", new JsonObject().put("records", new JsonArray()
        .add(new JsonObject().put("value", "a").put("timestamp", now - 5000))
        .add(new JsonObject().put("value", "b").put("timestamp", now))));
    JsonObject partitions = node.getJson("/api/topics/offs/partitions");
    assertThat(partitions.getJsonArray("partitions")).hasSize(1);
    assertThat(partitions.getJsonArray("partitions").getJsonObject(0).getInteger("leader")).isEqualTo(BrookNode.NODE_ID);
    JsonObject both = node.getJson("/api/topics/offs/partitions/0/offsets");
    assertThat(both.getLong("earliest")).isEqualTo(0);
    assertThat(both.getLong("latest")).isEqualTo(2);
    assertThat(node.getJson("/api/topics/offs/partitions/0/offsets?at=latest").getLong("offset")).isEqualTo(2);
    assertThat(node.getJson("/api/topics/offs/partitions/0/offsets?at=" + (now - 1000)).getLong("offset"))
        .isEqualTo(1);
    assertThat(node.getJson("/api/topics/offs/partitions/0/offsets?at=" + (now + 60_000)).getLong("offset"))
        .isEqualTo(-1);
  }

  @Test
  void consolePageIsServedAndMissingAssetsAreNot() {
    HttpResponse<String> page = node.get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("/js/main.js");
    assertThat(page.headers().firstValue("content-security-policy")).hasValueSatisfying(csp ->
        assertThat(csp).contains("script-src 'self'").contains("frame-ancestors 'none'"));
    assertThat(node.get("/topics/some-topic").statusCode()).as("client-side route").isEqualTo(200);
    assertThat(node.get("/topics/orders.v1?tab=messages").statusCode()).as("a topic name with a dot").isEqualTo(200);
    assertThat(node.get("/groups/g.1").statusCode()).isEqualTo(200);
    assertThat(node.get("/js/main.js").headers().firstValue("content-type")).hasValueSatisfying(type ->
        assertThat(type).startsWith("text/javascript"));
    assertThat(node.get("/nonexistent.js").statusCode()).isEqualTo(404);
    assertThat(node.get("/elsewhere").statusCode()).as("not a console route").isEqualTo(404);
    HttpResponse<String> noRoute = node.get("/api/nope");
    assertThat(noRoute.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(noRoute.body()).getString("error")).isEqualTo("INVALID_REQUEST");
  }

  static List<String> valuesOf(JsonObject read) {
    List<String> values = new ArrayList<>();
    read.getJsonArray("records").forEach(r -> values.add(((JsonObject) r).getString("value")));
    return values;
  }
}
