package io.brook.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.verticles.BrokerVerticle;
import io.brook.web.HttpApiVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/brook} against a real secure node: HTTPS with a certificate from {@code bin/brook-certs},
 * no anonymous clients, ACLs checked, the initial user a super user. The operator creates a user and
 * grants it a topic prefix; the user produces and consumes there and is refused elsewhere, each
 * outcome one line and an exit code.
 */
class BrookCliSecureNodeTest {
  @TempDir
  static Path dir;
  static Vertx vertx;
  static String bootstrap;
  static Path ca;
  static Path adminPassword;
  static Path alicePassword;

  @BeforeAll
  static void start() throws Exception {
    RecordingApi.brookCerts(dir.resolve("certs").toString(), "node");
    ca = dir.resolve("certs/ca.pem");
    adminPassword = Files.writeString(dir.resolve("admin.pw"), "admin-secret\n");
    alicePassword = Files.writeString(dir.resolve("alice.pw"), "alice-secret\n");
    JsonObject config = new JsonObject().put("node.id", 1).put("data.dir", dir.resolve("data").toString())
        .put("http.port", 0).put("bridge.port", -1)
        .put("http.tls", true)
        .put("http.ssl.key.location", dir.resolve("certs/node.key").toString())
        .put("http.ssl.certificate.location", dir.resolve("certs/node.pem").toString())
        .put("security.allow.anonymous", false)
        .put("authorizer.enabled", true)
        .put("super.users", "User:admin")
        .put("security.initial.user", "admin")
        .put("security.initial.password.file", adminPassword.toString());
    vertx = Vertx.vertx();
    DeploymentOptions options = new DeploymentOptions().setConfig(config);
    vertx.deployVerticle(new BrokerVerticle(), options).await();
    HttpApiVerticle api = new HttpApiVerticle();
    vertx.deployVerticle(api, options).await();
    bootstrap = "https://localhost:" + api.actualPort();
    await().atMost(Duration.ofSeconds(30)).until(() -> as("admin", adminPassword, "users", "list").exit() == 0);
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  static BrookCliEndToEndTest.Result as(String user, Path passwordFile, String... args) {
    return fed(user, passwordFile, "", args);
  }

  static BrookCliEndToEndTest.Result fed(String user, Path passwordFile, String stdin, String... args) {
    List<String> full = new ArrayList<>(List.of("--bootstrap", bootstrap, "--ca-file", ca.toString()));
    if (user != null) {
      full.addAll(List.of("--user", user, "--password-file", passwordFile.toString()));
    }
    full.addAll(List.of(args));
    return RecordingApi.run(Map.of(), noPrompt(), stdin, full.toArray(new String[0]));
  }

  static PasswordPrompt noPrompt() {
    return new PasswordPrompt() {
      @Override
      public boolean available() {
        return false;
      }

      @Override
      public char[] read(String prompt) {
        throw new AssertionError("no terminal in this test");
      }
    };
  }

  static BrookCliEndToEndTest.Result ok(BrookCliEndToEndTest.Result result) {
    assertThat(result.exit()).as("exit code; stderr: " + result.err()).isZero();
    return result;
  }

  static void refused(BrookCliEndToEndTest.Result result, String firstWords) {
    assertThat(result.exit()).as("stdout: " + result.out()).isEqualTo(1);
    assertThat(result.errLines()).hasSize(1);
    assertThat(result.err()).startsWith("Error: " + firstWords);
  }

  @Test
  void anOperatorGrantsAUserAPrefixAndTheUserWorksThereOnly() throws IOException {
    ok(as("admin", adminPassword, "topics", "create", "orders-eu", "--partitions", "1"));
    ok(as("admin", adminPassword, "topics", "create", "payroll", "--partitions", "1"));
    ok(as("admin", adminPassword, "users", "create", "alice", "--new-password-file", alicePassword.toString()));
    assertThat(ok(as("admin", adminPassword, "users", "list")).out()).contains("alice").contains("SCRAM-SHA-256")
        .doesNotContain("salt");

    refused(fed("alice", alicePassword, "first\n", "produce", "orders-eu"), "not authorized");
    ok(as("admin", adminPassword, "acls", "add", "--principal", "User:alice", "--topic", "orders-", "--prefixed",
        "--operation", "WRITE", "--operation", "READ"));
    assertThat(ok(as("admin", adminPassword, "acls", "list", "--principal", "User:alice")).lines())
        .anyMatch(line -> line.contains("orders-") && line.contains("PREFIXED") && line.contains("WRITE"));

    ok(fed("alice", alicePassword, "one\ntwo\n", "produce", "orders-eu"));
    assertThat(ok(as("alice", alicePassword, "consume", "orders-eu", "--offset", "earliest", "--max-messages", "2",
        "--timeout-ms", "10000")).lines()).containsExactly("one", "two");
    assertThat(ok(as("alice", alicePassword, "topics", "list")).out()).contains("orders-eu").doesNotContain("payroll");
    refused(fed("alice", alicePassword, "x\n", "produce", "payroll"), "not authorized");
    refused(as("alice", alicePassword, "users", "list"), "not authorized");
    refused(as("alice", alicePassword, "topics", "delete", "orders-eu"), "not authorized");

    Path wrong = Files.writeString(dir.resolve("wrong.pw"), "guess\n");
    refused(as("alice", wrong, "topics", "list"), "authentication failed");
    refused(as(null, null, "topics", "list"), "");
  }
}
