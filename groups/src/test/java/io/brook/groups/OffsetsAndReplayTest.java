package io.brook.groups;

import static io.brook.groups.ShardDriver.RANGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.groups.GroupCoordinatorShard.Outcome;
import io.brook.groups.GroupMessages.CommitOffset;
import io.brook.groups.GroupMessages.DeleteGroupsRequest;
import io.brook.groups.GroupMessages.DeleteGroupsResponse;
import io.brook.groups.GroupMessages.DescribeGroupsRequest;
import io.brook.groups.GroupMessages.DescribeGroupsResponse;
import io.brook.groups.GroupMessages.DescribedGroup;
import io.brook.groups.GroupMessages.JoinGroupResponse;
import io.brook.groups.GroupMessages.ListGroupsRequest;
import io.brook.groups.GroupMessages.ListGroupsResponse;
import io.brook.groups.GroupMessages.ListedGroup;
import io.brook.groups.GroupMessages.OffsetCommitRequest;
import io.brook.groups.GroupMessages.OffsetCommitResponse;
import io.brook.groups.GroupMessages.OffsetFetchRequest;
import io.brook.groups.GroupMessages.OffsetFetchResponse;
import io.brook.groups.GroupMessages.SyncGroupResponse;
import io.brook.groups.GroupRecords.CoordinatorRecord;
import io.brook.groups.GroupRecords.OffsetCommitValue;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** Offsets (OffsetMetadataManagerTest's names), admin requests, replay after failover, revert after a failed append. */
class OffsetsAndReplayTest {
  private static final TopicPartition TP = new TopicPartition("orders", 0);
  private static final long RETENTION_MS = 10_080 * 60_000L;
  private final ShardDriver d = new ShardDriver();

  @Test
  void testGenericGroupOffsetCommitWithIllegalGeneration() {
    // proves: a member of an older generation cannot commit (its partitions may have moved)
    JoinGroupResponse m = d.stableGroupOfOne("g", new byte[0]);
    assertThat(d.commit("g", 0, m.memberId(), TP, 5, "")).isEqualTo(Errors.ILLEGAL_GENERATION);
    assertThat(d.commit("g", 1, "nobody", TP, 5, "")).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    assertThat(d.commit("g", -1, "", TP, 5, "")).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    assertThat(d.commit("g", 1, m.memberId(), TP, 5, "")).isEqualTo(Errors.NONE);
    assertThat(d.fetch("g", TP)).isEqualTo(5);
  }

  @Test
  void testGenericGroupOffsetCommitDuringCompletingRebalanceAndToAnUnknownGroup() {
    long join = d.joinDynamic("g");
    d.advance(3_000);
    JoinGroupResponse m = d.reply(join);
    assertThat(d.commit("g", 1, m.memberId(), TP, 5, "")).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    assertThat(d.commit("nope", 3, "x", TP, 5, "")).isEqualTo(Errors.ILLEGAL_GENERATION);
    assertThat(d.shard.groupState("nope")).isEqualTo(GroupState.DEAD);
  }

  @Test
  void testSimpleGroupOffsetCommitAcceptedWithGenerationMinusOne() {
    // proves: a tool or standalone consumer commits to a group nobody joined; the offset is kept
    assertThat(d.commit("tool", -1, "", TP, 42, "reset")).isEqualTo(Errors.NONE);
    assertThat(d.shard.groupState("tool")).isEqualTo(GroupState.EMPTY);
    assertThat(d.fetch("tool", TP)).isEqualTo(42);
    assertThat(d.fetch("tool", new TopicPartition("orders", 1))).isEqualTo(-1);
    assertThat(d.fetch("unknown", TP)).isEqualTo(-1);
    CoordinatorRecord r = d.log.get(d.log.size() - 1);
    assertThat(r.key()).isEqualTo(new GroupRecords.OffsetCommitKey("tool", "orders", 0));
    assertThat(r.value()).isEqualTo(new GroupRecords.OffsetCommitValue(42, 3, "reset", d.nowMs));
  }

  @Test
  void testOffsetCommitWithTooLargeMetadata() {
    // proves: offset.metadata.max.bytes (4096) bounds the metadata; other partitions still commit
    TopicPartition other = new TopicPartition("orders", 1);
    OffsetCommitResponse r = d.reply(d.send(id -> d.shard.commitOffsets(id, new OffsetCommitRequest("g", -1, "", null,
        Map.of(TP, new CommitOffset(1, -1, "x".repeat(4097)), other, new CommitOffset(2, -1, "x".repeat(4096)))),
        d.nowMs)));
    assertThat(r.errors()).containsEntry(TP, Errors.OFFSET_METADATA_TOO_LARGE).containsEntry(other, Errors.NONE);
    assertThat(d.fetch("g", TP)).isEqualTo(-1);
    assertThat(d.fetch("g", other)).isEqualTo(2);
  }

  @Test
  void testCleanupExpiredOffsets() {
    // proves: an empty group's offsets are deleted (tombstones) offsets.retention.minutes after it became
    // empty, then the group itself; a group with members keeps its offsets however old
    JoinGroupResponse m = d.stableGroupOfOne("live", new byte[0]);
    d.commit("live", 1, m.memberId(), TP, 7, "");
    d.commit("simple", -1, "", TP, 9, "");
    for (long t = 0; t < RETENTION_MS + 700_000; t += 5_000) {
      d.advance(5_000);
      d.heartbeat("live", 1, m.memberId(), null);
    }
    assertThat(d.fetch("live", TP)).isEqualTo(7);
    assertThat(d.fetch("simple", TP)).isEqualTo(-1);
    assertThat(d.shard.groupState("simple")).isEqualTo(GroupState.DEAD);
    assertThat(d.log).contains(CoordinatorRecord.tombstone(new GroupRecords.OffsetCommitKey("simple", "orders", 0)));
  }

  @Test
  void testDeleteGroupsOnlyWhenEmpty() {
    JoinGroupResponse m = d.stableGroupOfOne("busy", new byte[0]);
    d.commit("busy", 1, m.memberId(), TP, 1, "");
    d.commit("idle", -1, "", TP, 1, "");
    DeleteGroupsResponse r = d.reply(d.send(id -> d.shard.deleteGroups(id,
        new DeleteGroupsRequest(List.of("busy", "idle", "ghost", "")), d.nowMs)));
    assertThat(r.errors()).containsEntry("busy", Errors.NON_EMPTY_GROUP).containsEntry("idle", Errors.NONE)
        .containsEntry("ghost", Errors.GROUP_ID_NOT_FOUND).containsEntry("", Errors.INVALID_GROUP_ID);
    assertThat(d.shard.groupState("idle")).isEqualTo(GroupState.DEAD);
    assertThat(d.log.subList(d.log.size() - 2, d.log.size())).allMatch(CoordinatorRecord::isTombstone);
    assertThat(d.fetch("busy", TP)).isEqualTo(1);
  }

  @Test
  void listAndDescribeGroups() {
    JoinGroupResponse m = d.stableGroupOfOne("a", new byte[] {4});
    d.commit("b", -1, "", TP, 1, "");
    ListGroupsResponse all = d.reply(d.send(id -> d.shard.listGroups(id, new ListGroupsRequest(Set.of()), d.nowMs)));
    assertThat(all.groups()).containsExactly(new ListedGroup("a", "consumer", "Stable"), new ListedGroup("b", "", "Empty"));
    ListGroupsResponse stable = d.reply(d.send(id -> d.shard.listGroups(id, new ListGroupsRequest(Set.of("Stable")),
        d.nowMs)));
    assertThat(stable.groups()).extracting(ListedGroup::groupId).containsExactly("a");
    DescribeGroupsResponse described = d.reply(d.send(id -> d.shard.describeGroups(id,
        new DescribeGroupsRequest(List.of("a", "zzz")), d.nowMs)));
    DescribedGroup a = described.groups().get(0);
    assertThat(a.state()).isEqualTo("Stable");
    assertThat(a.protocol()).isEqualTo("range");
    assertThat(a.members()).singleElement().satisfies(x -> {
      assertThat(x.memberId()).isEqualTo(m.memberId());
      assertThat(x.assignment()).containsExactly(4);
      assertThat(x.metadata()).containsExactly(1);
    });
    assertThat(described.groups().get(1).error()).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
  }

  @Test
  void aNewCoordinatorReplayingThePartitionHasTheSameGroupsAndOffsets() {
    // proves: failover loses nothing committed: members, generation, assignments and offsets come back
    JoinGroupResponse m = d.stableGroupOfOne("g", new byte[] {9});
    d.commit("g", 1, m.memberId(), TP, 11, "meta");
    d.commit("g", 1, m.memberId(), TP, 12, "meta");
    d.commit("tool", -1, "", TP, 3, "");
    d.send(id -> d.shard.deleteGroups(id, new DeleteGroupsRequest(List.of("tool")), d.nowMs));
    GroupCoordinatorShard fresh = new GroupCoordinatorShard(GroupCoordinatorConfig.defaults(), 7);
    for (CoordinatorRecord r : d.log) {
      fresh.replay(GroupRecordCodec.encodeKey(r.key()), GroupRecordCodec.encodeValue(r.value()));
    }
    fresh.onLoaded(d.nowMs);
    assertThat(fresh.durableImage()).isEqualTo(d.shard.durableImage());
    assertThat(fresh.groupState("g")).isEqualTo(GroupState.STABLE);
    assertThat(fresh.groupState("tool")).isEqualTo(GroupState.DEAD);
    d.shard = fresh;
    // the member carries on in its generation, and gets its assignment again
    assertThat(d.heartbeat("g", 1, m.memberId(), null)).isEqualTo(Errors.NONE);
    SyncGroupResponse s = d.reply(d.sync("g", 1, m.memberId(), null, Map.of()));
    assertThat(s.assignment()).containsExactly(9);
    assertThat(d.fetch("g", TP)).isEqualTo(12);
    // and a new member makes it rebalance to generation 2
    long join = d.joinDynamic("g");
    long rejoin = d.join("g", m.memberId(), null, RANGE);
    assertThat(((JoinGroupResponse) d.reply(join)).generationId()).isEqualTo(2);
    assertThat(((JoinGroupResponse) d.reply(rejoin)).leader()).isEqualTo(m.memberId());
  }

  @Test
  void aGenerationIsNeverHandedOutTwiceAcrossAFailover() {
    // proves: a generation is in the log before its members hear of it, so a coordinator that takes
    // over between JoinGroup and SyncGroup does not number its next generation the same
    JoinGroupResponse m = d.stableGroupOfOne("g", new byte[] {9});
    long rejoin = d.join("g", m.memberId(), null, RANGE); // the leader rejoins: generation 2 at once
    JoinGroupResponse gen2 = d.reply(rejoin);
    assertThat(gen2.generationId()).isEqualTo(2);
    GroupRecords.GroupMetadataValue written = (GroupRecords.GroupMetadataValue) d.log.get(d.log.size() - 1).value();
    assertThat(written.generation()).isEqualTo(2);
    assertThat(written.members()).allMatch(x -> x.assignment().length == 0);
    GroupCoordinatorShard fresh = new GroupCoordinatorShard(GroupCoordinatorConfig.defaults(), 7);
    d.log.forEach(fresh::replay);
    fresh.onLoaded(d.nowMs);
    d.shard = fresh;
    assertThat(fresh.groupState("g")).isEqualTo(GroupState.PREPARING_REBALANCE);
    SyncGroupResponse s = d.reply(d.sync("g", 2, m.memberId(), null, Map.of(m.memberId(), new byte[] {1})));
    assertThat(s.error()).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    JoinGroupResponse gen3 = d.reply(d.join("g", m.memberId(), null, RANGE));
    assertThat(gen3.generationId()).isEqualTo(3);
  }

  @Test
  void testScheduleWriteOpWhenWriteFailsRevertsTheStateToBeforeTheOp() {
    // proves: a failed append takes back the op and every later one: state never runs ahead of the log
    JoinGroupResponse m = d.stableGroupOfOne("g", new byte[] {9});
    d.commit("g", 1, m.memberId(), TP, 5, "");
    var before = d.shard.durableImage();
    d.holdAppends = true;
    d.send(id -> d.shard.commitOffsets(id, new OffsetCommitRequest("g", 1, m.memberId(), null,
        Map.of(TP, new CommitOffset(6, -1, ""))), d.nowMs));
    long staticJoin = d.join("g", "", "i", RANGE);
    d.send(id -> d.shard.fetchOffsets(id, new OffsetFetchRequest("g", List.of(TP)), d.nowMs));
    assertThat(d.shard.offset("g", TP).offset()).isEqualTo(6);
    assertThat(d.shard.groupState("g")).isEqualTo(GroupState.PREPARING_REBALANCE);
    Outcome failed = d.held.get(0);
    List<Long> undone = d.shard.revert(failed.opId());
    // the commit and the join are undone; the fetch changed nothing, so it is not among the ops undone
    assertThat(undone).hasSize(2).containsExactly(failed.opId() + 1, failed.opId());
    assertThat(d.shard.durableImage()).isEqualTo(before);
    assertThat(d.shard.offset("g", TP).offset()).isEqualTo(5);
    assertThat(d.shard.groupState("g")).isEqualTo(GroupState.STABLE);
    assertThat(d.shard.uncommittedOps()).isZero();
    // the contract (revert's javadoc): the owner fails every outstanding reply of the failed outcome and
    // of every later one, not only those of the ops returned: the fetch read the reverted offset 6
    Outcome fetch = d.held.get(2);
    assertThat(fetch.opId()).isGreaterThan(failed.opId()).isNotIn(undone);
    assertThat(((OffsetFetchResponse) fetch.replies().get(0).response()).offsets().get(TP).offset()).isEqualTo(6);
    // the static join was parked (no reply in any outcome) and its member is gone with the revert, so no
    // later op can answer it: the owner must fail it by the same rule
    assertThat(d.held).flatExtracting(Outcome::replies).extracting(GroupMessages.Reply::requestId)
        .doesNotContain(staticJoin);
    DescribeGroupsResponse described = (DescribeGroupsResponse) d.shard.describeGroups(999,
        new DescribeGroupsRequest(List.of("g")), d.nowMs).replies().get(0).response();
    assertThat(described.groups().get(0).members()).extracting(GroupMessages.DescribedMember::memberId)
        .containsExactly(m.memberId());
    d.holdAppends = false;
    d.held.clear();
    assertThat(d.heartbeat("g", 1, m.memberId(), null)).isEqualTo(Errors.NONE);
    assertThat(d.fetch("g", TP)).isEqualTo(5);
  }

  @Test
  void pastMaxUncommittedOpsRequestsWaitForTheLog() {
    // proves: group.coordinator.max.uncommitted.ops bounds the undo kept for appends in flight
    ShardDriver small = new ShardDriver(new GroupCoordinatorConfig(Map.of(
        GroupCoordinatorConfig.MAX_UNCOMMITTED_OPS_CONFIG, "2")));
    small.holdAppends = true;
    small.send(id -> small.shard.commitOffsets(id, new OffsetCommitRequest("g", -1, "", null,
        Map.of(TP, new CommitOffset(1, -1, ""))), small.nowMs));
    small.send(id -> small.shard.commitOffsets(id, new OffsetCommitRequest("g", -1, "", null,
        Map.of(TP, new CommitOffset(2, -1, ""))), small.nowMs));
    var third = small.shard.commitOffsets(99, new OffsetCommitRequest("g", -1, "", null,
        Map.of(TP, new CommitOffset(3, -1, ""))), small.nowMs);
    assertThat(((OffsetCommitResponse) third.replies().get(0).response()).errors())
        .containsEntry(TP, Errors.COORDINATOR_NOT_AVAILABLE);
    assertThat(third.records()).isEmpty();
    assertThat(small.shard.uncommittedOps()).isEqualTo(2);
    small.shard.onCommitted(small.held.get(1).opId());
    small.holdAppends = false;
    assertThat(small.commit("g", -1, "", TP, 3, "")).isEqualTo(Errors.NONE);
  }

  @Test
  void requestsAreAnsweredLoadInProgressWhileLoading() {
    GroupCoordinatorShard loading = new GroupCoordinatorShard(GroupCoordinatorConfig.defaults(), 1);
    var commit = loading.commitOffsets(1, new OffsetCommitRequest("g", -1, "", null, Map.of(TP, new CommitOffset(1, -1, ""))), 0);
    assertThat(((OffsetCommitResponse) commit.replies().get(0).response()).errors())
        .containsEntry(TP, Errors.COORDINATOR_LOAD_IN_PROGRESS);
    var fetch = loading.fetchOffsets(2, new OffsetFetchRequest("g", null), 0);
    assertThat(((OffsetFetchResponse) fetch.replies().get(0).response()).error()).isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS);
    var list = loading.listGroups(3, new ListGroupsRequest(Set.of()), 0);
    assertThat(((ListGroupsResponse) list.replies().get(0).response()).error()).isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS);
  }

  @Test
  void retentionCheckWithNothingToExpireLeavesNoOpBehind() {
    // proves: a retention check that expires nothing keeps no undo, so it cannot fill
    // group.coordinator.max.uncommitted.ops while an append is in flight
    for (int i = 0; i < 5; i++) {
      assertThat(d.commit("simple-" + i, -1, "", TP, 1, "")).isEqualTo(Errors.NONE);
    }
    d.holdAppends = true;
    d.send(id -> d.shard.commitOffsets(id, new OffsetCommitRequest("simple-0", -1, "", null,
        Map.of(TP, new CommitOffset(2, -1, ""))), d.nowMs));
    List<Outcome> outcomes = d.shard.tick(d.nowMs + GroupCoordinatorConfig.defaults().offsetsRetentionCheckIntervalMs());
    assertThat(outcomes).isEmpty();
    assertThat(d.shard.uncommittedOps()).isEqualTo(1);
    d.shard.onCommitted(d.held.get(0).opId());
    assertThat(d.shard.uncommittedOps()).isZero();
  }

  @Test
  void offsetCommitKeepsTheMemberSessionAliveAsKafkaDoes() {
    // proves: a member that commits every 3 s and never heartbeats keeps its 10 s session
    // (Kafka's OffsetMetadataManager.commitOffset reschedules the heartbeat in Stable/PreparingRebalance)
    JoinGroupResponse m = d.stableGroupOfOne("g", new byte[] {9});
    for (int i = 1; i <= 4; i++) {
      d.advance(3_000);
      assertThat(d.commit("g", 1, m.memberId(), TP, i, "")).as("commit at %d s", 3 * i).isEqualTo(Errors.NONE);
    }
    assertThat(d.shard.groupState("g")).isEqualTo(GroupState.STABLE);
    assertThat(d.heartbeat("g", 1, m.memberId(), null)).isEqualTo(Errors.NONE);
    // and without commits or heartbeats the session still ends
    d.advance(ShardDriver.SESSION_MS);
    assertThat(d.shard.groupState("g")).isEqualTo(GroupState.EMPTY);
  }

  @Test
  void listGroupsStateFilterIsCaseInsensitiveAsKafka() {
    // proves: Kafka lowercases the ListGroups states filter; "stable", "STABLE" and "Stable" all match
    d.stableGroupOfOne("g", new byte[0]);
    for (String filter : List.of("stable", "STABLE", "Stable")) {
      ListGroupsResponse r = d.reply(d.send(id -> d.shard.listGroups(id, new ListGroupsRequest(Set.of(filter)), d.nowMs)));
      assertThat(r.groups()).as(filter).extracting(ListedGroup::groupId).containsExactly("g");
    }
    ListGroupsResponse empty = d.reply(d.send(id -> d.shard.listGroups(id, new ListGroupsRequest(Set.of("empty")), d.nowMs)));
    assertThat(empty.groups()).isEmpty();
  }

  @Test
  void aStableGroupWhoseLeaderAssignedNothingReloadsAsPreparingRebalance() {
    // proves the documented limitation (README "Where Brook differs"): a Stable generation whose
    // assignments are all empty has the same record as a generation that never got its SyncGroup, so
    // a new coordinator makes its members join again; no generation number is reused on the way
    JoinGroupResponse m = d.stableGroupOfOne("g", new byte[0]);
    assertThat(d.shard.groupState("g")).isEqualTo(GroupState.STABLE);
    GroupCoordinatorShard fresh = new GroupCoordinatorShard(GroupCoordinatorConfig.defaults(), 7);
    d.log.forEach(fresh::replay);
    fresh.onLoaded(d.nowMs);
    d.shard = fresh;
    assertThat(fresh.groupState("g")).isEqualTo(GroupState.PREPARING_REBALANCE);
    assertThat(fresh.generationId("g")).isEqualTo(1);
    assertThat(d.heartbeat("g", 1, m.memberId(), null)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    JoinGroupResponse rejoined = d.reply(d.join("g", m.memberId(), null, RANGE));
    assertThat(rejoined.generationId()).isEqualTo(2);
    SyncGroupResponse synced = d.reply(d.sync("g", 2, m.memberId(), null, Map.of()));
    assertThat(synced.error()).isEqualTo(Errors.NONE);
    assertThat(d.shard.groupState("g")).isEqualTo(GroupState.STABLE);
  }

  @Test
  void anOpThatFailsHalfWayIsUndoneAndNothingIsHandedOut() {
    // proves: run() undoes an op's partial changes when its records do not encode (answered
    // INVALID_REQUEST, no records) or when its body throws (rethrown for the owner to answer)
    assertThat(d.commit("g", -1, "", TP, 5, "")).isEqualTo(Errors.NONE);
    var image = d.shard.durableImage();
    OffsetCommitValue six = new OffsetCommitValue(6, -1, "", d.nowMs);
    Outcome o = d.shard.run(d.nowMs, 77, e -> new OffsetFetchResponse(e, Map.of()), op -> {
      op.putOffset("g", TP, six);
      op.write(new CoordinatorRecord(new GroupRecords.OffsetCommitKey("g", "t".repeat(40_000), 0), six));
    });
    assertThat(o.records()).isEmpty();
    assertThat(o.replies()).singleElement().satisfies(r -> assertThat(((OffsetFetchResponse) r.response()).error())
        .isEqualTo(Errors.INVALID_REQUEST));
    assertThat(d.shard.offset("g", TP).offset()).isEqualTo(5);
    assertThatThrownBy(() -> d.shard.run(d.nowMs, 78, null, op -> {
      op.putOffset("g", TP, six);
      op.touch("h");
      throw new IllegalStateException("a bug half way through an op");
    })).isInstanceOf(IllegalStateException.class);
    assertThat(d.shard.offset("g", TP).offset()).isEqualTo(5);
    assertThat(d.shard.durableImage()).isEqualTo(image);
    assertThat(d.shard.uncommittedOps()).isZero();
  }
}
