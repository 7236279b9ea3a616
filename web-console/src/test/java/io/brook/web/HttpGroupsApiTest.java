package io.brook.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.protocol.Addresses;
import io.brook.protocol.GroupApi;
import io.brook.protocol.message.FindCoordinatorRequest;
import io.brook.protocol.message.FindCoordinatorResponse;
import io.brook.protocol.message.JoinGroupRequest;
import io.brook.protocol.message.JoinGroupResponse;
import io.brook.protocol.message.LeaveGroupRequest;
import io.brook.protocol.message.OffsetCommitRequest;
import io.brook.protocol.message.OffsetCommitResponse;
import io.brook.protocol.message.SyncGroupRequest;
import io.brook.protocol.message.SyncGroupResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consumer group routes against a real broker: a member (this test, over the event bus) owns
 * both partitions of a topic and has committed one offset; the API lists and describes the group
 * with its lag, refuses to reset or delete it while the member is there, then (member gone) plans
 * and applies resets of every kind and deletes it.
 */
class HttpGroupsApiTest {
  @TempDir
  static Path dataDir;
  static BrookNode node;

  @BeforeAll
  static void start() {
    node = new BrookNode(dataDir, new JsonObject().put("offsets.topic.num.partitions", 2)
        .put("group.initial.rebalance.delay.ms", 0));
    assertThat(node.post("/api/topics", new JsonObject().put("name", "gt").put("partitions", 2).encode()).statusCode())
        .isEqualTo(201);
    for (int p = 0; p < 2; p++) {
      JsonArray records = new JsonArray();
      for (int i = 0; i < 10; i++) {
        records.add(new JsonObject().put("value", "v" + i).put("partition", p).put("timestamp", 1_000L * (i + 1)));
      }
      HttpResponse<String> produced = node.post("/api/topics/gt/records", new JsonObject().put("records", records).encode());
      assertThat(produced.statusCode()).as(produced.body()).isEqualTo(200);
    }
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static <T> T call(String address, Object request) {
    return node.vertx.eventBus().<T>request(address, request).await().body();
  }

  static JsonObject ok(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  static JsonObject reset(String group, JsonObject body) {
    return ok(node.post("/api/groups/" + group + "/offsets", body.encode()));
  }

  /** A member owning gt-0 and gt-1 that committed offset 3 of gt-0; answers its member id. */
  static String joinAndCommit(String group) {
    int coordinator = await().atMost(Duration.ofSeconds(30)).until(() -> HttpGroupsApiTest.<FindCoordinatorResponse>call(
        Addresses.FIND_COORDINATOR, FindCoordinatorRequest.group(group)), r -> r.error() == null).nodeId();
    byte[] subscription = ConsumerProtocol.serializeSubscription(
        new ConsumerPartitionAssignor.Subscription(List.of("gt"))).array();
    JoinGroupRequest join = new JoinGroupRequest(group, 10_000, 10_000, "", null, "consumer",
        List.of(new JoinGroupRequest.Protocol("range", subscription)), "cli-1", null);
    JoinGroupResponse first = await().atMost(Duration.ofSeconds(30)).until(
        () -> call(GroupApi.JOIN_GROUP.address(coordinator), join),
        r -> !Errors.COORDINATOR_LOAD_IN_PROGRESS.name().equals(r.error()));
    String member = first.memberId();
    JoinGroupResponse joined = call(GroupApi.JOIN_GROUP.address(coordinator), new JoinGroupRequest(group, 10_000,
        10_000, member, null, "consumer", join.protocols(), "cli-1", null));
    ByteBuffer assignment = ConsumerProtocol.serializeAssignment(new ConsumerPartitionAssignor.Assignment(
        List.of(new TopicPartition("gt", 0), new TopicPartition("gt", 1))));
    byte[] bytes = new byte[assignment.remaining()];
    assignment.get(bytes);
    SyncGroupResponse synced = call(GroupApi.SYNC_GROUP.address(coordinator), new SyncGroupRequest(group,
        joined.generationId(), member, null, "consumer", "range", List.of(new SyncGroupRequest.Assignment(member, bytes))));
    assertThat(synced.error()).isNull();
    OffsetCommitResponse committed = call(GroupApi.OFFSET_COMMIT.address(coordinator), new OffsetCommitRequest(group,
        joined.generationId(), member, null, List.of(new OffsetCommitRequest.Offset("gt", 0, 3, 0, ""))));
    assertThat(committed.partitions()).allSatisfy(p -> assertThat(p.error()).isNull());
    return member;
  }

  @Test
  void aGroupIsListedDescribedWithLagResetAndDeleted() {
    String member = joinAndCommit("web");
    JsonObject listed = ok(node.get("/api/groups"));
    assertThat(listed.getJsonArray("groups").stream().map(g -> ((JsonObject) g).getString("groupId") + ":"
        + ((JsonObject) g).getString("state"))).contains("web:Stable");

    JsonObject described = ok(node.get("/api/groups/web"));
    assertThat(described.getString("state")).isEqualTo("Stable");
    assertThat(described.getJsonArray("members")).hasSize(1);
    assertThat(described.getJsonArray("members").getJsonObject(0).getJsonArray("partitions")).hasSize(2);
    JsonArray offsets = described.getJsonArray("offsets");
    assertThat(offsets.getJsonObject(0).getMap()).containsEntry("topic", "gt").containsEntry("partition", 0)
        .containsEntry("committedOffset", 3).containsEntry("logEndOffset", 10).containsEntry("lag", 7)
        .containsEntry("memberId", member);
    assertThat(offsets.getJsonObject(1).getMap()).containsEntry("partition", 1).containsEntry("committedOffset", -1)
        .doesNotContainKey("lag");
    assertThat(described.getLong("totalLag")).isEqualTo(7);

    HttpResponse<String> refused = node.post("/api/groups/web/offsets",
        new JsonObject().put("topic", "gt").put("to", "earliest").put("execute", true).encode());
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.body()).contains("NON_EMPTY_GROUP").contains("stop them first");
    assertThat(node.delete("/api/groups/web").statusCode()).isEqualTo(409);

    String coordinatorAddress = GroupApi.LEAVE_GROUP.address(described.getInteger("coordinator"));
    call(coordinatorAddress, new LeaveGroupRequest("web", List.of(new LeaveGroupRequest.Member(member, null))));

    JsonObject dryRun = reset("web", new JsonObject().put("topic", "gt").put("to", "offset").put("value", 5));
    assertThat(dryRun.getBoolean("executed")).isFalse();
    assertThat(dryRun.getJsonArray("partitions").stream().map(r -> ((JsonObject) r).getLong("newOffset")))
        .containsExactly(5L, 5L);
    assertThat(ok(node.get("/api/groups/web")).getJsonArray("offsets").getJsonObject(0).getLong("committedOffset"))
        .as("a dry run changes nothing").isEqualTo(3);

    reset("web", new JsonObject().put("topic", "gt").put("partitions", new JsonArray().add(0)).put("to", "shift")
        .put("value", -2).put("execute", true));
    assertThat(committed("web")).as("gt-1 has neither an offset nor an owner now").containsExactly(1L);
    reset("web", new JsonObject().put("topic", "gt").put("to", "latest").put("execute", true));
    assertThat(committed("web")).containsExactly(10L, 10L);
    reset("web", new JsonObject().put("topic", "gt").put("to", "datetime").put("value", "1970-01-01T00:00:04.500Z")
        .put("execute", true));
    assertThat(committed("web")).as("the first record at or after 4.5 s").containsExactly(4L, 4L);
    reset("web", new JsonObject().put("topic", "gt").put("to", "offset").put("value", 99).put("execute", true));
    assertThat(committed("web")).as("kept within the log").containsExactly(10L, 10L);
    reset("web", new JsonObject().put("topic", "gt").put("to", "earliest").put("execute", true));
    assertThat(committed("web")).containsExactly(0L, 0L);

    assertThat(ok(node.delete("/api/groups/web")).getBoolean("deleted")).isTrue();
    assertThat(node.get("/api/groups/web").statusCode()).isEqualTo(404);
  }

  static List<Long> committed(String group) {
    return ok(node.get("/api/groups/" + group)).getJsonArray("offsets").stream()
        .map(r -> ((JsonObject) r).getLong("committedOffset")).toList();
  }

  @Test
  void badResetRequestsGetOneClearError() {
    assertThat(node.post("/api/groups/x/offsets", new JsonObject().put("to", "earliest").encode()).body())
        .contains("'topic'");
    assertThat(node.post("/api/groups/x/offsets", new JsonObject().put("topic", "gt").put("to", "sideways").encode())
        .body()).contains("'to' must be");
    assertThat(node.post("/api/groups/x/offsets", new JsonObject().put("topic", "gt").put("to", "offset").encode())
        .statusCode()).isEqualTo(400);
    assertThat(node.post("/api/groups/x/offsets", new JsonObject().put("topic", "nope").put("to", "earliest").encode())
        .statusCode()).isEqualTo(404);
    assertThat(node.post("/api/groups/x/offsets", new JsonObject().put("topic", "gt").put("partitions",
        new JsonArray().add(7)).put("to", "earliest").encode()).statusCode()).isEqualTo(404);
    HttpResponse<String> shift = node.post("/api/groups/fresh/offsets", new JsonObject().put("topic", "gt")
        .put("to", "shift").put("value", 1).encode());
    assertThat(shift.statusCode()).isEqualTo(400);
    assertThat(shift.body()).contains("no committed offset");
    assertThat(node.get("/api/groups/never-seen").statusCode()).isEqualTo(404);
  }
}
