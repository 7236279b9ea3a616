package io.brook.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Purging a topic through the HTTP API needs DELETE on the topic when ACLs are checked. */
class HttpRecordsDeletionAclTest {
  @TempDir
  static Path dir;
  static BrookNode node;
  static final String ADMIN_PASSWORD = "admin-secret";

  @BeforeAll
  static void start() throws IOException {
    node = BrookNode.secured(dir, ADMIN_PASSWORD);
    status(as("admin", ADMIN_PASSWORD, "/api/topics", new JsonObject().put("name", "ledger"), "POST"), 201);
    status(as("admin", ADMIN_PASSWORD, "/api/users", new JsonObject().put("name", "carol").put("password", "carol-pw"),
        "POST"), 201);
    JsonArray records = new JsonArray().add(new JsonObject().put("value", "a")).add(new JsonObject().put("value", "b"));
    status(as("admin", ADMIN_PASSWORD, "/api/topics/ledger/records", new JsonObject().put("records", records), "POST"), 200);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static HttpResponse<String> as(String user, String password, String path, JsonObject body, String method) {
    HttpRequest.Builder request = HttpRequest.newBuilder(node.uri(path))
        .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body.encode()))
        .header("content-type", "application/json")
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
            .getBytes(StandardCharsets.UTF_8)));
    return node.send(request);
  }

  static JsonObject status(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return new JsonObject(response.body());
  }

  static void allow(String operation) {
    status(as("admin", ADMIN_PASSWORD, "/api/acls", new JsonObject().put("acls", new JsonArray().add(new JsonObject()
        .put("resourceType", "TOPIC").put("resourceName", "ledger").put("patternType", "LITERAL")
        .put("principal", "User:carol").put("operation", operation).put("permission", "ALLOW"))), "POST"), 201);
  }

  @Test
  void aUserWithoutDeleteOnTheTopicIsRefusedAndOneWithItPurges() {
    allow("DESCRIBE"); // may see the topic, not delete from it
    allow("READ");
    JsonObject refused = status(as("carol", "carol-pw", "/api/topics/ledger/records/delete", null, "POST"), 403);
    assertThat(refused.getString("error")).isEqualTo("TOPIC_AUTHORIZATION_FAILED");
    assertThat(refused.getString("message")).contains("ledger");
    assertThat(status(as("admin", ADMIN_PASSWORD, "/api/topics/ledger/partitions/0/offsets", null, "GET"), 200)
        .getLong("earliest")).as("nothing was deleted").isZero();

    allow("DELETE");
    JsonObject purged = status(as("carol", "carol-pw", "/api/topics/ledger/records/delete", null, "POST"), 200);
    assertThat(purged.getJsonArray("results").getJsonObject(0).getLong("lowWatermark")).isEqualTo(2);
  }
}
