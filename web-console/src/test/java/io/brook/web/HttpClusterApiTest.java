package io.brook.web;

import static io.brook.web.HttpApiBadInputTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster administration routes against a real (single) broker: describe the cluster, add
 * partitions, elect leaders and reassign partitions; on one broker most elections and
 * reassignments have nothing to do, so these check those answers and bad input.
 */
class HttpClusterApiTest {
  @TempDir
  static Path dataDir;
  static BrookNode node;

  @BeforeAll
  static void start() {
    node = new BrookNode(dataDir);
    create("ct", 2);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static void create(String name, int partitions) {
    HttpResponse<String> created = node.post("/api/topics",
        new JsonObject().put("name", name).put("partitions", partitions).encode());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
  }

  static JsonObject ok(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    return new JsonObject(response.body());
  }

  static JsonObject unfencedCluster() {
    return Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> ok(node.get("/api/cluster")),
        cluster -> "UNFENCED".equals(cluster.getJsonArray("brokers").getJsonObject(0).getString("state")));
  }

  @Test
  void clusterDescribesTheControllerAndEveryBroker() {
    create("counted", 3);
    JsonObject cluster = unfencedCluster();
    assertThat(cluster.getInteger("controllerId")).isEqualTo(BrookNode.NODE_ID);
    assertThat(cluster.getLong("controllerEpoch")).isPositive();
    JsonArray brokers = cluster.getJsonArray("brokers");
    assertThat(brokers).hasSize(1);
    JsonObject broker = brokers.getJsonObject(0);
    assertThat(broker.getInteger("nodeId")).isEqualTo(BrookNode.NODE_ID);
    assertThat(broker.getString("host")).isNotBlank();
    assertThat(broker.getInteger("httpPort")).as("the configured port (0 here: any free one)").isZero();
    assertThat(broker.getInteger("bridgePort")).isEqualTo(node.bridgePort);
    assertThat(broker.getLong("brokerEpoch")).isNotNegative();
    assertThat(broker.getLong("lastHeartbeatAgeMs")).isBetween(0L, 10_000L);
    // every partition of every topic (other tests create more) is led by and hosted on the one broker
    int partitions = ok(node.get("/api/topics")).getJsonArray("topics").stream()
        .mapToInt(t -> ((JsonObject) t).getInteger("partitions")).sum();
    assertThat(partitions).isGreaterThanOrEqualTo(5);
    assertThat(broker.getInteger("leaderCount")).isGreaterThanOrEqualTo(5);
    assertThat(broker.getInteger("replicaCount")).isGreaterThanOrEqualTo(broker.getInteger("leaderCount"));
  }

  @Test
  void aHealthyNodeIsLiveReadyAndHealthy() {
    // proves: one unfenced broker with every partition led and in sync is healthy (200), and its probes say so
    unfencedCluster();
    assertThat(ok(node.get("/api/health/live")).getString("status")).isEqualTo("live");
    JsonObject ready = Awaitility.await().atMost(Duration.ofSeconds(20))
        .until(() -> node.get("/api/health/ready"), r -> r.statusCode() == 200)
        .body().transform(JsonObject::new);
    assertThat(ready.getString("status")).isEqualTo("ready");
    JsonObject health = ok(node.get("/api/health"));
    assertThat(health.getBoolean("healthy")).isTrue();
    assertThat(health.getJsonArray("reasons")).isEmpty();
    assertThat(health.getInteger("controllerId")).isEqualTo(BrookNode.NODE_ID);
    assertThat(health.getJsonArray("brokers")).containsExactly(BrookNode.NODE_ID);
    assertThat(health.getJsonArray("brokersDown")).isEmpty();
    assertThat(health.getInteger("leaderlessPartitionCount")).isZero();
    assertThat(health.getInteger("underReplicatedPartitionCount")).isZero();
    assertThat(health.getJsonObject("quorum").getInteger("leaderId")).isEqualTo(BrookNode.NODE_ID);
    assertThat(health.getJsonObject("quorum").getJsonArray("voters")).containsExactly(BrookNode.NODE_ID);
  }

  @Test
  void nodeTellsItsStateAndTheControllerEpoch() {
    unfencedCluster();
    JsonObject answer = ok(node.get("/api/node"));
    assertThat(answer.getString("state")).isEqualTo("UNFENCED");
    assertThat(answer.getInteger("controllerId")).isEqualTo(BrookNode.NODE_ID);
    assertThat(answer.getLong("controllerEpoch")).isPositive();
    assertThat(answer.containsKey("clusterError")).isFalse();
  }

  @Test
  void addPartitions() {
    create("grow", 2);
    JsonObject grown = ok(node.post("/api/topics/grow/partitions", "{\"count\":5}"));
    assertThat(grown.getString("name")).isEqualTo("grow");
    assertThat(grown.getJsonArray("partitions")).hasSize(5);
    assertThat(grown.getJsonArray("partitions").getJsonObject(4).getInteger("leader")).isEqualTo(BrookNode.NODE_ID);
    // the new partitions take records at once (the cache of this node was refreshed)
    HttpResponse<String> produced = node.post("/api/topics/grow/records",
        "{\"partition\":4,\"records\":[{\"value\":\"in the new partition\"}]}");
    assertThat(produced.statusCode()).as(produced.body()).isEqualTo(200);
    assertThat(ok(node.get("/api/topics/grow")).getJsonArray("partitions")).hasSize(5);

    assertError(node.post("/api/topics/grow/partitions", "{\"count\":5}"), 400, "INVALID_PARTITIONS", "5");
    assertError(node.post("/api/topics/grow/partitions", "{\"count\":3}"), 400, "INVALID_PARTITIONS", "3");
    assertError(node.post("/api/topics/grow/partitions", "{}"), 400, "INVALID_REQUEST", "count");
    assertError(node.post("/api/topics/grow/partitions", "{\"count\":0}"), 400, "INVALID_REQUEST", "count");
    assertError(node.post("/api/topics/grow/partitions", "{\"count\":\"six\"}"), 400, "INVALID_REQUEST", "count");
    assertError(node.post("/api/topics/grow/partitions", "six"), 400, "INVALID_REQUEST", "JSON");
    assertError(node.post("/api/topics/nope/partitions", "{\"count\":2}"), 404, "UNKNOWN_TOPIC_OR_PARTITION", "nope");
    assertError(node.post("/api/topics/bad%24name/partitions", "{\"count\":2}"), 400, "INVALID_TOPIC_EXCEPTION",
        "bad$name");
  }

  @Test
  void electLeadersAnswersPerPartition() {
    JsonObject preferred = ok(node.post("/api/partitions/elect-leaders",
        "{\"preferred\":true,\"partitions\":[\"ct:0\",\"ct:1\",\"ct:7\",\"nope:0\"]}"));
    assertThat(preferred.getJsonObject("results").getMap()).isEqualTo(Map.of(
        "ct:0", "ELECTION_NOT_NEEDED", "ct:1", "ELECTION_NOT_NEEDED",
        "ct:7", "UNKNOWN_TOPIC_OR_PARTITION", "nope:0", "UNKNOWN_TOPIC_OR_PARTITION"));

    JsonObject unclean = ok(node.post("/api/partitions/elect-leaders", "{\"preferred\":false,\"partitions\":[\"ct:1\"]}"));
    assertThat(unclean.getJsonObject("results").getMap()).isEqualTo(Map.of("ct:1", "ELECTION_NOT_NEEDED"));

    // no partitions: all of them, preferred by default; every one already has its preferred leader
    JsonObject all = ok(node.post("/api/partitions/elect-leaders", "{}"));
    assertThat(all.getJsonObject("results").fieldNames()).contains("ct:0", "ct:1");
    assertThat(all.getJsonObject("results").getMap().values()).containsOnly("ELECTION_NOT_NEEDED");
  }

  @Test
  void electLeadersRefusesBadInput() {
    String route = "/api/partitions/elect-leaders";
    assertError(node.post(route, "{\"partitions\":[\"ct\"]}"), 400, "INVALID_REQUEST", "topic:partition");
    assertError(node.post(route, "{\"partitions\":[\"ct:\"]}"), 400, "INVALID_REQUEST", "topic:partition");
    assertError(node.post(route, "{\"partitions\":[\":0\"]}"), 400, "INVALID_REQUEST", "topic:partition");
    assertError(node.post(route, "{\"partitions\":[\"ct:x\"]}"), 400, "INVALID_REQUEST", "ct:x");
    assertError(node.post(route, "{\"partitions\":[\"ct:-1\"]}"), 400, "INVALID_REQUEST", "ct:-1");
    assertError(node.post(route, "{\"partitions\":[\"b$d:0\"]}"), 400, "INVALID_TOPIC_EXCEPTION", "b$d");
    assertError(node.post(route, "{\"partitions\":\"ct:0\"}"), 400, "INVALID_REQUEST", "partitions");
    assertError(node.post(route, "{\"partitions\":[0]}"), 400, "INVALID_REQUEST", "partitions");
    assertError(node.post(route, "{\"preferred\":\"yes\"}"), 400, "INVALID_REQUEST", "preferred");
    assertError(node.post(route, ""), 400, "INVALID_REQUEST", "JSON object");
    assertError(node.get(route), 404, "INVALID_REQUEST", "no such resource");
  }

  @Test
  void reassignToTheCurrentReplicasIsDoneAtOnce() {
    JsonObject same = ok(node.post("/api/topics/ct/partitions/0/reassign", "{\"replicas\":[1]}"));
    assertThat(same.getString("topic")).isEqualTo("ct");
    assertThat(same.getInteger("partition")).isZero();
    assertThat(same.getInteger("leader")).isEqualTo(BrookNode.NODE_ID);
    assertThat(same.getJsonArray("replicas")).containsExactly(1);
    assertThat(same.getJsonArray("isr")).containsExactly(1);
    assertThat(same.getJsonArray("targetReplicas")).containsExactly(1);
    assertThat(same.getBoolean("reassigning")).isFalse();
  }

  @Test
  void reassignRefusesBadInputAndCancelsNothing() {
    String route = "/api/topics/ct/partitions/1/reassign";
    assertError(node.post(route, "{\"replicas\":[2]}"), 400, "INVALID_REPLICA_ASSIGNMENT", "not registered");
    assertError(node.post(route, "{\"replicas\":[1,2]}"), 400, "INVALID_REPLICA_ASSIGNMENT", "2");
    assertError(node.post(route, "{\"replicas\":[1,1]}"), 400, "INVALID_REQUEST", "twice");
    assertError(node.post(route, "{\"replicas\":[\"1\"]}"), 400, "INVALID_REQUEST", "broker ids");
    assertError(node.post(route, "{\"replicas\":[-1]}"), 400, "INVALID_REQUEST", "broker ids");
    assertError(node.post(route, "{\"replicas\":1}"), 400, "INVALID_REQUEST", "replicas");
    assertError(node.post(route, "[1]"), 400, "INVALID_REQUEST", "JSON object");
    assertError(node.post("/api/topics/ct/partitions/9/reassign", "{\"replicas\":[1]}"), 404,
        "UNKNOWN_TOPIC_OR_PARTITION", "9");
    assertError(node.post("/api/topics/ct/partitions/x/reassign", "{\"replicas\":[1]}"), 400, "INVALID_REQUEST",
        "partition");
    assertError(node.post("/api/topics/nope/partitions/0/reassign", "{\"replicas\":[1]}"), 404,
        "UNKNOWN_TOPIC_OR_PARTITION", "nope");

    // empty or absent replicas, or DELETE: cancel, and there is nothing to cancel
    assertError(node.post(route, "{}"), 409, "NO_REASSIGNMENT_IN_PROGRESS", "not being reassigned");
    assertError(node.post(route, "{\"replicas\":[]}"), 409, "NO_REASSIGNMENT_IN_PROGRESS", "ct-1");
    assertError(node.delete(route), 409, "NO_REASSIGNMENT_IN_PROGRESS", "ct-1");

    // the partition is as it was
    JsonObject partition = ok(node.get("/api/topics/ct/partitions")).getJsonArray("partitions").getJsonObject(1);
    assertThat(partition.getJsonArray("replicas")).containsExactly(1);
    assertThat(partition.getInteger("leader")).isEqualTo(BrookNode.NODE_ID);
  }
}
