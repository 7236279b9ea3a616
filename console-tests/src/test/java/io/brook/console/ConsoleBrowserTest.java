package io.brook.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.cli.BrookCli;
import io.brook.server.ProcessCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.Select;

/**
 * The console in Chromium against three broker processes (Hazelcast on loopback, anonymous access: the
 * loopback default): the cluster page, a topic created, produced to and searched from the UI, a live tail
 * of a record the CLI produces, a group's lag live and its offsets reset with a preview, hostile record
 * contents shown as text, and a broker killed with SIGKILL shown as fenced with its partitions' new
 * leaders, without reloading the page. Screenshots go to target/screenshots.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
  private static final String TOPIC = "orders";
  private Path root;
  private ProcessCluster cluster;
  private Browser browser;
  private Api api;
  @RegisterExtension
  final ScreenshotOnFailure screenshotOnFailure = new ScreenshotOnFailure(() -> browser);

  @BeforeAll
  void start() throws Exception {
    root = Files.createTempDirectory("brook-console-test");
    cluster = new ProcessCluster(root, ProcessCluster.Mode.HAZELCAST, Map.of("offsets.topic.num.partitions", 3));
    cluster.startAll(1, 2, 3);
    api = new Api("http://127.0.0.1:" + cluster.httpPort(1), null, null);
    browser = new Browser("http://127.0.0.1:" + cluster.httpPort(1));
  }

  @AfterAll
  void stop() throws Exception {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  @Test
  @Order(1)
  void theClusterPageShowsThreeBrokers() throws Exception {
    browser.open("/");
    // the table is redrawn as the cluster watch sends news: rows are looked up again on each try
    browser.waiting(Duration.ofSeconds(20)).until(d -> browser.all("#brokers-table tbody tr[data-state=UNFENCED]").stream()
        .map(r -> r.getAttribute("data-broker")).sorted().toList().equals(List.of("1", "2", "3")));
    assertThat(browser.await("#cluster-summary").getText()).contains("3 up").contains("Controller");
    assertThat(browser.scrollsHorizontally()).as("fits 1280x800").isFalse();
    browser.screenshot("cluster");
    // every node serves the console, and each shows the same cluster
    browser.driver.get("http://127.0.0.1:" + cluster.httpPort(2) + "/");
    browser.waiting(Duration.ofSeconds(20)).until(d -> browser.all("#brokers-table tbody tr[data-state=UNFENCED]").size() == 3);
    assertThat(browser.await("#cluster-summary").getText()).contains("Controller\nbroker " + api.call("GET", "/api/cluster", null)
        .getInteger("controllerId"));
  }

  @Test
  @Order(2)
  void aTopicIsCreatedFromTheForm() throws Exception {
    browser.open("/topics");
    browser.await("#new-topic").click();
    browser.await("#create-topic input[name=name]").sendKeys(TOPIC);
    browser.await("#create-topic input[name=partitions]").sendKeys("3");
    browser.await("#create-topic input[name=replicationFactor]").sendKeys("3");
    browser.await("#create-topic textarea[name=configs]").sendKeys("retention.ms=3600000");
    browser.await("#create-topic button[type=submit]").click();
    browser.waiting(Duration.ofSeconds(20)).until(d -> d.getCurrentUrl().endsWith("/topics/" + TOPIC));
    browser.waiting(Duration.ofSeconds(20)).until(d -> browser.all("#partitions-table tbody tr").size() == 3);
    JsonObject topic = api.call("GET", "/api/topics/" + TOPIC, null);
    assertThat(topic.getInteger("replicationFactor")).isEqualTo(3);
    assertThat(topic.getJsonObject("configOverrides").getString("retention.ms")).isEqualTo("3600000");
    browser.screenshot("topic");

    // a config edited on the page; an invalid value is refused with the broker's message and changes nothing
    browser.open("/topics/" + TOPIC + "?tab=configs");
    WebElement segmentMs = browser.await("#configs-table tr[data-config='segment.ms'] input");
    segmentMs.clear();
    segmentMs.sendKeys("soon");
    browser.await("#configs-table tr[data-config='segment.ms'] button").click();
    assertThat(browser.await("#configs-table tr[data-config='segment.ms'] .error").getText()).contains("segment.ms");
    WebElement retention = browser.await("#configs-table tr[data-config='retention.ms'] input");
    retention.clear();
    retention.sendKeys("7200000");
    browser.await("#configs-table tr[data-config='retention.ms'] button").click();
    await().atMost(Duration.ofSeconds(20)).until(() -> "7200000".equals(api.call("GET", "/api/topics/" + TOPIC, null)
        .getJsonObject("configOverrides").getString("retention.ms")));
    assertThat(api.call("GET", "/api/topics/" + TOPIC, null).getJsonObject("configOverrides").containsKey("segment.ms")).isFalse();
  }

  @Test
  @Order(3)
  void aRecordProducedFromTheUiIsFoundByAValueFilter() throws Exception {
    // noise around the record, so the filter has something to leave out
    JsonArray noise = new JsonArray();
    for (int i = 0; i < 200; i++) {
      noise.add(new JsonObject().put("key", "n" + i).put("value", "{\"order\": " + i + ", \"note\": \"plain\"}"));
    }
    api.call("POST", "/api/topics/" + TOPIC + "/records", new JsonObject().put("records", noise).encode());

    browser.open("/topics/" + TOPIC + "?tab=produce");
    browser.await("#produce-form input[name=key]").sendKeys("k-needle");
    browser.await("#produce-form textarea[name=value]").sendKeys("{\"order\": 4242, \"note\": \"needle-xyz\"}");
    browser.await("#produce-form textarea[name=headers]").sendKeys("source=console");
    browser.await("#produce-form button[type=submit]").click();
    assertThat(browser.await("#produce-result").getText()).startsWith("Sent to partition");

    browser.open("/topics/" + TOPIC + "?tab=messages&from=earliest&filter=needle-xyz");
    WebElement row = browser.waiting(Duration.ofSeconds(20)).until(d -> {
      List<WebElement> rows = browser.all("#records .record");
      return rows.size() == 1 ? rows.get(0) : null;
    });
    assertThat(row.getText()).contains("needle-xyz").contains("k-needle");
    assertThat(browser.await("#browse-status").getText()).contains("scanned");
    // the keyboard opens the selected record (j/k move, Enter opens)
    browser.await("#browse-status").click(); // the page has the focus, not a form field
    browser.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
    WebElement detail = browser.await("#records .record-detail");
    assertThat(detail.getText()).contains("source: console").contains("\"note\": ").contains("needle-xyz");
    assertThat(browser.scrollsHorizontally()).isFalse();
    browser.screenshot("messages");
  }

  @Test
  @Order(4)
  void scriptAndHtmlInRecordsAreShownAsTextAndNeverRun() throws Exception {
    String script = "<script>window.__brookPwned = 1</script>";
    String image = "<img src=x onerror=\"window.__brookPwned = 2\">";
    api.call("POST", "/api/topics/" + TOPIC + "/records", new JsonObject().put("records", new JsonArray()
        .add(new JsonObject().put("key", image).put("value", script).put("partition", 0).put("headers", new JsonObject().put("h", image)))
        .add(new JsonObject().put("key", "x").put("value", image).put("partition", 0))).encode());
    browser.open("/topics/" + TOPIC + "?tab=messages&partition=0&from=earliest&filter=__brookPwned&limit=100");
    browser.waiting(Duration.ofSeconds(20)).until(d -> browser.all("#records .record").size() == 2);
    for (int i = 0; i < 2; i++) {
      browser.all("#records .record .record-head").get(i).click(); // a click redraws the list: look the row up again
    }
    browser.waiting(Duration.ofSeconds(5)).until(d -> browser.all("#records .record-detail").size() == 2);
    String text = browser.await("#records").getText();
    assertThat(text).contains(script).contains(image);
    assertThat(browser.all("#records img, #records script")).as("no element made of a record").isEmpty();
    assertThat(browser.script("return window.__brookPwned === undefined")).isEqualTo(true);
  }

  @Test
  @Order(5)
  void theLiveTailShowsARecordTheCliProducesWithinASecond() throws Exception {
    browser.open("/topics/" + TOPIC + "?tab=messages");
    browser.await("#tail").click();
    browser.waiting(Duration.ofSeconds(10)).until(d -> browser.await("#browse-status").getText().contains("Waiting"));
    Path input = root.resolve("cli-input.txt");
    Files.writeString(input, "tailed-by-the-console\n");
    Process cli = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
        System.getProperty("java.class.path"), BrookCli.class.getName(), "--bootstrap", "127.0.0.1:" + cluster.httpPort(2),
        "produce", TOPIC).redirectInput(input.toFile()).redirectErrorStream(true)
        .redirectOutput(root.resolve("cli-output.txt").toFile()).start();
    assertThat(cli.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(cli.exitValue()).as(Files.readString(root.resolve("cli-output.txt"))).isZero();
    long produced = System.nanoTime();
    browser.waiting(Duration.ofSeconds(5)).until(d -> browser.await("#records").getText().contains("tailed-by-the-console"));
    long shownMs = (System.nanoTime() - produced) / 1_000_000;
    assertThat(shownMs).as("shown %d ms after the CLI's produce returned", shownMs).isLessThanOrEqualTo(1000);
    browser.await("#tail").click();
  }

  @Test
  @Order(6)
  void aGroupsLagAppearsAndDropsToZeroLiveThenItsOffsetsAreResetWithAPreview() throws Exception {
    String group = "console-readers";
    long end = api.call("GET", "/api/topics/" + TOPIC, null).getJsonArray("partitions").stream()
        .mapToLong(p -> ((JsonObject) p).getLong("highWatermark")).sum();
    JsonObject consumer = api.call("POST", "/api/groups/" + group + "/consumers",
        new JsonObject().put("topics", new JsonArray().add(TOPIC)).put("autoOffsetReset", "earliest").encode());
    String records = "/api/groups/" + group + "/consumers/" + consumer.getString("instanceId") + "/records";
    // the first poll joins; commit a little, so the group has a lag the page shows
    JsonArray firstRecords = await().atMost(Duration.ofSeconds(60)).until(
        () -> api.call("GET", records + "?maxWaitMs=1000&limit=5", null).getJsonArray("records"), r -> !r.isEmpty());
    commit(group, consumer.getString("instanceId"), firstRecords);

    browser.open("/groups/" + group);
    browser.script("window.__samePage = true");
    browser.waiting(Duration.ofSeconds(20)).until(d -> !browser.await("#total-lag").getText().equals("0")
        && !browser.await("#total-lag").getText().equals("–"));
    long shownLag = Long.parseLong(browser.await("#total-lag").getText().replace(",", ""));
    assertThat(shownLag).isPositive().isLessThan(end);
    browser.screenshot("group-lag");

    // the consumer catches up and commits: the page's lag drops to 0 by itself
    List<Object> all = new ArrayList<>();
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      JsonArray batch = api.call("GET", records + "?maxWaitMs=500&limit=1000", null).getJsonArray("records");
      all.addAll(batch.getList());
      commit(group, consumer.getString("instanceId"), batch);
      return api.call("GET", "/api/groups/" + group, null).getLong("totalLag") == 0;
    });
    browser.waiting(Duration.ofSeconds(10)).until(d -> browser.await("#total-lag").getText().equals("0"));
    assertThat(browser.script("return window.__samePage === true")).as("no reload").isEqualTo(true);

    api.call("DELETE", "/api/groups/" + group + "/consumers/" + consumer.getString("instanceId"), null);
    browser.waiting(Duration.ofSeconds(30)).until(d -> browser.await("#group-state").getText().equals("Empty"));
    browser.waiting(Duration.ofSeconds(10)).until(d -> browser.await("#reset-form select[name=to]").isEnabled());
    new Select(browser.await("#reset-form select[name=to]")).selectByValue("earliest");
    browser.await("#reset-form button[type=submit]").click();
    WebElement plan = browser.await("#reset-plan table");
    assertThat(plan.findElements(By.cssSelector("tbody tr"))).hasSize(3);
    assertThat(api.call("GET", "/api/groups/" + group, null).getLong("totalLag")).as("a preview changes nothing").isZero();
    browser.await("#apply-reset").click();
    browser.waiting(Duration.ofSeconds(20)).until(d -> browser.await("#total-lag").getText().replace(",", "").equals(String.valueOf(end))
        || Long.parseLong(browser.await("#total-lag").getText().replace(",", "")) >= end);
    assertThat(api.call("GET", "/api/groups/" + group, null).getLong("totalLag")).isGreaterThanOrEqualTo(end);
    browser.screenshot("group-reset");
  }

  private void commit(String group, String instance, JsonArray records) throws Exception {
    if (records.isEmpty()) {
      return;
    }
    JsonArray offsets = new JsonArray();
    for (Object o : records) {
      JsonObject r = (JsonObject) o;
      offsets.add(new JsonObject().put("topic", r.getString("topic")).put("partition", r.getInteger("partition"))
          .put("offset", r.getLong("offset") + 1));
    }
    api.call("POST", "/api/groups/" + group + "/consumers/" + instance + "/offsets", new JsonObject().put("offsets", offsets).encode());
  }

  @Test
  @Order(7)
  void recordsArePurgedBelowAnOffsetFromTheTopicPage() throws Exception {
    api.call("POST", "/api/topics", new JsonObject().put("name", "purged").put("partitions", 1).put("replicationFactor", 3).encode());
    JsonArray ten = new JsonArray();
    for (int i = 0; i < 10; i++) {
      ten.add(new JsonObject().put("value", "r" + i));
    }
    api.call("POST", "/api/topics/purged/records", new JsonObject().put("records", ten).encode());
    browser.open("/topics/purged");
    browser.await("details.tools summary").click();
    browser.await("#purge-form input[name=offset]").sendKeys("6");
    browser.await("#purge-form button[type=submit]").click();
    browser.waiting(Duration.ofSeconds(20)).until(d -> browser.await("#toast").getText().contains("starts at 6"));
    assertThat(api.call("GET", "/api/topics/purged", null).getJsonArray("partitions").getJsonObject(0).getLong("logStartOffset"))
        .isEqualTo(6);
    // the partitions table follows by itself: log start 6, 4 records
    browser.waiting(Duration.ofSeconds(10)).until(d -> browser.await("#partitions-table tr[data-partition='0']").getText()
        .matches("0 \\S+ .* 6 10 4 .*"));
  }

  @Test
  @Order(8)
  void aBrokerKilledWithSigkillShowsAsFencedAndItsPartitionsNewLeadersAppearWithoutAReload() throws Exception {
    JsonObject topic = api.call("GET", "/api/topics/" + TOPIC, null);
    // kill a broker that leads partition 0 (never node 1, which serves the page)
    int victim = topic.getJsonArray("partitions").getJsonObject(0).getInteger("leader");
    if (victim == 1) {
      api.call("POST", "/api/topics/" + TOPIC + "/partitions/0/reassign", new JsonObject().put("replicas", new JsonArray().add(2).add(3).add(1)).encode());
      api.call("POST", "/api/partitions/elect-leaders", new JsonObject().put("partitions", new JsonArray().add(TOPIC + ":0")).encode());
      await().atMost(Duration.ofSeconds(30)).until(() -> api.call("GET", "/api/topics/" + TOPIC, null)
          .getJsonArray("partitions").getJsonObject(0).getInteger("leader") == 2);
      victim = 2;
    }
    // the cluster page in one tab, the topic page in another: both must follow the kill by themselves
    String victimId = String.valueOf(victim);
    browser.open("/");
    browser.script("window.__samePage = true");
    browser.waiting(Duration.ofSeconds(20)).until(d -> browser.all("#brokers-table tbody tr[data-state=UNFENCED]").size() == 3);
    String clusterTab = browser.driver.getWindowHandle();
    browser.driver.switchTo().newWindow(WindowType.TAB);
    browser.open("/topics/" + TOPIC);
    browser.script("window.__samePage = true");
    browser.waiting(Duration.ofSeconds(20)).until(d -> victimId.equals(browser.await("#partitions-table tr[data-partition='0']").getAttribute("data-leader")));
    cluster.broker(victim).kill();
    browser.waiting(Duration.ofSeconds(60)).until(d -> {
      String leader = browser.await("#partitions-table tr[data-partition='0']").getAttribute("data-leader");
      return !leader.equals(victimId) && !leader.equals("-1");
    });
    assertThat(browser.script("return window.__samePage === true")).as("no reload").isEqualTo(true);
    browser.screenshot("topic-after-kill");
    browser.driver.close();
    browser.driver.switchTo().window(clusterTab);
    browser.waiting(Duration.ofSeconds(60)).until(d -> "FENCED".equals(
        browser.await("#brokers-table tr[data-broker='" + victimId + "']").getAttribute("data-state")));
    assertThat(browser.await("#brokers-table tr[data-broker='" + victimId + "']").getText()).contains("FENCED");
    assertThat(browser.script("return window.__samePage === true")).as("no reload").isEqualTo(true);
    browser.screenshot("cluster-broker-down");
  }
}
