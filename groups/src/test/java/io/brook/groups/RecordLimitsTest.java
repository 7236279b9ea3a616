package io.brook.groups;

import static io.brook.groups.ShardDriver.RANGE;
import static io.brook.groups.ShardDriver.REBALANCE_MS;
import static io.brook.groups.ShardDriver.SESSION_MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.groups.GroupMessages.CommitOffset;
import io.brook.groups.GroupMessages.JoinGroupRequest;
import io.brook.groups.GroupMessages.JoinGroupResponse;
import io.brook.groups.GroupMessages.OffsetCommitRequest;
import io.brook.groups.GroupMessages.OffsetCommitResponse;
import io.brook.groups.GroupMessages.Protocol;
import io.brook.groups.GroupRecords.CoordinatorRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * Every string that goes into a {@code __consumer_offsets} record (int16 length: at most 32767
 * UTF-8 bytes) is bounded at the edge, in bytes, before any state changes; tested at bound and
 * bound + 1.
 */
class RecordLimitsTest {
  private final ShardDriver d = new ShardDriver();

  private JoinGroupResponse join(ShardDriver driver, String group, String instanceId, String protocolType,
      List<Protocol> protocols) {
    return driver.reply(driver.send(id -> driver.shard.joinGroup(id, new JoinGroupRequest(group, SESSION_MS, REBALANCE_MS,
        "", instanceId, protocolType, protocols, "client", "/127.0.0.1"), driver.nowMs)));
  }

  @Test
  void protocolTypeAndProtocolNamesAreBoundedAt255Bytes() {
    // proves: a protocol type or protocol name over PROTOCOL_NAME_MAX_BYTES is INVALID_REQUEST with nothing
    // applied (before, a 40,000-char protocol type was accepted and its GroupMetadata record failed to encode)
    String type255 = "t".repeat(GroupCoordinatorConfig.PROTOCOL_NAME_MAX_BYTES);
    assertThat(join(d, "g", null, type255, RANGE).error()).isEqualTo(Errors.MEMBER_ID_REQUIRED);
    assertThat(join(d, "g", null, type255 + "t", RANGE).error()).isEqualTo(Errors.INVALID_REQUEST);
    assertThat(join(d, "h", "static", "t".repeat(40_000), RANGE).error()).isEqualTo(Errors.INVALID_REQUEST);
    assertThat(d.shard.groupState("h")).isEqualTo(GroupState.DEAD);
    String name255 = "é".repeat(127) + "n"; // 255 bytes in 128 chars
    assertThat(join(d, "n", null, "consumer", List.of(new Protocol(name255, new byte[0]))).error())
        .isEqualTo(Errors.MEMBER_ID_REQUIRED);
    assertThat(join(d, "n", null, "consumer", List.of(new Protocol(name255 + "n", new byte[0]))).error())
        .isEqualTo(Errors.INVALID_REQUEST);
    // a static member with a protocol type at the bound joins and its record is written
    assertThat(d.reply(d.send(id -> d.shard.joinGroup(id, new JoinGroupRequest("s", SESSION_MS, REBALANCE_MS, "", "i",
        type255, RANGE, "client", "/127.0.0.1"), d.nowMs))) == null).isTrue(); // parked in the initial delay
    d.advance(GroupCoordinatorConfig.defaults().initialRebalanceDelayMs());
    assertThat(d.log).extracting(r -> r.key().group()).contains("s");
    d.log.forEach(r -> GroupRecordCodec.encodeValue(r.value()));
  }

  @Test
  void groupIdsAndClientIdsAreMeasuredInUtf8Bytes() {
    // proves: group.id.max.length (255) counts bytes: 255 bytes pass, 256 bytes in 128 chars do not
    String bytes255 = "é".repeat(127) + "g";
    assertThat(join(d, bytes255, null, "consumer", RANGE).error()).isEqualTo(Errors.MEMBER_ID_REQUIRED);
    assertThat(join(d, "é".repeat(128), null, "consumer", RANGE).error()).isEqualTo(Errors.INVALID_GROUP_ID);
    JoinGroupResponse r = d.reply(d.send(id -> d.shard.joinGroup(id, new JoinGroupRequest("c", SESSION_MS, REBALANCE_MS,
        "", "é".repeat(128), "consumer", RANGE, "client", "/127.0.0.1"), d.nowMs)));
    assertThat(r.error()).isEqualTo(Errors.INVALID_REQUEST);
  }

  @Test
  void offsetCommitTopicsAreValidatedPerPartitionAsKafkaDoes() {
    // proves: a topic name Kafka would refuse (Topic.validate) is UNKNOWN_TOPIC_OR_PARTITION for that
    // partition, as Kafka answers a topic it does not have; the valid partitions of the request commit
    Map<TopicPartition, CommitOffset> offsets = new LinkedHashMap<>();
    TopicPartition ok = new TopicPartition("t".repeat(249), 0);
    List<TopicPartition> bad = List.of(new TopicPartition("t".repeat(250), 0), new TopicPartition("t".repeat(40_000), 0),
        new TopicPartition("a/b", 0), new TopicPartition("..", 0), new TopicPartition("", 0), new TopicPartition("t", -1));
    offsets.put(ok, new CommitOffset(7, -1, ""));
    bad.forEach(tp -> offsets.put(tp, new CommitOffset(7, -1, "")));
    OffsetCommitResponse r = d.reply(d.send(id -> d.shard.commitOffsets(id, new OffsetCommitRequest("tool", -1, "", null,
        offsets), d.nowMs)));
    assertThat(r.errors()).containsEntry(ok, Errors.NONE);
    bad.forEach(tp -> assertThat(r.errors()).containsEntry(tp, Errors.UNKNOWN_TOPIC_OR_PARTITION));
    assertThat(d.log).hasSize(1);
    assertThat(d.shard.offset("tool", ok).offset()).isEqualTo(7);
  }

  @Test
  void offsetMetadataIsMeasuredInBytesAndCappedByTheFormat() {
    // proves: offset.metadata.max.bytes counts UTF-8 bytes (4096 pass, 4097 do not, though only 2049 chars)
    TopicPartition tp = new TopicPartition("t", 0);
    assertThat(d.commit("g", -1, "", tp, 1, "é".repeat(2048))).isEqualTo(Errors.NONE);
    assertThat(d.commit("g", -1, "", tp, 2, "é".repeat(2048) + "x")).isEqualTo(Errors.OFFSET_METADATA_TOO_LARGE);
    // the config cannot go past what a record holds; at its cap the record still encodes
    assertThatThrownBy(() -> new GroupCoordinatorConfig(Map.of(GroupCoordinatorConfig.OFFSET_METADATA_MAX_BYTES_CONFIG,
        "32768"))).isInstanceOf(ConfigException.class);
    ShardDriver max = new ShardDriver(new GroupCoordinatorConfig(Map.of(
        GroupCoordinatorConfig.OFFSET_METADATA_MAX_BYTES_CONFIG, "32767")));
    assertThat(max.commit("g", -1, "", tp, 1, "m".repeat(32_767))).isEqualTo(Errors.NONE);
    assertThat(max.commit("g", -1, "", tp, 2, "m".repeat(32_768))).isEqualTo(Errors.OFFSET_METADATA_TOO_LARGE);
    CoordinatorRecord last = max.log.get(max.log.size() - 1);
    assertThat(GroupRecordCodec.encodeValue(last.value()).remaining()).isGreaterThan(32_767);
  }

  @Test
  void groupIdMaxLengthIsCappedSoMemberIdsFitARecord() {
    // proves: group.id.max.length cannot be set past 16383 bytes (a member id is a client id plus a uuid,
    // and may be checked up to twice the bound); at the cap a client id of that size still encodes
    assertThatThrownBy(() -> new GroupCoordinatorConfig(Map.of(GroupCoordinatorConfig.GROUP_ID_MAX_LENGTH_CONFIG,
        "16384"))).isInstanceOf(ConfigException.class);
    ShardDriver max = new ShardDriver(new GroupCoordinatorConfig(Map.of(GroupCoordinatorConfig.GROUP_ID_MAX_LENGTH_CONFIG,
        "16383")));
    String big = "c".repeat(16_383);
    JoinGroupResponse r = max.reply(max.send(id -> max.shard.joinGroup(id, new JoinGroupRequest(big, SESSION_MS,
        REBALANCE_MS, "", big, "consumer", RANGE, big, big), max.nowMs)));
    assertThat(r).isNull(); // parked: a static member waits out the initial delay
    max.advance(GroupCoordinatorConfig.defaults().initialRebalanceDelayMs());
    assertThat(max.log).hasSize(1);
    assertThat(GroupRecordCodec.encodeValue(max.log.get(0).value()).remaining()).isGreaterThan(4 * 16_383);
  }
}
