package io.brook.groups;

import static io.brook.groups.ShardDriver.RANGE;
import static io.brook.groups.ShardDriver.REBALANCE_MS;
import static io.brook.groups.ShardDriver.SESSION_MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.brook.groups.GroupMessages.JoinGroupRequest;
import io.brook.groups.GroupMessages.JoinGroupResponse;
import io.brook.groups.GroupMessages.LeaveGroupRequest;
import io.brook.groups.GroupMessages.LeaveGroupResponse;
import io.brook.groups.GroupMessages.LeavingMember;
import io.brook.groups.GroupMessages.Protocol;
import io.brook.groups.GroupMessages.SyncGroupResponse;
import io.brook.groups.GroupRecords.GroupMetadataValue;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** The classic rebalance protocol, rule by rule, named after Kafka's GroupMetadataManagerTest. */
class ClassicGroupMembershipTest {
  private final ShardDriver d = new ShardDriver();

  @Test
  void testJoinGroupShouldReceiveErrorIfMemberIdRequired() {
    // proves: a new dynamic member gets its id first and holds no place until it comes back with it
    JoinGroupResponse r = d.reply(d.join("g", "", null, RANGE));
    assertThat(r.error()).isEqualTo(Errors.MEMBER_ID_REQUIRED);
    assertThat(r.memberId()).startsWith("client-");
    assertThat(d.shard.groupState("g")).isEqualTo(GroupState.EMPTY);
    d.advance(SESSION_MS + 1);
    // the pending member expired: coming back with the id now is an unknown member
    assertThat(d.shard.groupState("g")).isEqualTo(GroupState.DEAD);
    assertThat(((JoinGroupResponse) d.reply(d.join("g", r.memberId(), null, RANGE))).error())
        .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
  }

  @Test
  void testDelayInitialRebalanceByGroupInitialRebalanceDelayOnEmptyGroup() {
    // proves: the first rebalance of an empty group waits group.initial.rebalance.delay.ms (3000)
    long join = d.joinDynamic("g");
    assertThat(d.shard.groupState("g")).isEqualTo(GroupState.PREPARING_REBALANCE);
    d.advance(2_999);
    assertThat(d.answered(join)).isFalse();
    d.advance(1);
    JoinGroupResponse r = d.reply(join);
    assertThat(r.error()).isEqualTo(Errors.NONE);
    assertThat(r.generationId()).isEqualTo(1);
    assertThat(r.leader()).isEqualTo(r.memberId());
    assertThat(r.protocolName()).isEqualTo("range");
    assertThat(r.members()).hasSize(1);
    assertThat(d.shard.groupState("g")).isEqualTo(GroupState.COMPLETING_REBALANCE);
  }

  @Test
  void testDelayRebalanceUptoRebalanceTimeoutWhileNewMembersJoin() {
    // proves: members arriving during the delay extend it, so they all land in one generation
    long first = d.joinDynamic("g");
    d.advance(2_000);
    long second = d.joinDynamic("g");
    d.advance(1_000); // first delay ends; a member arrived, so it is extended by another 3000
    assertThat(d.answered(first)).isFalse();
    d.advance(3_000);
    JoinGroupResponse a = d.reply(first);
    JoinGroupResponse b = d.reply(second);
    assertThat(a.generationId()).isEqualTo(1).isEqualTo(b.generationId());
    assertThat(a.leader()).isEqualTo(a.memberId());
    assertThat(a.members()).hasSize(2);
    assertThat(b.members()).isEmpty();
  }

  @Test
  void testSyncGroupFollowerGetsLeadersAssignmentAsOpaqueBytes() {
    // proves: the leader's assignment is stored, persisted, and each follower gets its own bytes
    long j1 = d.joinDynamic("g");
    long j2 = d.joinDynamic("g");
    d.advance(6_000);
    JoinGroupResponse leader = d.reply(j1);
    JoinGroupResponse follower = d.reply(j2);
    long followerSync = d.sync("g", 1, follower.memberId(), null, Map.of());
    assertThat(d.answered(followerSync)).isFalse();
    int logBefore = d.log.size();
    long leaderSync = d.sync("g", 1, leader.memberId(), null,
        Map.of(leader.memberId(), new byte[] {10}, follower.memberId(), new byte[] {20, 21}));
    assertThat(((SyncGroupResponse) d.reply(leaderSync)).assignment()).containsExactly(10);
    assertThat(((SyncGroupResponse) d.reply(followerSync)).assignment()).containsExactly(20, 21);
    assertThat(d.shard.groupState("g")).isEqualTo(GroupState.STABLE);
    GroupMetadataValue written = (GroupMetadataValue) d.log.get(logBefore).value();
    assertThat(written.generation()).isEqualTo(1);
    assertThat(written.leader()).isEqualTo(leader.memberId());
    assertThat(written.members()).extracting(m -> m.assignment().length).containsExactly(1, 2);
  }

  @Test
  void testSyncGroupFromIllegalGeneration() {
    JoinGroupResponse joined = d.reply(d.joinDynamic("g"));
    d.advance(3_000);
    joined = d.reply(d.nextRequestId - 1);
    SyncGroupResponse r = d.reply(d.sync("g", joined.generationId() + 1, joined.memberId(), null, Map.of()));
    assertThat(r.error()).isEqualTo(Errors.ILLEGAL_GENERATION);
  }

  @Test
  void testSyncGroupFromUnknownMember() {
    d.stableGroupOfOne("g", new byte[] {1});
    SyncGroupResponse r = d.reply(d.sync("g", 1, "nobody", null, Map.of()));
    assertThat(r.error()).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
  }

  @Test
  void testHeartbeatDuringPreparingRebalance() {
    // proves: a member learns of a rebalance from its heartbeat
    JoinGroupResponse one = d.stableGroupOfOne("g", new byte[] {1});
    assertThat(d.heartbeat("g", 1, one.memberId(), null)).isEqualTo(Errors.NONE);
    d.joinDynamic("g");
    assertThat(d.shard.groupState("g")).isEqualTo(GroupState.PREPARING_REBALANCE);
    assertThat(d.heartbeat("g", 1, one.memberId(), null)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    assertThat(d.heartbeat("g", 0, one.memberId(), null)).isEqualTo(Errors.ILLEGAL_GENERATION);
    assertThat(d.heartbeat("g", 1, "nobody", null)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
  }

  @Test
  void testHeartbeatDuringCompletingRebalanceKeepsTheMemberAlive() {
    // proves: a member may heartbeat between its JoinGroup answer and its SyncGroup (Kafka: NONE),
    // and that heartbeat, not the join, is what keeps its session
    ShardDriver slow = new ShardDriver();
    JoinGroupResponse id1 = slow.reply(slow.join("g", "", null, RANGE, 10_000));
    long j1 = slow.join("g", id1.memberId(), null, RANGE, 10_000);
    JoinGroupResponse id2 = slow.reply(slow.join("g", "", null, RANGE, 10_000));
    long j2 = slow.join("g", id2.memberId(), null, RANGE, 10_000);
    slow.advance(6_000);
    JoinGroupResponse leader = slow.reply(j1);
    JoinGroupResponse follower = slow.reply(j2);
    assertThat(slow.shard.groupState("g")).isEqualTo(GroupState.COMPLETING_REBALANCE);
    for (int i = 0; i < 5; i++) { // 15 s, past the 10 s session
      slow.advance(3_000);
      assertThat(slow.heartbeat("g", 1, follower.memberId(), null)).isEqualTo(Errors.NONE);
      assertThat(slow.heartbeat("g", 1, leader.memberId(), null)).isEqualTo(Errors.NONE);
    }
    long followerSync = slow.sync("g", 1, follower.memberId(), null, Map.of());
    slow.sync("g", 1, leader.memberId(), null, Map.of(follower.memberId(), new byte[] {3}));
    assertThat(((SyncGroupResponse) slow.reply(followerSync)).assignment()).containsExactly(3);
  }

  @Test
  void testClassicGroupMemberSessionTimeout() {
    // proves: a member that stops heartbeating is removed after session.timeout.ms and the group rebalances
    JoinGroupResponse one = d.stableGroupOfOne("g", new byte[] {1});
    d.advance(SESSION_MS - 1);
    assertThat(d.heartbeat("g", 1, one.memberId(), null)).isEqualTo(Errors.NONE);
    d.advance(SESSION_MS);
    assertThat(d.heartbeat("g", 1, one.memberId(), null)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    // the last member gone: the group completes an empty generation and persists it
    assertThat(d.shard.groupState("g")).isEqualTo(GroupState.EMPTY);
    assertThat(d.shard.generationId("g")).isEqualTo(2);
    GroupMetadataValue last = (GroupMetadataValue) d.log.get(d.log.size() - 1).value();
    assertThat(last.members()).isEmpty();
    assertThat(last.generation()).isEqualTo(2);
  }

  @Test
  void testCompleteJoinRemoveNotYetRejoinedDynamicMembers() {
    // proves: after the rebalance timeout a member that did not rejoin is dropped; the others go on
    JoinGroupResponse leader = d.reply(d.joinDynamic("g"));
    long j2 = d.joinDynamic("g");
    d.advance(6_000);
    leader = d.reply(d.nextRequestId - 3);
    JoinGroupResponse follower = d.reply(j2);
    d.sync("g", 1, follower.memberId(), null, Map.of());
    d.sync("g", 1, leader.memberId(), null, Map.of());
    // the leader rejoins (a rebalance); the follower never does, though it heartbeats
    long rejoin = d.join("g", leader.memberId(), null, RANGE);
    assertThat(d.answered(rejoin)).isFalse();
    for (int t = 0; t < REBALANCE_MS; t += 5_000) {
      d.advance(5_000);
      if (!d.answered(rejoin)) {
        assertThat(d.heartbeat("g", 1, follower.memberId(), null)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
      }
    }
    JoinGroupResponse r = d.reply(rejoin);
    assertThat(r.generationId()).isEqualTo(2);
    assertThat(r.members()).extracting(GroupMessages.JoinedMember::memberId).containsExactly(leader.memberId());
    assertThat(d.heartbeat("g", 2, follower.memberId(), null)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
  }

  @Test
  void testLeaderFailureInSyncGroupAndPendingSyncExpiration() {
    // proves: members that never send SyncGroup are removed after the rebalance timeout, even
    // when their session (60 s here) is longer
    JoinGroupResponse id1 = d.reply(d.join("g", "", null, RANGE, 60_000));
    JoinGroupResponse id2 = d.reply(d.join("g", "", null, RANGE, 60_000));
    long j1 = d.join("g", id1.memberId(), null, RANGE, 60_000);
    long j2 = d.join("g", id2.memberId(), null, RANGE, 60_000);
    d.advance(6_000);
    JoinGroupResponse leader = d.reply(j1);
    JoinGroupResponse follower = d.reply(j2);
    long followerSync = d.sync("g", 1, follower.memberId(), null, Map.of());
    d.advance(REBALANCE_MS);
    // the leader never synced: it is gone, the follower's parked sync is told to rejoin
    assertThat(((SyncGroupResponse) d.reply(followerSync)).error()).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    assertThat(d.shard.groupState("g")).isEqualTo(GroupState.PREPARING_REBALANCE);
    long rejoin = d.join("g", follower.memberId(), null, RANGE, 60_000);
    JoinGroupResponse r = d.reply(rejoin);
    assertThat(r.generationId()).isEqualTo(2);
    assertThat(r.leader()).isEqualTo(follower.memberId());
    assertThat(d.heartbeat("g", 2, leader.memberId(), null)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
  }

  @Test
  void testStaticMemberGetsBackAssignmentUponRejoin() {
    // proves: KIP-345: a static member restarted within its session gets its partitions back, no rebalance
    long j1 = d.join("g", "", "instance-1", RANGE);
    long j2 = d.join("g", "", "instance-2", RANGE);
    d.advance(6_000);
    JoinGroupResponse a = d.reply(j1);
    JoinGroupResponse b = d.reply(j2);
    d.sync("g", 1, b.memberId(), "instance-2", Map.of());
    d.sync("g", 1, a.memberId(), "instance-1", Map.of(a.memberId(), new byte[] {1}, b.memberId(), new byte[] {2}));
    // instance-2 restarts: an empty member id with its instance id
    JoinGroupResponse again = d.reply(d.join("g", "", "instance-2", RANGE));
    assertThat(again.error()).isEqualTo(Errors.NONE);
    assertThat(again.generationId()).isEqualTo(1);
    assertThat(again.memberId()).isNotEqualTo(b.memberId());
    assertThat(d.shard.groupState("g")).isEqualTo(GroupState.STABLE);
    SyncGroupResponse s = d.reply(d.sync("g", 1, again.memberId(), "instance-2", Map.of()));
    assertThat(s.assignment()).containsExactly(2);
    // the member id is persisted, so a new coordinator knows it
    GroupMetadataValue last = (GroupMetadataValue) d.log.get(d.log.size() - 1).value();
    assertThat(last.members()).extracting(GroupRecords.MemberMetadata::memberId).contains(again.memberId());
    // the old incarnation is fenced; the leader never noticed anything
    assertThat(d.heartbeat("g", 1, b.memberId(), "instance-2")).isEqualTo(Errors.FENCED_INSTANCE_ID);
    assertThat(d.heartbeat("g", 1, a.memberId(), "instance-1")).isEqualTo(Errors.NONE);
  }

  @Test
  void testStaticMemberFenceDuplicateRejoinedFollower() {
    // proves: a second member with the same instance id fences the first, whose parked join fails
    long j1 = d.join("g", "", "instance-1", RANGE);
    long j2 = d.join("g", "", "instance-2", RANGE);
    d.advance(6_000);
    JoinGroupResponse leader = d.reply(j1);
    JoinGroupResponse follower = d.reply(j2);
    d.sync("g", 1, follower.memberId(), "instance-2", Map.of());
    d.sync("g", 1, leader.memberId(), "instance-1", Map.of());
    long rejoin = d.join("g", follower.memberId(), "instance-2", List.of(new Protocol("range", new byte[] {7})));
    assertThat(d.answered(rejoin)).isFalse(); // new metadata: a rebalance; the join waits for the leader
    long duplicate = d.join("g", "", "instance-2", RANGE);
    assertThat(((JoinGroupResponse) d.reply(rejoin)).error()).isEqualTo(Errors.FENCED_INSTANCE_ID);
    assertThat(d.answered(duplicate)).isFalse();
    long leaderRejoin = d.join("g", leader.memberId(), "instance-1", RANGE);
    JoinGroupResponse winner = d.reply(duplicate);
    assertThat(winner.error()).isEqualTo(Errors.NONE);
    assertThat(winner.generationId()).isEqualTo(2);
    assertThat(((JoinGroupResponse) d.reply(leaderRejoin)).members()).extracting(GroupMessages.JoinedMember::memberId)
        .containsExactly(leader.memberId(), winner.memberId());
    assertThat(d.heartbeat("g", 2, follower.memberId(), "instance-2")).isEqualTo(Errors.FENCED_INSTANCE_ID);
  }

  @Test
  void testLeaveGroupByMemberIdAndBatchByInstanceId() {
    long j1 = d.join("g", "", "i1", RANGE);
    long j2 = d.join("g", "", "i2", RANGE);
    long j3 = d.joinDynamic("g");
    d.advance(6_000);
    JoinGroupResponse a = d.reply(j1);
    JoinGroupResponse c = d.reply(j3);
    LeaveGroupResponse r = d.reply(d.send(id -> d.shard.leaveGroup(id, new LeaveGroupRequest("g", List.of(
        new LeavingMember("", "i1"), new LeavingMember("wrong-id", "i2"), new LeavingMember(c.memberId(), null),
        new LeavingMember("nobody", null))), d.nowMs)));
    assertThat(r.members()).extracting(GroupMessages.MemberLeft::error)
        .containsExactly(Errors.NONE, Errors.FENCED_INSTANCE_ID, Errors.NONE, Errors.UNKNOWN_MEMBER_ID);
    assertThat(d.heartbeat("g", 1, a.memberId(), "i1")).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    assertThat(((JoinGroupResponse) d.reply(j2)).generationId()).isEqualTo(1);
    assertThat(a.members()).hasSize(3);
    // i2 is left alone and the group rebalances around it
    assertThat(d.shard.groupState("g")).isEqualTo(GroupState.PREPARING_REBALANCE);
  }

  @Test
  void testJoinGroupInvalidSessionTimeoutAndGroupIdAndProtocol() {
    assertThat(((JoinGroupResponse) d.reply(d.join("g", "", null, RANGE, 5_999))).error())
        .isEqualTo(Errors.INVALID_SESSION_TIMEOUT);
    assertThat(((JoinGroupResponse) d.reply(d.join("g", "", null, RANGE, 1_800_001))).error())
        .isEqualTo(Errors.INVALID_SESSION_TIMEOUT);
    assertThat(((JoinGroupResponse) d.reply(d.join("", "", null, RANGE))).error()).isEqualTo(Errors.INVALID_GROUP_ID);
    assertThat(((JoinGroupResponse) d.reply(d.join("x".repeat(256), "", null, RANGE))).error())
        .isEqualTo(Errors.INVALID_GROUP_ID);
    assertThat(((JoinGroupResponse) d.reply(d.join("x".repeat(255), "", null, RANGE))).error())
        .isEqualTo(Errors.MEMBER_ID_REQUIRED);
    assertThat(((JoinGroupResponse) d.reply(d.join("g", "", null, List.of()))).error())
        .isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
    d.stableGroupOfOne("h", new byte[0]);
    JoinGroupResponse other = d.reply(d.join("h", "", null, List.of(new Protocol("roundrobin", new byte[0]))));
    assertThat(other.error()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
    // nothing of the failed attempts is left behind
    assertThat(d.shard.groupState("g")).isEqualTo(GroupState.DEAD);
  }

  @Test
  void testJoinGroupReturnsGroupMaxSizeReached() {
    ShardDriver small = new ShardDriver(new GroupCoordinatorConfig(Map.of(GroupCoordinatorConfig.MAX_SIZE_CONFIG, "2")));
    long a = small.joinDynamic("g");
    long b = small.joinDynamic("g");
    JoinGroupResponse id = small.reply(small.join("g", "", null, RANGE));
    long c = small.join("g", id.memberId(), null, RANGE);
    assertThat(((JoinGroupResponse) small.reply(c)).error()).isEqualTo(Errors.GROUP_MAX_SIZE_REACHED);
    small.advance(6_000);
    assertThat(((JoinGroupResponse) small.reply(a)).members()).hasSize(2);
    assertThat(((JoinGroupResponse) small.reply(b)).error()).isEqualTo(Errors.NONE);
  }

  @Test
  void testProtocolSelectionPicksTheCommonProtocolMostMembersPrefer() {
    List<Protocol> rangeFirst = List.of(new Protocol("range", new byte[0]), new Protocol("roundrobin", new byte[0]));
    List<Protocol> rrFirst = List.of(new Protocol("roundrobin", new byte[0]), new Protocol("range", new byte[0]));
    List<Protocol> rrOnly = List.of(new Protocol("roundrobin", new byte[] {5}), new Protocol("sticky", new byte[0]));
    long a = d.join("g", "", "a", rangeFirst);
    d.join("g", "", "b", rrFirst);
    d.join("g", "", "c", rrOnly);
    d.advance(6_000);
    JoinGroupResponse leader = d.reply(a);
    assertThat(leader.protocolName()).isEqualTo("roundrobin");
    assertThat(leader.members()).extracting(m -> m.metadata().length).containsExactly(0, 0, 1);
  }

  @Test
  void malformedRequestsGetAClearErrorAndTheOtherGroupsKeepBeingServed() {
    // proves: bad input is answered with an error code, changes nothing, and throws nothing
    JoinGroupResponse good = d.stableGroupOfOne("good", new byte[] {5});
    assertThat(((JoinGroupResponse) d.reply(d.send(id -> d.shard.joinGroup(id, new JoinGroupRequest(null, SESSION_MS,
        REBALANCE_MS, null, null, null, null, null, null), d.nowMs)))).error()).isEqualTo(Errors.INVALID_GROUP_ID);
    assertThat(((JoinGroupResponse) d.reply(d.send(id -> d.shard.joinGroup(id, new JoinGroupRequest("bad", SESSION_MS,
        REBALANCE_MS, "", null, null, RANGE, null, null), d.nowMs)))).error()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
    assertThat(((JoinGroupResponse) d.reply(d.join("good", "forged-id", null, RANGE))).error())
        .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    assertThat(((JoinGroupResponse) d.reply(d.join("good", "forged-id", "forged-instance", RANGE))).error())
        .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    assertThat(((SyncGroupResponse) d.reply(d.sync("nope", 1, "x", null, Map.of()))).error())
        .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    assertThat(((SyncGroupResponse) d.reply(d.sync("good", 1, good.memberId(), "not-static", Map.of()))).error())
        .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    assertThat(d.heartbeat("nope", 1, "x", null)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    assertThat(d.heartbeat("", 1, "x", null)).isEqualTo(Errors.INVALID_GROUP_ID);
    LeaveGroupResponse leave = d.reply(d.send(id -> d.shard.leaveGroup(id, new LeaveGroupRequest("nope",
        List.of(new LeavingMember("x", null))), d.nowMs)));
    assertThat(leave.members()).extracting(GroupMessages.MemberLeft::error).containsExactly(Errors.UNKNOWN_MEMBER_ID);
    assertThat(d.commit("good", 1, good.memberId(), new org.apache.kafka.common.TopicPartition("", 0), 1, ""))
        .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
    assertThat(d.commit("good", 1, good.memberId(), new org.apache.kafka.common.TopicPartition("t", -1), 1, ""))
        .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
    // nothing of the bad requests stayed behind, and the good group goes on
    assertThat(d.shard.groupCount()).isEqualTo(1);
    assertThat(d.heartbeat("good", 1, good.memberId(), null)).isEqualTo(Errors.NONE);
    assertThat(((SyncGroupResponse) d.reply(d.sync("good", 1, good.memberId(), null, Map.of()))).assignment())
        .containsExactly(5);
    // and with an append in flight, neither bad requests nor a retention check leave an op the owner
    // can never commit: once every outcome handed out is committed, nothing is uncommitted
    var inFlight = d.shard.commitOffsets(900, new GroupMessages.OffsetCommitRequest("good", 1, good.memberId(), null,
        Map.of(new org.apache.kafka.common.TopicPartition("t", 0), new GroupMessages.CommitOffset(1, -1, ""))), d.nowMs);
    List<GroupCoordinatorShard.Outcome> handedOut = new java.util.ArrayList<>(List.of(inFlight));
    handedOut.add(d.shard.joinGroup(901, new JoinGroupRequest("good", SESSION_MS, REBALANCE_MS, "forged-id", null,
        "consumer", RANGE, "c", "h"), d.nowMs));
    handedOut.add(d.shard.syncGroup(902, new GroupMessages.SyncGroupRequest("nope", 1, "x", null, null, null, Map.of()),
        d.nowMs));
    handedOut.add(d.shard.heartbeat(903, new GroupMessages.HeartbeatRequest("", 1, "x", null), d.nowMs));
    handedOut.addAll(d.shard.tick(d.nowMs + GroupCoordinatorConfig.defaults().offsetsRetentionCheckIntervalMs()));
    d.shard.onCommitted(handedOut.stream().mapToLong(GroupCoordinatorShard.Outcome::opId).max().orElseThrow());
    assertThat(d.shard.uncommittedOps()).isZero();
  }

  @Test
  void protocolsAndMetadataAreBoundedAtTheLimitPlusOne() {
    // proves: group.member.protocols.max and group.member.metadata.max.bytes hold at bound + 1
    ShardDriver small = new ShardDriver(new GroupCoordinatorConfig(Map.of(
        GroupCoordinatorConfig.MEMBER_PROTOCOLS_MAX_CONFIG, "2", GroupCoordinatorConfig.MEMBER_METADATA_MAX_BYTES_CONFIG, "100")));
    List<Protocol> two = List.of(new Protocol("a", new byte[50]), new Protocol("b", new byte[50]));
    List<Protocol> three = List.of(new Protocol("a", new byte[0]), new Protocol("b", new byte[0]), new Protocol("c", new byte[0]));
    List<Protocol> tooBig = List.of(new Protocol("a", new byte[50]), new Protocol("b", new byte[51]));
    assertThat(((JoinGroupResponse) small.reply(small.join("g", "", null, three))).error()).isEqualTo(Errors.INVALID_REQUEST);
    assertThat(((JoinGroupResponse) small.reply(small.join("g", "", null, tooBig))).error()).isEqualTo(Errors.INVALID_REQUEST);
    JoinGroupResponse id = small.reply(small.join("g", "", null, two));
    assertThat(id.error()).isEqualTo(Errors.MEMBER_ID_REQUIRED);
    long join = small.join("g", id.memberId(), null, two);
    small.advance(3_000);
    JoinGroupResponse joined = small.reply(join);
    assertThat(((SyncGroupResponse) small.reply(small.send(x -> small.shard.syncGroup(x, new GroupMessages.SyncGroupRequest(
        "g", 1, joined.memberId(), null, null, null, Map.of(joined.memberId(), new byte[101])), small.nowMs)))).error())
        .isEqualTo(Errors.INVALID_REQUEST);
    assertThat(((SyncGroupResponse) small.reply(small.send(x -> small.shard.syncGroup(x, new GroupMessages.SyncGroupRequest(
        "g", 1, joined.memberId(), null, null, null, Map.of(joined.memberId(), new byte[100])), small.nowMs)))).error())
        .isEqualTo(Errors.NONE);
    assertThat(((JoinGroupResponse) small.reply(small.send(x -> small.shard.joinGroup(x, new JoinGroupRequest("g", SESSION_MS,
        REBALANCE_MS, "", null, "consumer", RANGE, "c".repeat(256), "h"), small.nowMs)))).error())
        .isEqualTo(Errors.INVALID_REQUEST);
  }

  @Test
  void joinGroupIsAnsweredLoadInProgressUntilTheShardIsLoaded() {
    GroupCoordinatorShard loading = new GroupCoordinatorShard(GroupCoordinatorConfig.defaults(), 1);
    var out = loading.joinGroup(7, new JoinGroupRequest("g", SESSION_MS, REBALANCE_MS, "", null, "consumer", RANGE,
        "c", "h"), 0);
    assertThat(((JoinGroupResponse) out.replies().get(0).response()).error()).isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS);
    assertThat(out.records()).isEmpty();
    assertThat(loading.nextDeadlineMs()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void rebalanceTimeoutMustBePositiveAndAV0JoinTakesTheSessionTimeout() {
    // proves: rebalanceTimeoutMs 0 or below is INVALID_REQUEST, except -1 (JoinGroup v0 has none),
    // which stands for the session timeout, as Kafka maps it
    for (int bad : new int[] {0, -2}) {
      JoinGroupResponse r = d.reply(d.send(id -> d.shard.joinGroup(id, new JoinGroupRequest("g", SESSION_MS, bad, "", "i",
          "consumer", RANGE, "client", "/127.0.0.1"), d.nowMs)));
      assertThat(r.error()).as("rebalanceTimeoutMs %d", bad).isEqualTo(Errors.INVALID_REQUEST);
    }
    assertThat(d.shard.groupState("g")).isEqualTo(GroupState.DEAD);
    d.send(id -> d.shard.joinGroup(id, new JoinGroupRequest("g", SESSION_MS, -1, "", "i", "consumer", RANGE, "client",
        "/127.0.0.1"), d.nowMs));
    d.advance(3_000);
    GroupMetadataValue written = (GroupMetadataValue) d.log.get(d.log.size() - 1).value();
    assertThat(written.members()).singleElement().satisfies(m -> assertThat(m.rebalanceTimeout()).isEqualTo(SESSION_MS));
  }
}
