package io.brook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.protocol.message.JoinGroupResponse;
import io.brook.protocol.message.SyncGroupRequest;
import io.brook.protocol.message.SyncGroupResponse;
import io.brook.server.ProcessCluster.Mode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three broker processes (ZooKeeper mode; the cli module's GroupConsumeProcessesTest runs Hazelcast);
 * a group's coordinator is killed with SIGKILL while a member commits, and
 * again between the join and the sync of a rebalance; then every broker is killed and restarted.
 * Every acknowledged commit survives each time (the committed offset never goes below the last
 * acknowledged one), the group moves to the new leader of its __consumer_offsets partition, and a
 * generation number is never handed out twice.
 */
@Tag("integration")
class GroupCoordinatorFailoverTest {
  private static final String GROUP = "failover";
  private static final String TOPIC = "data";
  @TempDir
  Path root;

  @Test
  void commitsAndGenerationsSurviveCoordinatorKillsAndAFullRestart() throws Exception {
    Map<String, Object> keys = Map.of("offsets.topic.num.partitions", 3, "group.initial.rebalance.delay.ms", 0);
    // ZooKeeper here, Hazelcast in the cli module's GroupConsumeProcessesTest: groups work in both modes
    try (ProcessCluster cluster = new ProcessCluster(root, Mode.ZOOKEEPER, keys)) {
      cluster.startAll(1, 2, 3);
      cluster.createTopic(TOPIC, 1, 3, Map.of());
      RawGroupMember a = new RawGroupMember(cluster, GROUP, "a");
      JoinGroupResponse first = a.join();
      assertThat(first.leader()).isEqualTo(a.memberId);
      assertThat(a.sync(List.of(new SyncGroupRequest.Assignment(a.memberId, new byte[] {1}))).error()).isNull();

      // 1. the coordinator dies while the member commits
      AtomicLong lastAcked = new AtomicLong(-1);
      AtomicBoolean stop = new AtomicBoolean();
      CompletableFuture<Void> committer = CompletableFuture.runAsync(() -> {
        for (long offset = 1; !stop.get(); offset++) {
          if (!a.commit(TOPIC, offset)) {
            throw new AssertionError("commit of " + offset + " refused");
          }
          lastAcked.set(offset);
        }
      });
      await().atMost(Duration.ofSeconds(30)).until(() -> lastAcked.get() >= 50);
      int killed = a.coordinator();
      cluster.broker(killed).kill();
      long ackedAtKill = lastAcked.get();
      await().atMost(Duration.ofSeconds(90)).until(() -> lastAcked.get() >= ackedAtKill + 50 || committer.isDone());
      stop.set(true);
      committer.get(90, TimeUnit.SECONDS);
      assertThat(a.coordinator()).as("the group moved to another broker").isNotEqualTo(killed);
      assertThat(a.committed(TOPIC)).isEqualTo(lastAcked.get());
      cluster.start(killed);

      // 2. the coordinator dies between the join and the sync of a rebalance
      RawGroupMember b = new RawGroupMember(cluster, GROUP, "b");
      CompletableFuture<JoinGroupResponse> bJoined = CompletableFuture.supplyAsync(b::join);
      await().atMost(Duration.ofSeconds(30)).until(() -> Errors.REBALANCE_IN_PROGRESS.name().equals(a.heartbeat()));
      JoinGroupResponse second = a.join();
      JoinGroupResponse secondB = bJoined.get(60, TimeUnit.SECONDS);
      assertThat(second.generationId()).isGreaterThan(first.generationId()).isEqualTo(secondB.generationId());
      int coordinatorBeforeSync = a.coordinator();
      cluster.broker(coordinatorBeforeSync).kill();
      SyncGroupResponse lost = a.sync(List.of(new SyncGroupRequest.Assignment(a.memberId, new byte[] {1}),
          new SyncGroupRequest.Assignment(b.memberId, new byte[] {2})));
      assertThat(lost.error()).as("the new coordinator loaded a generation without assignments: join again")
          .isEqualTo(Errors.REBALANCE_IN_PROGRESS.name());
      CompletableFuture<JoinGroupResponse> bAgain = CompletableFuture.supplyAsync(b::join);
      JoinGroupResponse third = a.join();
      assertThat(bAgain.get(60, TimeUnit.SECONDS).generationId()).isEqualTo(third.generationId());
      assertThat(third.generationId()).as("never handed out twice").isGreaterThan(second.generationId());
      String leader = third.leader();
      RawGroupMember follower = leader.equals(a.memberId) ? b : a;
      RawGroupMember theLeader = leader.equals(a.memberId) ? a : b;
      CompletableFuture<SyncGroupResponse> followerSync = CompletableFuture.supplyAsync(() -> follower.sync(List.of()));
      assertThat(theLeader.sync(List.of(new SyncGroupRequest.Assignment(a.memberId, new byte[] {1}),
          new SyncGroupRequest.Assignment(b.memberId, new byte[] {2}))).error()).isNull();
      assertThat(followerSync.get(60, TimeUnit.SECONDS).assignment()).containsExactly(follower == a ? 1 : 2);
      assertThat(a.committed(TOPIC)).as("offsets survived the second kill").isEqualTo(lastAcked.get());
      assertThat(a.commit(TOPIC, lastAcked.get() + 1)).isTrue();
      cluster.start(coordinatorBeforeSync);

      // 3. every broker killed and restarted
      for (int id = 1; id <= 3; id++) {
        cluster.broker(id).kill();
      }
      cluster.startAll(1, 2, 3);
      assertThat(new RawGroupMember(cluster, GROUP, "reader").committed(TOPIC)).isEqualTo(lastAcked.get() + 1);
    }
  }
}
