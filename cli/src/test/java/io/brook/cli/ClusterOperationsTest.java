package io.brook.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.cli.BrookCliEndToEndTest.Result;
import io.brook.server.ProcessCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Day-to-day operation of a real three-broker cluster (separate JVMs on Hazelcast, loopback) through bin/brook and
 * the HTTP API, as an operator would go: the cluster is healthy; topics placed by hand; reordering a partition's replicas keeps its leader
 * until a preferred election; a broker is killed and the cluster is unhealthy (broker down, under-replicated and
 * leaderless partitions) while the other nodes stay ready; the broker's decommission is refused with the partitions
 * it hosts and a plan, the plan's reassignments are run, and the forced removal makes the broker disappear from
 * {@code cluster describe} and {@code GET /api/cluster}.
 */
@Tag("integration")
class ClusterOperationsTest {
  @TempDir
  Path root;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private ProcessCluster cluster;

  private Result brook(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine line = BrookCli.commandLine(new BrookCli(new ByteArrayInputStream(new byte[0]), Map.of(),
        RecordingApi.TypedPrompt.none()));
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    List<String> full = new ArrayList<>(List.of("--bootstrap", "127.0.0.1:" + cluster.httpPort(1)));
    full.addAll(List.of(args));
    int exit = line.execute(full.toArray(new String[0]));
    return new Result(exit, out.toString(), err.toString());
  }

  private Result ok(String... args) {
    Result result = brook(args);
    assertThat(result.exit()).as("brook %s: %s", String.join(" ", args), result.err()).isZero();
    return result;
  }

  private HttpResponse<String> get(int nodeId, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.httpPort(nodeId) + path))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonObject partition(String topic, int partition) throws IOException, InterruptedException {
    HttpResponse<String> answer = get(1, "/api/topics/" + topic + "/partitions");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return new JsonObject(answer.body()).getJsonArray("partitions").getJsonObject(partition);
  }

  private static List<Integer> ids(JsonArray array) {
    return array.stream().map(id -> ((Number) id).intValue()).toList();
  }

  @Test
  void healthReassignmentAndDecommissionAsAnOperatorSeesThem() throws Exception {
    cluster = ProcessCluster.started(root, ProcessCluster.Mode.HAZELCAST, 3);
    try {
      ok("topics", "create", "ops", "--partitions", "3", "--replication-factor", "2");
      ok("topics", "create", "solo", "--partitions", "1", "--replication-factor", "1");
      ok("partitions", "reassign", "solo:0", "--replicas", "3", "--wait", "--timeout-ms", "60000");
      for (int p = 0; p < 3; p++) {
        cluster.awaitFullIsr("ops", p, 2);
      }

      // healthy: exit 0, and the same at /api/health with 200
      Result healthy = await().atMost(Duration.ofSeconds(60)).until(() -> brook("cluster", "health"), r -> r.exit() == 0);
      assertThat(healthy.out()).startsWith("Healthy: yes\nController: ")
          .contains("Brokers: 1, 2, 3\tDown: -\n")
          .contains("Leaderless partitions (0): -\n").contains("Under-replicated partitions (0): -\n")
          .contains("Metadata quorum: leader ");
      HttpResponse<String> healthyHttp = get(2, "/api/health");
      assertThat(healthyHttp.statusCode()).as(healthyHttp.body()).isEqualTo(200);
      assertThat(new JsonObject(healthyHttp.body()).getBoolean("healthy")).isTrue();

      // the documented reassignment rule: the same replicas reordered keep their leader until a preferred election
      JsonObject before = partition("ops", 0);
      int leader = before.getInteger("leader");
      List<Integer> reordered = new ArrayList<>(ids(before.getJsonArray("replicas")));
      reordered.remove(Integer.valueOf(leader));
      reordered.add(leader); // the other replica first: it becomes the preferred leader
      ok("partitions", "reassign", "ops:0", "--replicas", reordered.get(0) + "," + reordered.get(1), "--wait");
      // each broker answers describe from its own copy of the metadata: the one asked next may be a moment behind
      JsonObject after = await().atMost(Duration.ofSeconds(30)).until(() -> partition("ops", 0),
          p -> ids(p.getJsonArray("replicas")).equals(reordered));
      assertThat(after.getInteger("leader")).as("the old leader stays until a preferred election").isEqualTo(leader);
      ok("partitions", "elect-leaders", "--partition", "ops:0");
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(partition("ops", 0).getInteger("leader")).isEqualTo(reordered.get(0)));

      // kafka-topics' manual placement: each partition's replicas, the first leading; new partitions too
      ok("topics", "create", "placed", "--replica-assignment", "3:1,2:3");
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
        assertThat(ids(partition("placed", 0).getJsonArray("replicas"))).containsExactly(3, 1);
        assertThat(partition("placed", 0).getInteger("leader")).isEqualTo(3);
        assertThat(ids(partition("placed", 1).getJsonArray("replicas"))).containsExactly(2, 3);
        assertThat(partition("placed", 1).getInteger("leader")).isEqualTo(2);
      });
      ok("topics", "alter", "placed", "--partitions", "3", "--replica-assignment", "1:2");
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
          assertThat(ids(partition("placed", 2).getJsonArray("replicas"))).containsExactly(1, 2));
      Result unknownBroker = brook("topics", "create", "misplaced", "--replica-assignment", "9:1");
      assertThat(unknownBroker.exit()).isNotZero();
      assertThat(unknownBroker.err()).contains("INVALID_REPLICA_ASSIGNMENT").contains("broker 9");
      Result both = brook("topics", "create", "misplaced", "--replica-assignment", "1:2", "--partitions", "1");
      assertThat(both.exit()).isNotZero();
      assertThat(both.err()).contains("not both");
      ok("topics", "delete", "placed"); // the decommission below counts broker 3's replicas

      // broker 3 dies: unhealthy (exit 1, 503) with the reasons; the live nodes stay ready
      cluster.broker(3).kill();
      Result sick = await().atMost(Duration.ofSeconds(60))
          .until(() -> brook("cluster", "health"), r -> r.exit() == 1 && r.out().contains("Down: 3 (FENCED)")
              && r.out().contains("Leaderless partitions (1): solo:0"));
      assertThat(sick.out()).startsWith("Healthy: no\nReasons: broker 3 is FENCED; 1 partition(s) without a leader; ")
          .containsPattern("Under-replicated partitions \\([1-9]\\d*\\): ops:");
      assertThat(sick.err()).isEmpty();
      HttpResponse<String> sickHttp = get(2, "/api/health");
      assertThat(sickHttp.statusCode()).isEqualTo(503);
      JsonObject sickJson = new JsonObject(sickHttp.body());
      assertThat(sickJson.getBoolean("healthy")).isFalse();
      assertThat(sickJson.getJsonArray("leaderlessPartitions")).containsExactly("solo:0");
      assertThat(sickJson.getInteger("underReplicatedPartitionCount")).isPositive();
      assertThat(get(1, "/api/health/ready").statusCode()).isEqualTo(200);
      assertThat(get(2, "/api/health/live").statusCode()).isEqualTo(200);

      // decommission: refused with the partitions and a plan; the plan's moves run; then forced
      Result refused = brook("cluster", "remove-broker", "3");
      assertThat(refused.exit()).isEqualTo(1);
      assertThat(refused.err()).isEqualTo("Error: broker 3 still hosts " + refused.out().lines()
          .filter(l -> l.startsWith("  ")).count() + " partition replica(s); not removed (move them as shown above, "
          + "or give --force)\n");
      assertThat(refused.out()).startsWith("Broker 3 still hosts ").contains("solo:0")
          .contains("  bin/brook partitions reassign solo:0 --replicas ")
          .contains("Or remove it now: bin/brook cluster remove-broker 3 --force");
      List<String[]> moves = refused.out().lines().filter(l -> l.startsWith("  bin/brook partitions reassign ops:"))
          .map(l -> l.strip().substring("bin/brook ".length()).split(" ")).toList();
      assertThat(moves).isNotEmpty();
      for (String[] move : moves) {
        ok(move);
      }
      Result onlySolo = brook("cluster", "remove-broker", "3");
      assertThat(onlySolo.exit()).isEqualTo(1);
      assertThat(onlySolo.out()).startsWith("Broker 3 still hosts 1 partition replica(s): solo:0\n");
      assertThat(ok("cluster", "remove-broker", "3", "--force").out()).isEqualTo("Removed broker 3.\n");

      // gone from cluster describe and GET /api/cluster; no longer a reason in the health, solo:0 still is
      assertThat(ok("cluster", "describe").out().lines().skip(2).takeWhile(l -> !l.isEmpty())
          .map(l -> l.split(" +")[0])).containsExactly("1", "2");
      JsonArray brokers = new JsonObject(get(2, "/api/cluster").body()).getJsonArray("brokers");
      assertThat(brokers.stream().map(b -> ((JsonObject) b).getInteger("nodeId"))).containsExactly(1, 2);
      Result afterRemoval = brook("cluster", "health");
      assertThat(afterRemoval.exit()).isEqualTo(1);
      assertThat(afterRemoval.out()).contains("Brokers: 1, 2\tDown: -\n").contains("Leaderless partitions (1): solo:0");
    } finally {
      cluster.close();
    }
  }
}
