package io.brook.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Console sessions on real nodes: login sets an HttpOnly SameSite=Strict cookie that authenticates
 * later requests (CSRF header required on changes), logout ends it, a wrong password is 401 and
 * rate-limited, authorizedOperations follow the ACLs, a read-only console refuses every change with
 * 403 and says readOnly, anonymous sessions exist only where anonymous access is allowed, and every
 * change is one line on the brook.audit logger without the password.
 */
class ConsoleSessionTest {
  @TempDir
  static Path dir;
  static BrookNode secured;
  static BrookNode readOnly;
  static final String ADMIN_PASSWORD = "admin-secret";

  @BeforeAll
  static void start() throws IOException {
    secured = BrookNode.secured(dir.resolve("secured"), ADMIN_PASSWORD);
    assertStatus(basic(secured, "admin", ADMIN_PASSWORD, "POST", "/api/topics", new JsonObject().put("name", "orders")), 201);
    assertStatus(basic(secured, "admin", ADMIN_PASSWORD, "POST", "/api/topics", new JsonObject().put("name", "payroll")), 201);
    assertStatus(basic(secured, "admin", ADMIN_PASSWORD, "POST", "/api/users",
        new JsonObject().put("name", "alice").put("password", "alice-pw")), 201);
    assertStatus(basic(secured, "admin", ADMIN_PASSWORD, "POST", "/api/acls", new JsonObject().put("acls", new JsonArray()
        .add(new JsonObject().put("resourceType", "TOPIC").put("resourceName", "orders").put("patternType", "LITERAL")
            .put("principal", "User:alice").put("operation", "READ").put("permission", "ALLOW")))), 201);
    readOnly = new BrookNode(dir.resolve("read-only"), new JsonObject().put("console.read.only", true)
        .put("console.login.max.failures.per.minute", 3));
  }

  @AfterAll
  static void stop() {
    secured.close();
    readOnly.close();
  }

  record Session(String cookie, JsonObject body, String setCookie) {}

  static Session login(BrookNode node, String user, String password) {
    HttpResponse<String> response = send(node, "POST", "/api/console/login", null, null,
        new JsonObject().put("user", user).put("password", password));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    String setCookie = response.headers().firstValue("set-cookie").orElseThrow();
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    return new Session(cookie, new JsonObject(response.body()), setCookie);
  }

  static HttpResponse<String> send(BrookNode node, String method, String path, String cookie, String csrf,
      JsonObject body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(node.uri(path))
        .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body.encode()))
        .header("content-type", "application/json");
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    if (csrf != null) {
      request.header("X-Brook-CSRF", csrf);
    }
    return node.send(request);
  }

  static HttpResponse<String> basic(BrookNode node, String user, String password, String method, String path,
      JsonObject body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(node.uri(path))
        .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body.encode()))
        .header("content-type", "application/json")
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
            .getBytes(StandardCharsets.UTF_8)));
    return node.send(request);
  }

  static JsonObject assertStatus(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return response.body().isEmpty() ? new JsonObject() : new JsonObject(response.body());
  }

  @Test
  void loginSetsASafeCookieThatAuthenticatesUntilLogout() {
    Session admin = login(secured, "admin", ADMIN_PASSWORD);
    assertThat(admin.setCookie()).startsWith("brook_console_1=").containsIgnoringCase("HttpOnly").contains("SameSite=Strict")
        .contains("Path=/").doesNotContain("Secure");
    assertThat(admin.body().getString("principal")).isEqualTo("User:admin");
    assertThat(admin.body().getBoolean("anonymous")).isFalse();
    assertThat(admin.body().getBoolean("readOnly")).isFalse();
    assertThat(admin.body().getString("csrfToken")).hasSizeGreaterThan(20);
    assertThat(admin.body().getJsonArray("clusterOperations").getList()).contains("CREATE", "ALTER", "DESCRIBE");

    JsonObject session = assertStatus(send(secured, "GET", "/api/console/session", admin.cookie(), null, null), 200);
    assertThat(session.getString("csrfToken")).isEqualTo(admin.body().getString("csrfToken"));
    assertStatus(send(secured, "GET", "/api/topics", admin.cookie(), null, null), 200);

    assertStatus(send(secured, "POST", "/api/console/logout", admin.cookie(), admin.body().getString("csrfToken"), null), 204);
    assertStatus(send(secured, "GET", "/api/topics", admin.cookie(), null, null), 401);
    assertStatus(send(secured, "GET", "/api/console/session", admin.cookie(), null, null), 401);
  }

  @Test
  void aChangeWithoutTheCsrfHeaderIs403AndWithItGoesThrough() {
    Session admin = login(secured, "admin", ADMIN_PASSWORD);
    JsonObject topic = new JsonObject().put("name", "csrf-t");
    JsonObject refused = assertStatus(send(secured, "POST", "/api/topics", admin.cookie(), null, topic), 403);
    assertThat(refused.getString("message")).contains("X-Brook-CSRF");
    assertStatus(send(secured, "POST", "/api/topics", admin.cookie(), "wrong", topic), 403);
    assertStatus(send(secured, "POST", "/api/topics", admin.cookie(), admin.body().getString("csrfToken"), topic), 201);
    // Basic clients are unchanged: no CSRF header needed
    assertStatus(basic(secured, "admin", ADMIN_PASSWORD, "DELETE", "/api/topics/csrf-t", null), 200);
  }

  @Test
  void aWrongPasswordIs401AndRepeatedFailuresAreThrottled() {
    HttpResponse<String> wrong = send(secured, "POST", "/api/console/login", null, null,
        new JsonObject().put("user", "alice").put("password", "nope"));
    assertThat(assertStatus(wrong, 401).getString("error")).isEqualTo("SASL_AUTHENTICATION_FAILED");
    assertThat(wrong.headers().firstValue("set-cookie")).isEmpty();
    assertStatus(send(secured, "POST", "/api/console/login", null, null, new JsonObject().put("user", "alice")), 400);
    // no anonymous session on a node that refuses anonymous clients
    assertStatus(send(secured, "GET", "/api/console/session", null, null, null), 401);
    assertStatus(send(secured, "GET", "/api/console/session", "brook_console_1=forged", null, null), 401);
  }

  @Test
  void failedLoginsFromOneAddressAreRateLimited() {
    // console.login.max.failures.per.minute = 3 on that node (no user exists there: every login fails)
    int status = 0;
    for (int i = 0; i < 5 && status != 429; i++) {
      status = send(readOnly, "POST", "/api/console/login", null, null,
          new JsonObject().put("user", "mallory").put("password", "guess-" + i)).statusCode();
    }
    assertThat(status).isEqualTo(429);
    assertThat(send(readOnly, "POST", "/api/console/login", null, null,
        new JsonObject().put("user", "mallory").put("password", "x")).statusCode()).isEqualTo(429);
  }

  @Test
  void authorizedOperationsFollowTheAcls() {
    Session alice = login(secured, "alice", "alice-pw");
    assertThat(alice.body().getJsonArray("clusterOperations")).isEmpty();
    JsonObject orders = assertStatus(send(secured, "GET", "/api/topics/orders", alice.cookie(), null, null), 200);
    assertThat(orders.getJsonArray("authorizedOperations").getList()).containsExactlyInAnyOrder("READ", "DESCRIBE");
    JsonObject asAdmin = assertStatus(basic(secured, "admin", ADMIN_PASSWORD, "GET", "/api/topics/orders", null), 200);
    assertThat(asAdmin.getJsonArray("authorizedOperations").getList()).contains("WRITE", "DELETE", "ALTER_CONFIGS");
  }

  @Test
  void eventStreamsAuthenticateByTheCookieAndCheckAclsAtOpen() throws Exception {
    Session alice = login(secured, "alice", "alice-pw");
    HttpResponse<java.util.stream.Stream<String>> tail = java.net.http.HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(secured.uri("/api/topics/orders/tail")).header("Cookie", alice.cookie()).build(),
        HttpResponse.BodyHandlers.ofLines());
    try {
      assertThat(tail.statusCode()).isEqualTo(200);
      assertThat(tail.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith(
          "text/event-stream"));
    } finally {
      tail.body().close();
    }
    // alice may not read payroll nor describe the cluster: refused before any stream starts
    assertThat(assertStatus(send(secured, "GET", "/api/topics/payroll/tail", alice.cookie(), null, null), 403)
        .getString("error")).isEqualTo("TOPIC_AUTHORIZATION_FAILED");
    JsonObject refused = assertStatus(send(secured, "GET", "/api/watch/cluster", alice.cookie(), null, null), 403);
    assertThat(refused.getString("error")).isEqualTo("CLUSTER_AUTHORIZATION_FAILED");
    // and without a session, nobody
    assertStatus(send(secured, "GET", "/api/topics/orders/tail", null, null, null), 401);
  }

  @Test
  void everyChangeIsAuditedWithoutThePassword() {
    try (LogCapture log = new LogCapture()) {
      send(secured, "POST", "/api/console/login", null, null,
          new JsonObject().put("user", "alice").put("password", "super-secret-typo"));
      Session admin = login(secured, "admin", ADMIN_PASSWORD);
      send(secured, "POST", "/api/topics/orders/records", admin.cookie(), null,
          new JsonObject().put("records", new JsonArray().add(new JsonObject().put("value", "secret-value"))));
      basic(secured, "admin", ADMIN_PASSWORD, "PUT", "/api/topics/orders/configs",
          new JsonObject().put("set", new JsonObject().put("retention.ms", 3_600_000)));
      await().atMost(Duration.ofSeconds(5)).until(() -> audit(log).size() >= 4);
      List<String> lines = audit(log).stream().map(LogRecord::getMessage).toList();
      assertThat(lines).anySatisfy(l -> assertThat(l).contains("principal=User:alice")
          .contains("route=/api/console/login").contains("status=401").contains("outcome=refused"));
      assertThat(lines).anySatisfy(l -> assertThat(l).contains("principal=User:admin").contains("via=console")
          .contains("method=POST").contains("route=/api/topics/:name/records").contains("resource=topic:orders")
          .contains("status=403"));
      assertThat(lines).anySatisfy(l -> assertThat(l).contains("principal=User:admin").contains("via=api")
          .contains("method=PUT").contains("route=/api/topics/:name/configs").contains("status=200"));
      assertThat(String.join("\n", lines)).doesNotContain("super-secret-typo").doesNotContain(ADMIN_PASSWORD)
          .doesNotContain("secret-value");
    }
  }

  private static List<LogRecord> audit(LogCapture log) {
    return log.records.stream().filter(r -> "brook.audit".equals(r.getLoggerName())).toList();
  }

  @Test
  void aReadOnlyConsoleRefusesChangesAndSaysSo() {
    // anonymous access is allowed on this loopback node: the session starts anonymous, with a cookie
    HttpResponse<String> response = send(readOnly, "GET", "/api/console/session", null, null, null);
    JsonObject session = assertStatus(response, 200);
    assertThat(session.getBoolean("anonymous")).isTrue();
    assertThat(session.getBoolean("readOnly")).isTrue();
    assertThat(session.getJsonArray("clusterOperations").getList()).containsExactlyInAnyOrder("DESCRIBE",
        "DESCRIBE_CONFIGS");
    String setCookie = response.headers().firstValue("set-cookie").orElseThrow();
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    JsonObject refused = assertStatus(send(readOnly, "POST", "/api/topics", cookie, session.getString("csrfToken"),
        new JsonObject().put("name", "viewer-t")), 403);
    assertThat(refused.getString("error")).isEqualTo("CLUSTER_AUTHORIZATION_FAILED");
    assertThat(refused.getString("message")).contains("the console is read-only");
    assertStatus(send(readOnly, "GET", "/api/topics", cookie, null, null), 200);
    // a Basic/anonymous API client without the cookie is not the console: unchanged
    assertStatus(readOnly.post("/api/topics", new JsonObject().put("name", "api-t").encode()), 201);
    JsonObject topic = assertStatus(send(readOnly, "GET", "/api/topics/api-t", cookie, null, null), 200);
    assertThat(topic.getJsonArray("authorizedOperations").getList())
        .containsExactlyInAnyOrder("READ", "DESCRIBE", "DESCRIBE_CONFIGS");
  }
}
