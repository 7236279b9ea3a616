package io.brook.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /api/topics/:name/records/delete} against a real broker: purges, per-partition errors, bad bodies. */
class HttpRecordsDeletionTest {
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

  private static void createAndFill(String topic, int partitions, int perPartition) {
    HttpResponse<String> created = node.post("/api/topics", new JsonObject().put("name", topic)
        .put("partitions", partitions).encode());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    for (int p = 0; p < partitions; p++) {
      JsonArray records = new JsonArray();
      for (int i = 0; i < perPartition; i++) {
        records.add(new JsonObject().put("value", "p" + p + "-" + i));
      }
      HttpResponse<String> produced = node.post("/api/topics/" + topic + "/records",
          new JsonObject().put("partition", p).put("records", records).encode());
      assertThat(produced.statusCode()).as(produced.body()).isEqualTo(200);
    }
  }

  private static JsonObject purge(String topic, JsonObject body, int status) {
    HttpResponse<String> response = node.post("/api/topics/" + topic + "/records/delete", body == null ? "" : body.encode());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return new JsonObject(response.body());
  }

  private static JsonObject partition(int partition, long offset) {
    return new JsonObject().put("partition", partition).put("offset", offset);
  }

  @Test
  void purgesNamedPartitionsAndReadsStartAtTheNewLowWatermark() {
    createAndFill("purge-some", 2, 10);
    JsonObject answer = purge("purge-some", new JsonObject().put("partitions", new JsonArray()
        .add(partition(0, 4)).add(partition(1, 99)).add(partition(5, 0))), 200);
    assertThat(answer.getString("topic")).isEqualTo("purge-some");
    JsonArray results = answer.getJsonArray("results");
    assertThat(results.getJsonObject(0)).isEqualTo(new JsonObject().put("partition", 0).put("lowWatermark", 4L));
    assertThat(results.getJsonObject(1).getString("error")).isEqualTo("OFFSET_OUT_OF_RANGE");
    assertThat(results.getJsonObject(1).getString("message")).contains("high watermark 10");
    assertThat(results.getJsonObject(2).getString("error")).isEqualTo("UNKNOWN_TOPIC_OR_PARTITION");

    JsonObject offsets = node.getJson("/api/topics/purge-some/partitions/0/offsets");
    assertThat(offsets.getLong("earliest")).isEqualTo(4);
    JsonObject read = new JsonObject(node.get("/api/topics/purge-some/records?partition=0&offset=earliest").body());
    assertThat(read.getJsonArray("records").getJsonObject(0).getString("value")).isEqualTo("p0-4");
    HttpResponse<String> below = node.get("/api/topics/purge-some/records?partition=0&offset=2");
    assertThat(below.statusCode()).as(below.body()).isEqualTo(400);
    assertThat(new JsonObject(below.body()).getString("error")).isEqualTo("OFFSET_OUT_OF_RANGE");
    assertThat(node.getJson("/api/topics/purge-some/partitions/1/offsets").getLong("earliest")).isZero();
  }

  @Test
  void withoutPartitionsEveryPartitionGoesToItsHighWatermark() {
    createAndFill("purge-all", 3, 5);
    JsonArray results = purge("purge-all", null, 200).getJsonArray("results");
    assertThat(results).hasSize(3);
    for (int p = 0; p < 3; p++) {
      assertThat(results.getJsonObject(p)).isEqualTo(new JsonObject().put("partition", p).put("lowWatermark", 5L));
      assertThat(node.getJson("/api/topics/purge-all/partitions/" + p + "/offsets").getLong("earliest")).isEqualTo(5);
    }
    // again, and with an offset left out (-1): nothing more to delete, the same answer
    assertThat(purge("purge-all", new JsonObject().put("partitions", new JsonArray()
        .add(new JsonObject().put("partition", 1))), 200).getJsonArray("results").getJsonObject(0).getLong("lowWatermark"))
        .isEqualTo(5);
  }

  @Test
  void badRequestsAreRefusedWholeWithAClearError() {
    createAndFill("purge-bad", 1, 1);
    assertThat(purge("no-such-topic", null, 404).getString("error")).isEqualTo("UNKNOWN_TOPIC_OR_PARTITION");
    assertThat(purge("purge-bad", new JsonObject().put("partitions", new JsonArray()), 400).getString("error"))
        .isEqualTo("INVALID_REQUEST");
    assertThat(purge("purge-bad", new JsonObject().put("partitions", "all"), 400).getString("error"))
        .isEqualTo("INVALID_REQUEST");
    assertThat(purge("purge-bad", new JsonObject().put("partitions", new JsonArray().add(partition(0, 0))
        .add(partition(0, 1))), 400).getString("message")).contains("twice");
    assertThat(purge("purge-bad", new JsonObject().put("partitions", new JsonArray().add(partition(0, -2))), 400)
        .getString("message")).contains("offset");
    assertThat(purge("purge-bad", new JsonObject().put("partitions", new JsonArray().add(partition(-1, 0))), 400)
        .getString("message")).contains("partition");
    assertThat(purge("purge-bad", new JsonObject().put("timeoutMs", 10_000_000), 400).getString("message"))
        .contains("timeoutMs");
    HttpResponse<String> notJson = node.post("/api/topics/purge-bad/records/delete", "{nope");
    assertThat(notJson.statusCode()).isEqualTo(400);
    HttpResponse<String> internal = node.post("/api/topics/__consumer_offsets/records/delete", "{}");
    assertThat(internal.statusCode()).as(internal.body()).isBetween(400, 404);
    assertThat(new JsonObject(internal.body()).getString("error")).isIn("INVALID_TOPIC_EXCEPTION",
        "UNKNOWN_TOPIC_OR_PARTITION", "TOPIC_AUTHORIZATION_FAILED");
    HttpResponse<String> compacted = node.post("/api/topics", new JsonObject().put("name", "purge-compacted")
        .put("partitions", 1).put("configs", new JsonObject().put("cleanup.policy", "compact")).encode());
    assertThat(compacted.statusCode()).isEqualTo(201);
    assertThat(purge("purge-compacted", null, 200).getJsonArray("results").getJsonObject(0).getString("error"))
        .isEqualTo("POLICY_VIOLATION");
  }
}
