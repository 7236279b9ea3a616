package io.brook.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.server.ProcessCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scenario with real processes: three brokers, a 6-partition RF 3 topic, three
 * {@code brook consume --group} processes (each talking to another node) share the partitions two
 * each and print every record exactly once; one is killed with SIGKILL and its partitions go to the
 * other two, which print every later record (and perhaps some again: at least once); stopped with
 * SIGTERM they commit and leave, and the group's lag is 0.
 */
@Tag("integration")
class GroupConsumeProcessesTest {
  private static final String TOPIC = "work";
  private static final String GROUP = "workers";
  @TempDir
  Path root;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private ProcessCluster cluster;

  private JsonObject call(String method, int node, String path, String body) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.httpPort(node) + path))
        .timeout(Duration.ofSeconds(30)).header("content-type", "application/json");
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as("%s %s: %s", method, path, answer.body()).isBetween(200, 201);
    return new JsonObject(answer.body());
  }

  private void produce(int from, int to) throws Exception {
    for (int start = from; start < to; start += 500) {
      JsonArray records = new JsonArray();
      for (int i = start; i < Math.min(to, start + 500); i++) {
        records.add(new JsonObject().put("key", "k" + i).put("value", "r-" + i));
      }
      call("POST", 1, "/api/topics/" + TOPIC + "/records", new JsonObject().put("records", records).encode());
    }
  }

  private Process consumer(int node, Path output) throws IOException {
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
        System.getProperty("java.class.path"), BrookCli.class.getName(), "--bootstrap",
        "127.0.0.1:" + cluster.httpPort(node), "consume", TOPIC, "--group", GROUP, "--from-beginning"));
    return new ProcessBuilder(command).redirectOutput(output.toFile())
        .redirectError(new File(output + ".err")).start();
  }

  /** The complete lines printed so far (a line being written is not counted until its newline is there). */
  private static List<String> lines(Path output) throws IOException {
    if (!Files.exists(output)) {
      return List.of();
    }
    String text = Files.readString(output, StandardCharsets.UTF_8);
    int end = text.lastIndexOf('\n');
    return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n"));
  }

  private JsonObject group() throws IOException, InterruptedException {
    return call("GET", 1, "/api/groups/" + GROUP, null);
  }

  @Test
  void threeConsumerProcessesShareAPartitionedTopicAndSurviveAKill() throws Exception {
    cluster = new ProcessCluster(root, ProcessCluster.Mode.HAZELCAST, Map.of("offsets.topic.num.partitions", 3,
        "http.consumer.instance.timeout.ms", 5_000));
    List<Process> consumers = new ArrayList<>();
    try {
      cluster.startAll(1, 2, 3);
      cluster.createTopic(TOPIC, 6, 3, Map.of());
      Path[] outputs = {root.resolve("c1.out"), root.resolve("c2.out"), root.resolve("c3.out")};
      for (int i = 0; i < 3; i++) {
        consumers.add(consumer(i + 1, outputs[i]));
      }
      // one generation: the initial rebalance delay (3 s) lets the three join together
      JsonObject stable = await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(this::group,
          g -> "Stable".equals(g.getString("state")) && g.getJsonArray("members").size() == 3);
      assertThat(stable.getJsonArray("members")).allSatisfy(m ->
          assertThat(((JsonObject) m).getJsonArray("partitions")).as("each member owns 2 partitions").hasSize(2));

      produce(0, 3000);
      await().atMost(Duration.ofSeconds(60)).until(() -> printed(outputs).size() >= 3000);
      List<String> firstRound = printed(outputs);
      assertThat(firstRound).as("exactly once while no member dies").hasSize(3000).doesNotHaveDuplicates();
      Map<Integer, Integer> perConsumer = new HashMap<>();
      for (int i = 0; i < 3; i++) {
        perConsumer.put(i, lines(outputs[i]).size());
      }
      assertThat(perConsumer.values()).as("every consumer got records").allMatch(n -> n > 0);

      consumers.get(0).destroyForcibly(); // SIGKILL: no commit of its last batch, no leave
      consumers.get(0).waitFor(10, TimeUnit.SECONDS);
      produce(3000, 6000);
      // its node closes its consumer after http.consumer.instance.timeout.ms; the group rebalances onto the two
      JsonObject afterKill = await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(this::group,
          g -> "Stable".equals(g.getString("state")) && g.getJsonArray("members").size() == 2);
      assertThat(afterKill.getJsonArray("members")).allSatisfy(m ->
          assertThat(((JsonObject) m).getJsonArray("partitions")).hasSize(3));
      await().atMost(Duration.ofSeconds(60)).until(() -> new HashSet<>(printed(outputs)).size() == 6000);
      Set<String> seen = new HashSet<>(printed(outputs));
      for (int i = 0; i < 6000; i++) {
        assertThat(seen).as("record %d printed at least once", i).contains("r-" + i);
      }

      for (Process p : consumers.subList(1, 3)) {
        p.destroy(); // SIGTERM: the CLI commits what it printed and leaves the group
      }
      for (Process p : consumers.subList(1, 3)) {
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      JsonObject done = await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(this::group,
          g -> "Empty".equals(g.getString("state")));
      assertThat(done.getLong("totalLag")).as("everything printed was committed").isZero();
      assertThat(lines(Path.of(outputs[1] + ".err"))).anyMatch(l -> l.startsWith("Processed a total of "));
    } finally {
      consumers.forEach(Process::destroyForcibly);
      cluster.close();
    }
  }

  private static List<String> printed(Path[] outputs) throws IOException {
    List<String> all = new ArrayList<>();
    for (Path output : outputs) {
      all.addAll(lines(output));
    }
    return all;
  }
}
