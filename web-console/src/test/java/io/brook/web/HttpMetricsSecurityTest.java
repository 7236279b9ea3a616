package io.brook.web;

import static org.assertj.core.api.Assertions.assertThat;

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

/** With ACLs checked, the metrics routes need DESCRIBE on the cluster, and /metrics needs credentials like /api. */
class HttpMetricsSecurityTest {
  @TempDir
  static Path dir;
  static BrookNode node;
  static final String ADMIN_PASSWORD = "admin-secret";

  @BeforeAll
  static void start() throws IOException {
    node = BrookNode.secured(dir, ADMIN_PASSWORD);
    HttpResponse<String> bob = node.send(HttpRequest.newBuilder(node.uri("/api/users"))
        .POST(BodyPublishers.ofString(new JsonObject().put("name", "bob").put("password", "bob-pw").encode()))
        .header("content-type", "application/json").header("Authorization", basic("admin", ADMIN_PASSWORD)));
    assertThat(bob.statusCode()).as(bob.body()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static HttpResponse<String> get(String path, String user, String password) {
    HttpRequest.Builder request = HttpRequest.newBuilder(node.uri(path)).GET();
    if (user != null) {
      request.header("Authorization", basic(user, password));
    }
    return node.send(request);
  }

  @Test
  void metricsNeedCredentialsAndDescribeOnTheCluster() {
    HttpResponse<String> anonymous = get("/metrics", null, null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(anonymous.body()).getString("error")).isEqualTo("SASL_AUTHENTICATION_FAILED");
    assertThat(get("/metrics", "bob", "wrong").statusCode()).isEqualTo(401);

    for (String path : new String[] {"/metrics", "/api/metrics/cluster", "/api/metrics/history", "/api/metrics/stream"}) {
      HttpResponse<String> refused = get(path, "bob", "bob-pw");
      assertThat(refused.statusCode()).as(path).isEqualTo(403);
      assertThat(new JsonObject(refused.body()).getString("error")).as(path).isEqualTo("CLUSTER_AUTHORIZATION_FAILED");
    }

    HttpResponse<String> admin = get("/metrics", "admin", ADMIN_PASSWORD);
    assertThat(admin.statusCode()).isEqualTo(200);
    assertThat(admin.body()).contains("brook_under_replicated_partitions");
    assertThat(get("/api/metrics/cluster", "admin", ADMIN_PASSWORD).statusCode()).isEqualTo(200);
  }
}
