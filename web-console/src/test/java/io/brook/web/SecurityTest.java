package io.brook.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.protocol.Addresses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Users, authentication and ACLs on a real node that refuses anonymous clients and checks ACLs: the
 * initial user is created from its password file, users and ACLs are managed over the HTTP API, and
 * both listeners (HTTP, bridge) act as the authenticated principal, checked by the broker.
 */
class SecurityTest {
  @TempDir
  static Path dir;
  static BrookNode node;
  static final String ADMIN_PASSWORD = "admin-secret";

  @BeforeAll
  static void start() throws IOException {
    node = BrookNode.secured(dir, ADMIN_PASSWORD);
    for (String topic : List.of("orders-eu", "orders-us", "payments")) {
      assertStatus(as("admin", ADMIN_PASSWORD, "POST", "/api/topics", new JsonObject().put("name", topic)), 201);
    }
    for (String user : List.of("alice", "bob")) {
      assertStatus(as("admin", ADMIN_PASSWORD, "POST", "/api/users",
          new JsonObject().put("name", user).put("password", user + "-pw")), 201);
    }
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static HttpResponse<String> as(String user, String password, String method, String path, JsonObject body) {
    return withAuthorization("Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
        .getBytes(StandardCharsets.UTF_8)), method, path, body);
  }

  static HttpResponse<String> withAuthorization(String authorization, String method, String path, JsonObject body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(node.uri(path))
        .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body.encode()))
        .header("content-type", "application/json");
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return node.send(request);
  }

  static JsonObject assertStatus(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return response.body().isEmpty() ? new JsonObject() : new JsonObject(response.body());
  }

  static JsonObject records(String... values) {
    JsonArray records = new JsonArray();
    for (String value : values) {
      records.add(new JsonObject().put("value", value));
    }
    return new JsonObject().put("records", records);
  }

  static void addAcl(String principal, String operation, String topic, String patternType, String permission) {
    JsonObject created = assertStatus(as("admin", ADMIN_PASSWORD, "POST", "/api/acls", new JsonObject().put("acls",
        new JsonArray().add(new JsonObject().put("resourceType", "TOPIC").put("resourceName", topic)
            .put("patternType", patternType).put("principal", principal).put("operation", operation)
            .put("permission", permission)))), 201);
    assertThat(created.getJsonArray("results").getJsonObject(0).getString("error")).isEqualTo("NONE");
  }

  @Test
  void withoutOrWithWrongCredentialsEveryRouteIs401() {
    HttpResponse<String> none = withAuthorization(null, "GET", "/api/topics", null);
    assertThat(assertStatus(none, 401).getString("error")).isEqualTo("SASL_AUTHENTICATION_FAILED");
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
    String wrongPassword = assertStatus(as("alice", "wrong", "GET", "/api/topics", null), 401).getString("message");
    String unknownUser = assertStatus(as("mallory", "alice-pw", "GET", "/api/topics", null), 401).getString("message");
    assertThat(unknownUser).isEqualTo(wrongPassword); // no user enumeration
    assertStatus(withAuthorization("Basic !!notbase64", "GET", "/api/topics", null), 401);
    assertStatus(withAuthorization("Bearer made-up-token", "GET", "/api/topics", null), 401);
    assertStatus(withAuthorization("Digest x", "POST", "/api/topics",
        new JsonObject().put("name", "never-created")), 401);
    assertThat(assertStatus(as("admin", ADMIN_PASSWORD, "GET", "/api/topics", null), 200).getJsonArray("topics")
        .stream().map(t -> ((JsonObject) t).getString("name"))).doesNotContain("never-created");
  }

  @Test
  void aProducerIdNeedsWriteOnSomeTopicAsKafkaAsks() {
    assertStatus(as("admin", ADMIN_PASSWORD, "POST", "/api/users",
        new JsonObject().put("name", "carol").put("password", "carol-pw")), 201);
    JsonObject refused = assertStatus(as("carol", "carol-pw", "POST", "/api/producer-ids", null), 403);
    assertThat(refused.getString("error")).isEqualTo("CLUSTER_AUTHORIZATION_FAILED");
    assertThat(refused.getString("message")).contains("WRITE on some topic");
    addAcl("User:carol", "WRITE", "payments", "LITERAL", "ALLOW");
    // each broker applies the ACL from its metadata: a moment after the answer to the admin
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
        .until(() -> as("carol", "carol-pw", "POST", "/api/producer-ids", null).statusCode() == 200);
    JsonObject granted = assertStatus(as("carol", "carol-pw", "POST", "/api/producer-ids", null), 200);
    assertThat(granted.getLong("producerId")).isNotNegative();
    assertThat(granted.getInteger("producerEpoch")).isZero();
  }

  @Test
  void aUserWithoutWriteGetsTopicAuthorizationFailedAndSeesNoTopics() {
    JsonObject refused = assertStatus(as("bob", "bob-pw", "POST", "/api/topics/payments/records", records("x")), 403);
    assertThat(refused.getString("error")).isEqualTo("TOPIC_AUTHORIZATION_FAILED");
    assertThat(refused.getString("message")).contains("payments");
    assertThat(assertStatus(as("bob", "bob-pw", "GET", "/api/topics", null), 200).getJsonArray("topics")).isEmpty();
    // whether a topic exists is not bob's to learn: an unknown one is refused the same way
    assertThat(assertStatus(as("bob", "bob-pw", "POST", "/api/topics/ghost/records", records("x")), 403)
        .getString("error")).isEqualTo("TOPIC_AUTHORIZATION_FAILED");
    assertThat(assertStatus(as("bob", "bob-pw", "GET", "/api/topics/ghost/records", null), 403)
        .getString("error")).isEqualTo("TOPIC_AUTHORIZATION_FAILED");
    assertStatus(as("admin", ADMIN_PASSWORD, "POST", "/api/topics/ghost/records", records("x")), 404);
    assertThat(assertStatus(as("bob", "bob-pw", "GET", "/api/topics/payments/partitions", null), 403)
        .getString("error")).isEqualTo("TOPIC_AUTHORIZATION_FAILED");
    assertThat(assertStatus(as("bob", "bob-pw", "GET", "/api/topics/payments", null), 403).getString("error"))
        .isEqualTo("TOPIC_AUTHORIZATION_FAILED");
    assertThat(assertStatus(as("bob", "bob-pw", "GET", "/api/users", null), 403).getString("error"))
        .isEqualTo("CLUSTER_AUTHORIZATION_FAILED");
    assertThat(assertStatus(as("bob", "bob-pw", "POST", "/api/users",
        new JsonObject().put("name", "eve").put("password", "x")), 403).getString("error"))
        .isEqualTo("CLUSTER_AUTHORIZATION_FAILED");
    assertThat(assertStatus(as("bob", "bob-pw", "POST", "/api/topics", new JsonObject().put("name", "bobs")), 403)
        .getString("error")).isEqualTo("TOPIC_AUTHORIZATION_FAILED");
  }

  @Test
  void probesNeedNoCredentialsWhileHealthAndClusterChangesNeedClusterAcls() {
    // proves: a load balancer without credentials gets liveness and readiness (and nothing more); the cluster's
    // health needs DESCRIBE on the cluster, reassigning and decommissioning ALTER, checked as the caller
    assertThat(assertStatus(withAuthorization(null, "GET", "/api/health/live", null), 200).encode())
        .isEqualTo("{\"status\":\"live\"}");
    await().atMost(Duration.ofSeconds(30)).until(() -> withAuthorization(null, "GET", "/api/health/ready", null)
        .statusCode() == 200);
    assertThat(new JsonObject(withAuthorization(null, "GET", "/api/health/ready", null).body()).encode())
        .isEqualTo("{\"status\":\"ready\"}");
    assertStatus(withAuthorization(null, "GET", "/api/health", null), 401);
    assertThat(assertStatus(as("bob", "bob-pw", "GET", "/api/health", null), 403).getString("error"))
        .isEqualTo("CLUSTER_AUTHORIZATION_FAILED");
    assertThat(assertStatus(as("admin", ADMIN_PASSWORD, "GET", "/api/health", null), 200).getBoolean("healthy"))
        .isTrue();
    assertThat(assertStatus(as("bob", "bob-pw", "POST", "/api/topics/payments/partitions/0/reassign",
        new JsonObject().put("replicas", new JsonArray().add(1))), 403).getString("error"))
        .isEqualTo("CLUSTER_AUTHORIZATION_FAILED");
    assertThat(assertStatus(as("bob", "bob-pw", "DELETE", "/api/topics/payments/partitions/0/reassign", null), 403)
        .getString("error")).isEqualTo("CLUSTER_AUTHORIZATION_FAILED");
    assertThat(assertStatus(as("bob", "bob-pw", "DELETE", "/api/cluster/brokers/7?force=true", null), 403)
        .getString("error")).isEqualTo("CLUSTER_AUTHORIZATION_FAILED");
  }

  @Test
  void aPrefixedAllowMatchesAndADenyOverridesIt() {
    addAcl("User:alice", "WRITE", "orders-", "PREFIXED", "ALLOW");
    addAcl("User:alice", "READ", "orders-", "PREFIXED", "ALLOW");
    assertStatus(as("alice", "alice-pw", "POST", "/api/topics/orders-eu/records", records("a", "b")), 200);
    assertStatus(as("alice", "alice-pw", "POST", "/api/topics/orders-us/records", records("c")), 200);
    assertThat(assertStatus(as("alice", "alice-pw", "POST", "/api/topics/payments/records", records("x")), 403)
        .getString("error")).isEqualTo("TOPIC_AUTHORIZATION_FAILED");
    // WRITE implies DESCRIBE: the list shows what alice may use, nothing else
    assertThat(assertStatus(as("alice", "alice-pw", "GET", "/api/topics", null), 200).getJsonArray("topics").stream()
        .map(t -> ((JsonObject) t).getString("name")).toList()).containsExactly("orders-eu", "orders-us");
    assertThat(assertStatus(as("alice", "alice-pw", "GET", "/api/topics/orders-eu/records?offset=earliest", null), 200)
        .getJsonArray("records")).hasSize(2);

    addAcl("User:alice", "WRITE", "orders-eu", "LITERAL", "DENY");
    assertThat(assertStatus(as("alice", "alice-pw", "POST", "/api/topics/orders-eu/records", records("d")), 403)
        .getString("error")).isEqualTo("TOPIC_AUTHORIZATION_FAILED");
    assertStatus(as("alice", "alice-pw", "POST", "/api/topics/orders-us/records", records("e")), 200);

    JsonObject listed = assertStatus(as("admin", ADMIN_PASSWORD, "GET", "/api/acls?principal=User:alice", null), 200);
    assertThat(listed.getJsonArray("acls")).hasSize(3);
    JsonObject deleted = assertStatus(as("admin", ADMIN_PASSWORD, "POST", "/api/acls/delete", new JsonObject()
        .put("filters", new JsonArray().add(new JsonObject().put("principal", "User:alice")
            .put("permission", "DENY")))), 200);
    assertThat(deleted.getJsonArray("results").getJsonObject(0).getJsonArray("deleted")).hasSize(1);
    assertStatus(as("alice", "alice-pw", "POST", "/api/topics/orders-eu/records", records("f")), 200);
  }

  @Test
  void usersAreListedWithoutSecretsAndChangingAPasswordRetiresTheOldOne() {
    assertStatus(as("admin", ADMIN_PASSWORD, "POST", "/api/users",
        new JsonObject().put("name", "carol").put("password", "old-pw").put("iterations", 8192)), 201);
    assertThat(assertStatus(as("admin", ADMIN_PASSWORD, "POST", "/api/users",
        new JsonObject().put("name", "carol").put("password", "other")), 409).getString("error"))
        .isEqualTo("DUPLICATE_RESOURCE");
    JsonObject users = assertStatus(as("admin", ADMIN_PASSWORD, "GET", "/api/users", null), 200);
    JsonObject carol = users.getJsonArray("users").stream().map(JsonObject.class::cast)
        .filter(u -> u.getString("name").equals("carol")).findFirst().orElseThrow();
    assertThat(carol.getJsonArray("credentials").getJsonObject(0).fieldNames())
        .containsExactlyInAnyOrder("mechanism", "iterations");
    assertThat(carol.getJsonArray("credentials").getJsonObject(0).getInteger("iterations")).isEqualTo(8192);

    assertStatus(as("carol", "old-pw", "GET", "/api/topics", null), 200); // remembered now
    assertStatus(as("admin", ADMIN_PASSWORD, "PUT", "/api/users/carol", new JsonObject().put("password", "new-pw")), 200);
    assertStatus(as("carol", "old-pw", "GET", "/api/topics", null), 401);
    assertStatus(as("carol", "new-pw", "GET", "/api/topics", null), 200);
    assertThat(assertStatus(as("admin", ADMIN_PASSWORD, "PUT", "/api/users/nobody",
        new JsonObject().put("password", "x")), 404).getString("error")).isEqualTo("RESOURCE_NOT_FOUND");
    assertThat(assertStatus(as("admin", ADMIN_PASSWORD, "POST", "/api/users",
        new JsonObject().put("name", "dave").put("password", "x").put("mechanism", "MD5")), 400).getString("error"))
        .isEqualTo("UNSUPPORTED_SASL_MECHANISM");

    assertStatus(as("admin", ADMIN_PASSWORD, "DELETE", "/api/users/carol", null), 200);
    assertStatus(as("carol", "new-pw", "GET", "/api/topics", null), 401);
    assertStatus(as("admin", ADMIN_PASSWORD, "DELETE", "/api/users/carol", null), 404);
  }

  @Test
  void aSessionTokenWorksUntilLoggedOut() {
    assertStatus(as("admin", ADMIN_PASSWORD, "POST", "/api/users",
        new JsonObject().put("name", "erin").put("password", "erin-pw")), 201);
    JsonObject session = assertStatus(as("erin", "erin-pw", "POST", "/api/session", null), 201);
    assertThat(session.getString("principal")).isEqualTo("User:erin");
    String bearer = "Bearer " + session.getString("token");
    assertStatus(withAuthorization(bearer, "GET", "/api/topics", null), 200);
    assertStatus(withAuthorization(bearer, "DELETE", "/api/session", null), 204);
    assertStatus(withAuthorization(bearer, "GET", "/api/topics", null), 401);

    // a token dies with its user
    String second = "Bearer " + assertStatus(as("erin", "erin-pw", "POST", "/api/session", null), 201).getString("token");
    assertStatus(as("admin", ADMIN_PASSWORD, "DELETE", "/api/users/erin", null), 200);
    assertStatus(withAuthorization(second, "GET", "/api/topics", null), 401);
  }

  @Test
  void theBridgeActsAsTheUserOfTheFirstFramesCredentials() throws IOException {
    JsonObject produce = new JsonObject().put("topic", "orders-us").put("partition", 0).put("acks", 1)
        .put("messages", new JsonArray().add(new JsonObject().put("value", "via-bridge")));
    try (BridgeClient anonymous = new BridgeClient(node.bridgePort)) {
      JsonObject refused = anonymous.request(Addresses.produce(BrookNode.NODE_ID), "r1", produce);
      assertThat(refused.getString("type")).isEqualTo("err");
      assertThat(refused.getString("message")).startsWith("authentication_failed");
      assertThat(anonymous.read()).as("closed after a failed login").isNull();
    }
    try (BridgeClient wrong = new BridgeClient(node.bridgePort)) {
      wrong.write(send(Addresses.METADATA, new JsonObject(), basic("alice", "nope")));
      assertThat(wrong.read().getString("message")).startsWith("authentication_failed");
      assertThat(wrong.read()).isNull();
    }
    addAcl("User:bob", "WRITE", "orders-us", "LITERAL", "ALLOW");
    try (BridgeClient bob = new BridgeClient(node.bridgePort)) {
      bob.write(send(Addresses.produce(BrookNode.NODE_ID), produce, basic("bob", "bob-pw")));
      JsonObject produced = bob.read();
      assertThat(produced.getString("type")).as(produced.encode()).isEqualTo("message");
      // later frames need no credentials: the connection is bob's
      JsonObject refused = bob.request(Addresses.produce(BrookNode.NODE_ID), "r2",
          produce.copy().put("topic", "payments"));
      assertThat(refused.getString("message")).as(refused.encode()).startsWith("TOPIC_AUTHORIZATION_FAILED");
      bob.write(send(Addresses.produce(BrookNode.NODE_ID), produce, basic("alice", "alice-pw")));
      assertThat(bob.read().getString("message")).contains("acts as User:bob");
      assertThat(bob.pings()).isTrue();
    }
  }

  static JsonObject send(String address, JsonObject body, String authorization) {
    return new JsonObject().put("type", "send").put("address", address).put("replyAddress", "reply")
        .put("headers", new JsonObject().put("authorization", authorization)).put("body", body);
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
