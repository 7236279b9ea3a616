package io.brook.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to every route gets a clear error with a fitting status, and the node keeps serving. */
class HttpApiBadInputTest {
  private static final long MAX_BODY = 64 * 1024;

  @TempDir
  static Path dataDir;
  static BrookNode node;

  @BeforeAll
  static void start() {
    node = new BrookNode(dataDir, new JsonObject().put("http.max.body.bytes", MAX_BODY));
    HttpResponse<String> created = node.post("/api/topics", "{\"name\":\"bad\",\"partitions\":2}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @AfterEach
  void nodeStillServes() {
    assertThat(node.get("/api/topics").statusCode()).isEqualTo(200);
    HttpResponse<String> produced = node.post("/api/topics/bad/records", "{\"records\":[{\"value\":\"ok\"}]}");
    assertThat(produced.statusCode()).as(produced.body()).isEqualTo(200);
  }

  static void assertError(HttpResponse<String> response, int status, String error, String messagePart) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/json"));
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getString("error")).isEqualTo(error);
    assertThat(body.getInteger("code")).isNotNull();
    assertThat(body.getString("message")).containsIgnoringCase(messagePart);
  }

  @Test
  void unknownTopic() {
    assertError(node.get("/api/topics/nope"), 404, "UNKNOWN_TOPIC_OR_PARTITION", "nope");
    assertError(node.get("/api/topics/nope/records"), 404, "UNKNOWN_TOPIC_OR_PARTITION", "nope");
    assertError(node.post("/api/topics/nope/records", "{\"records\":[{\"value\":\"x\"}]}"),
        404, "UNKNOWN_TOPIC_OR_PARTITION", "nope");
    assertError(node.delete("/api/topics/nope"), 404, "UNKNOWN_TOPIC_OR_PARTITION", "nope");
    assertError(node.get("/api/topics/nope/partitions/0/offsets"), 404, "UNKNOWN_TOPIC_OR_PARTITION", "nope");
  }

  @Test
  void invalidTopicNames() {
    assertError(node.post("/api/topics", "{\"name\":\"has space\"}"), 400, "INVALID_TOPIC_EXCEPTION", "has space");
    assertError(node.post("/api/topics", "{\"name\":\"..\"}"), 400, "INVALID_TOPIC_EXCEPTION", "..");
    assertError(node.post("/api/topics", "{\"name\":\"" + "x".repeat(250) + "\"}"), 400, "INVALID_TOPIC_EXCEPTION",
        "249");
    assertError(node.get("/api/topics/bad%24name/records"), 400, "INVALID_TOPIC_EXCEPTION", "bad$name");
    assertError(node.post("/api/topics", "{\"partitions\":1}"), 400, "INVALID_REQUEST", "name");
  }

  @Test
  void topicExistsAndBadShape() {
    assertError(node.post("/api/topics", "{\"name\":\"bad\"}"), 409, "TOPIC_ALREADY_EXISTS", "bad");
    assertError(node.post("/api/topics", "{\"name\":\"shape\",\"partitions\":\"three\"}"), 400, "INVALID_REQUEST",
        "partitions");
    assertError(node.post("/api/topics", "{\"name\":\"shape\",\"configs\":{\"retention.ms\":\"soon\"}}"), 400,
        "INVALID_CONFIG", "retention.ms");
    assertError(node.put("/api/topics/bad/configs", "{}"), 400, "INVALID_REQUEST", "nothing to alter");
  }

  @Test
  void partitionOutOfRange() {
    assertError(node.get("/api/topics/bad/records?partition=7"), 404, "UNKNOWN_TOPIC_OR_PARTITION", "partition 7");
    assertError(node.post("/api/topics/bad/records", "{\"records\":[{\"value\":\"x\",\"partition\":9}]}"),
        404, "UNKNOWN_TOPIC_OR_PARTITION", "partition 9");
    assertError(node.get("/api/topics/bad/partitions/5/offsets"), 404, "UNKNOWN_TOPIC_OR_PARTITION", "partition 5");
    assertError(node.get("/api/topics/bad/records?partition=-1"), 400, "INVALID_REQUEST", "partition");
    assertError(node.get("/api/topics/bad/partitions/x/offsets"), 400, "INVALID_REQUEST", "partition");
  }

  @Test
  void malformedJson() {
    assertError(node.post("/api/topics", "{\"name\": "), 400, "INVALID_REQUEST", "JSON");
    assertError(node.post("/api/topics/bad/records", "not json"), 400, "INVALID_REQUEST", "JSON");
    assertError(node.post("/api/topics/bad/records", "[1,2]"), 400, "INVALID_REQUEST", "JSON object");
    assertError(node.post("/api/topics/bad/records", ""), 400, "INVALID_REQUEST", "JSON object");
    assertError(node.post("/api/topics/bad/records", "{\"records\":[]}"), 400, "INVALID_REQUEST", "records");
    assertError(node.post("/api/topics/bad/records", "{\"records\":[1]}"), 400, "INVALID_REQUEST", "records[0]");
    assertError(node.post("/api/topics/bad/records", "{\"records\":[{\"value\":\"x\",\"timestamp\":true}]}"),
        400, "INVALID_REQUEST", "timestamp");
    assertError(node.post("/api/topics/bad/records",
        "{\"encoding\":\"base64\",\"records\":[{\"value\":\"not base64!\"}]}"), 400, "INVALID_REQUEST", "base64");
    assertError(node.post("/api/topics/bad/records", "{\"acks\":2,\"records\":[{\"value\":\"x\"}]}"),
        400, "INVALID_REQUIRED_ACKS", "acks");
  }

  @Test
  void oversizedBody() {
    JsonArray records = new JsonArray();
    String value = "x".repeat(1000);
    for (int i = 0; i < 100; i++) {
      records.add(new JsonObject().put("value", value));
    }
    assertError(node.post("/api/topics/bad/records", new JsonObject().put("records", records).encode()),
        413, "MESSAGE_TOO_LARGE", "http.max.body.bytes");
  }

  @Test
  void badLimitsAndWaits() {
    assertError(node.get("/api/topics/bad/records?limit=-1"), 400, "INVALID_REQUEST", "limit");
    assertError(node.get("/api/topics/bad/records?limit=0"), 400, "INVALID_REQUEST", "limit");
    assertError(node.get("/api/topics/bad/records?limit=10001"), 400, "INVALID_REQUEST", "limit");
    assertError(node.get("/api/topics/bad/records?limit=99999999999999999999"), 400, "INVALID_REQUEST", "limit");
    assertError(node.get("/api/topics/bad/records?maxWaitMs=600000"), 400, "INVALID_REQUEST", "maxWaitMs");
    assertError(node.get("/api/topics/bad/records?encoding=latin1"), 400, "INVALID_REQUEST", "encoding");
  }

  @Test
  void offsetsOutOfRangeOrMalformed() {
    assertError(node.get("/api/topics/bad/records?partition=0&offset=1000000"), 400, "OFFSET_OUT_OF_RANGE", "");
    assertError(node.get("/api/topics/bad/records?offset=-3"), 400, "INVALID_REQUEST", "offset");
    assertError(node.get("/api/topics/bad/records?offset=soon"), 400, "INVALID_REQUEST", "offset");
    assertError(node.get("/api/topics/bad/records?offset=0:1,0:2"), 400, "INVALID_REQUEST", "distinct");
    assertError(node.get("/api/topics/bad/records?offset=1&timestamp=5"), 400, "INVALID_REQUEST", "not both");
    assertError(node.get("/api/topics/bad/records?timestamp=yesterday"), 400, "INVALID_REQUEST", "ISO-8601");
    assertError(node.get("/api/topics/bad/partitions/0/offsets?at=never"), 400, "INVALID_REQUEST", "ISO-8601");
  }

  @Test
  void timesOutOfRangeAreInvalidRequestsNotServerErrors() {
    assertError(node.get("/api/topics/bad/records?timestamp=%2B300000000-01-01T00:00:00Z"), 400, "INVALID_REQUEST",
        "too far in the future");
    assertError(node.get("/api/topics/bad/records?timestamp=1969-12-31T23:59:59Z"), 400, "INVALID_REQUEST",
        "before 1970");
    assertError(node.get("/api/topics/bad/partitions/0/offsets?at=%2B300000000-01-01T00:00:00Z"), 400,
        "INVALID_REQUEST", "too far in the future");
    // not silently the latest offset
    assertError(node.get("/api/topics/bad/partitions/0/offsets?at=1969-12-31T23:59:59.999Z"), 400,
        "INVALID_REQUEST", "at must not be before 1970");
    assertError(node.post("/api/topics/bad/records",
        "{\"records\":[{\"value\":\"x\",\"timestamp\":\"+300000000-01-01T00:00:00Z\"}]}"), 400, "INVALID_REQUEST",
        "timestamp is too far");
    assertError(node.post("/api/topics/bad/records",
        "{\"records\":[{\"value\":\"x\",\"timestamp\":\"1960-01-01T00:00:00Z\"}]}"), 400, "INVALID_REQUEST",
        "timestamp must not be before 1970");
    assertError(node.post("/api/topics/bad/records", "{\"records\":[{\"value\":\"x\",\"timestamp\":-5}]}"),
        400, "INVALID_REQUEST", "timestamp");
  }

  @Test
  void unknownRoutesAndMethods() {
    assertError(node.get("/api/nothing-here"), 404, "INVALID_REQUEST", "no such resource");
    assertError(node.put("/api/topics/bad", "{}"), 404, "INVALID_REQUEST", "");
  }
}
