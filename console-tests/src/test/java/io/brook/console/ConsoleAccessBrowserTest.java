package io.brook.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.server.ProcessCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may do what in the console, in Chromium against a broker process: a wrong password is refused; a
 * viewer (DESCRIBE and READ by ACL) sees no control to change anything, and the API refuses the change the
 * controls would make (403) even when sent from its console session; with {@code console.read.only} every
 * session is a viewer.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleAccessBrowserTest {
  @TempDir
  Path root;
  /** The browser of the running test, closed after the failure screenshot (TestWatcher runs after the test). */
  private Browser browser;
  @RegisterExtension
  final ScreenshotOnFailure screenshotOnFailure = new ScreenshotOnFailure(() -> browser);

  private Browser browser(String base) throws Exception {
    closeBrowser();
    browser = new Browser(base);
    return browser;
  }

  @AfterAll
  void closeBrowser() throws Exception {
    if (browser != null) {
      browser.close();
      browser = null;
    }
  }

  @Test
  void aWrongPasswordIsRefusedAndAViewerCanNeitherSeeNorUseAChangeControl() throws Exception {
    Path password = root.resolve("admin.password");
    Files.writeString(password, "admin-secret\n");
    try (ProcessCluster cluster = new ProcessCluster(Files.createDirectories(root.resolve("secure")), ProcessCluster.Mode.HAZELCAST, Map.of(
        "authorizer.enabled", true, "security.allow.anonymous", false, "super.users", "User:admin",
        "security.initial.user", "admin", "security.initial.password.file", password.toString()))) {
      cluster.startAll(1);
      String base = "http://127.0.0.1:" + cluster.httpPort(1);
      Api admin = new Api(base, "admin", "admin-secret");
      // the first user is made once the broker has joined the metadata quorum, a moment after ready
      await().atMost(Duration.ofSeconds(30)).until(() -> admin.send("GET", "/api/topics", null).statusCode() == 200);
      admin.call("POST", "/api/topics", new JsonObject().put("name", "visible").put("partitions", 1).encode());
      admin.call("POST", "/api/users", new JsonObject().put("name", "viewer").put("password", "viewer-secret").encode());
      JsonArray acls = new JsonArray();
      for (String[] acl : new String[][] {{"TOPIC", "*", "DESCRIBE"}, {"TOPIC", "*", "READ"}, {"TOPIC", "*", "DESCRIBE_CONFIGS"},
          {"GROUP", "*", "DESCRIBE"}, {"CLUSTER", "kafka-cluster", "DESCRIBE"}}) {
        acls.add(new JsonObject().put("resourceType", acl[0]).put("resourceName", acl[1]).put("principal", "User:viewer")
            .put("operation", acl[2]));
      }
      admin.call("POST", "/api/acls", new JsonObject().put("acls", acls).encode());

      {
        Browser browser = browser(base);
        browser.open("/topics");
        browser.waiting(Duration.ofSeconds(20)).until(d -> d.getCurrentUrl().contains("/login"));
        browser.await("input[name=user]").sendKeys("viewer");
        browser.await("input[name=password]").sendKeys("wrong");
        browser.await("form.login button[type=submit]").click();
        assertThat(browser.await("#login-error").getText()).isEqualTo("Wrong user name or password.");
        assertThat(browser.driver.getCurrentUrl()).contains("/login");

        browser.await("input[name=password]").sendKeys("viewer-secret");
        browser.await("form.login button[type=submit]").click();
        browser.waiting(Duration.ofSeconds(20)).until(d -> d.getCurrentUrl().endsWith("/topics"));
        browser.await("#topics-table tr[data-topic=visible]");
        assertThat(browser.present("#new-topic")).as("no create control").isFalse();
        browser.open("/topics/visible");
        browser.await("#partitions-table");
        assertThat(browser.present("#delete-topic")).isFalse();
        assertThat(browser.present(".tools")).as("no operate controls").isFalse();
        browser.open("/topics/visible?tab=configs");
        browser.await("#configs-table");
        assertThat(browser.all("#configs-table input")).allMatch(input -> !input.isEnabled());
        assertThat(browser.all("#configs-table button")).isEmpty();
        browser.open("/topics/visible?tab=produce");
        assertThat(browser.await(".tab-body").getText()).contains("may not produce");
        browser.screenshot("viewer-topic");

        // what the hidden controls would send, sent anyway from the viewer's console session
        List<Object> create = browser.fetch("POST", "/api/topics", "{\"name\":\"sneaky\"}", true);
        assertThat(create.get(0)).as("%s", create.get(1)).isEqualTo(403L);
        List<Object> delete = browser.fetch("DELETE", "/api/topics/visible", null, true);
        assertThat(delete.get(0)).isEqualTo(403L);
        List<Object> noCsrf = browser.fetch("POST", "/api/topics/visible/records", "{\"records\":[{\"value\":\"x\"}]}", false);
        assertThat(noCsrf.get(0)).as("a change without the CSRF token").isEqualTo(403L);
        assertThat(admin.call("GET", "/api/topics/visible", null).getJsonArray("partitions").getJsonObject(0).getLong("highWatermark"))
            .isZero();
      }
    }
  }

  @Test
  void aReadOnlyConsoleIsAViewerForEveryone() throws Exception {
    try (ProcessCluster cluster = new ProcessCluster(Files.createDirectories(root.resolve("read-only")), ProcessCluster.Mode.HAZELCAST,
        Map.of("console.read.only", true))) {
      cluster.startAll(1);
      String base = "http://127.0.0.1:" + cluster.httpPort(1);
      new Api(base, null, null).call("POST", "/api/topics", new JsonObject().put("name", "shown").put("partitions", 1).encode());
      {
        Browser browser = browser(base);
        browser.open("/topics");
        browser.await("#topics-table tr[data-topic=shown]");
        assertThat(browser.await("#who").getText()).contains("read-only");
        assertThat(browser.present("#new-topic")).isFalse();
        browser.open("/topics/shown");
        browser.await("#partitions-table");
        assertThat(browser.present("#delete-topic")).isFalse();
        List<Object> create = browser.fetch("POST", "/api/topics", "{\"name\":\"sneaky\"}", true);
        assertThat(create.get(0)).as("%s", create.get(1)).isEqualTo(403L);
        assertThat(String.valueOf(create.get(1))).contains("read-only");
      }
    }
  }
}
