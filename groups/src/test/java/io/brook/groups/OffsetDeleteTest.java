package io.brook.groups;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.groups.GroupMessages.JoinGroupResponse;
import io.brook.groups.GroupMessages.OffsetDeleteRequest;
import io.brook.groups.GroupMessages.OffsetDeleteResponse;
import io.brook.groups.GroupMessages.Protocol;
import io.brook.groups.GroupMessages.SyncGroupResponse;
import io.brook.groups.GroupRecords.CoordinatorRecord;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** OffsetDelete with Kafka's rules (OffsetMetadataManagerTest's testGenericGroupOffsetDelete*). */
class OffsetDeleteTest {
  private static final TopicPartition ORDERS = new TopicPartition("orders", 0);
  private static final TopicPartition AUDIT = new TopicPartition("audit", 0);
  private final ShardDriver d = new ShardDriver();

  private OffsetDeleteResponse delete(String group, TopicPartition... partitions) {
    return d.reply(d.send(id -> d.shard.deleteOffsets(id, new OffsetDeleteRequest(group, List.of(partitions)), d.nowMs)));
  }

  /** A consumer group of one member subscribed to {@code topics}, Stable. */
  private JoinGroupResponse stableConsumerGroup(String group, String... topics) {
    ByteBuffer subscription = ConsumerProtocol.serializeSubscription(new Subscription(List.of(topics)));
    byte[] metadata = new byte[subscription.remaining()];
    subscription.get(metadata);
    List<Protocol> protocols = List.of(new Protocol("range", metadata));
    JoinGroupResponse first = d.reply(d.join(group, "", null, protocols));
    long join = d.join(group, first.memberId(), null, protocols);
    d.advance(GroupCoordinatorConfig.defaults().initialRebalanceDelayMs());
    JoinGroupResponse joined = d.reply(join);
    SyncGroupResponse synced = d.reply(d.sync(group, joined.generationId(), joined.memberId(), null,
        Map.of(joined.memberId(), new byte[0])));
    assertThat(synced.error()).isEqualTo(Errors.NONE);
    return joined;
  }

  @Test
  void anActiveConsumerGroupKeepsTheOffsetsOfTopicsItSubscribesToAndLosesTheOthers() {
    JoinGroupResponse m = stableConsumerGroup("g", "orders");
    assertThat(d.commit("g", m.generationId(), m.memberId(), ORDERS, 5, "")).isEqualTo(Errors.NONE);
    assertThat(d.commit("g", m.generationId(), m.memberId(), AUDIT, 7, "")).isEqualTo(Errors.NONE);

    OffsetDeleteResponse r = delete("g", ORDERS, AUDIT);

    assertThat(r.error()).isEqualTo(Errors.NONE);
    assertThat(r.errors()).containsEntry(ORDERS, Errors.GROUP_SUBSCRIBED_TO_TOPIC).containsEntry(AUDIT, Errors.NONE);
    assertThat(d.fetch("g", ORDERS)).isEqualTo(5);
    assertThat(d.fetch("g", AUDIT)).isEqualTo(-1);
    assertThat(d.log).contains(CoordinatorRecord.tombstone(new GroupRecords.OffsetCommitKey("g", "audit", 0)))
        .doesNotContain(CoordinatorRecord.tombstone(new GroupRecords.OffsetCommitKey("g", "orders", 0)));
    assertThat(d.shard.groupState("g")).isEqualTo(GroupState.STABLE);
  }

  @Test
  void anEmptyGroupLosesAnyOffsetAndAPartitionWithoutOneIsFine() {
    assertThat(d.commit("tool", -1, "", ORDERS, 3, "")).isEqualTo(Errors.NONE);
    assertThat(d.commit("tool", -1, "", AUDIT, 4, "")).isEqualTo(Errors.NONE);
    int logged = d.log.size();

    OffsetDeleteResponse r = delete("tool", ORDERS, new TopicPartition("orders", 9));

    assertThat(r.errors()).containsEntry(ORDERS, Errors.NONE).containsEntry(new TopicPartition("orders", 9), Errors.NONE);
    assertThat(d.log.subList(logged, d.log.size())).as("one tombstone: only ORDERS had an offset")
        .containsExactly(CoordinatorRecord.tombstone(new GroupRecords.OffsetCommitKey("tool", "orders", 0)));
    assertThat(d.fetch("tool", ORDERS)).isEqualTo(-1);
    assertThat(d.fetch("tool", AUDIT)).isEqualTo(4);

    delete("tool", AUDIT); // its last offset: the simple group is gone, as after expiry
    assertThat(d.shard.groupState("tool")).isEqualTo(GroupState.DEAD);
  }

  @Test
  void anUnknownGroupAnActiveGroupOfAnotherProtocolAndABadIdAreRefusedWhole() {
    assertThat(delete("ghost", ORDERS)).isEqualTo(new OffsetDeleteResponse(Errors.GROUP_ID_NOT_FOUND, Map.of()));
    assertThat(delete("", ORDERS).error()).isEqualTo(Errors.INVALID_GROUP_ID);
    // RANGE's metadata is no ConsumerProtocol subscription: which topics its member reads is unknown
    JoinGroupResponse m = d.stableGroupOfOne("unreadable", new byte[0]);
    assertThat(d.commit("unreadable", 1, m.memberId(), AUDIT, 1, "")).isEqualTo(Errors.NONE);
    assertThat(delete("unreadable", AUDIT).errors()).as("a subscription it cannot read counts as subscribed")
        .containsEntry(AUDIT, Errors.GROUP_SUBSCRIBED_TO_TOPIC);
    assertThat(d.fetch("unreadable", AUDIT)).isEqualTo(1);
  }
}
