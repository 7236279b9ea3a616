package io.brook.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.groups.GroupRecords.GroupMetadataKey;
import io.brook.groups.GroupRecords.GroupMetadataValue;
import io.brook.groups.GroupRecords.MemberMetadata;
import io.brook.groups.GroupRecords.OffsetCommitKey;
import io.brook.groups.GroupRecords.OffsetCommitValue;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.junit.jupiter.api.Test;

/** The __consumer_offsets records have Kafka's bytes, and decode back to what was encoded. */
class GroupRecordCodecTest {
  private static byte[] bytes(ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.duplicate().get(a);
    return a;
  }

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  @Test
  void offsetCommitKeyHasTheBytesOfKafkasSchemaVersion1() {
    // proves: int16 version 1, group and topic as int16-length strings, partition as int32
    assertThat(bytes(GroupRecordCodec.encodeKey(new OffsetCommitKey("g", "t", 3))))
        .isEqualTo(hex("0001 0001 67 0001 74 00000003"));
  }

  @Test
  void groupMetadataKeyHasTheBytesOfKafkasSchemaVersion2() {
    assertThat(bytes(GroupRecordCodec.encodeKey(new GroupMetadataKey("ab")))).isEqualTo(hex("0002 0002 6162"));
  }

  @Test
  void offsetCommitValueHasTheBytesOfKafkasSchemaVersion3() {
    // proves: offset int64, leaderEpoch int32, metadata string, commitTimestamp int64
    assertThat(bytes(GroupRecordCodec.encodeValue(new OffsetCommitValue(42, 7, "m", 1000))))
        .isEqualTo(hex("0003 000000000000002a 00000007 0001 6d 00000000000003e8"));
  }

  @Test
  void groupMetadataValueHasTheBytesOfKafkasSchemaVersion3() {
    GroupMetadataValue v = new GroupMetadataValue("consumer", 5, "range", "m1", 9, List.of(
        new MemberMetadata("m1", null, "c", "h", 300, 45, new byte[] {1}, new byte[] {2, 3})));
    String expected = "0003"
        + "0008 636f6e73756d6572"          // protocolType "consumer"
        + "00000005"                        // generation
        + "0005 72616e6765"                 // protocol "range"
        + "0002 6d31"                       // leader "m1"
        + "0000000000000009"                // currentStateTimestamp
        + "00000001"                        // one member
        + "0002 6d31" + "ffff"              // memberId, groupInstanceId null
        + "0001 63" + "0001 68"             // clientId, clientHost
        + "0000012c" + "0000002d"           // rebalanceTimeout 300, sessionTimeout 45
        + "00000001 01" + "00000002 0203";  // subscription, assignment
    assertThat(bytes(GroupRecordCodec.encodeValue(v))).isEqualTo(hex(expected));
  }

  @Test
  void everyRecordDecodesBackToWhatWasEncoded() {
    GroupMetadataValue group = new GroupMetadataValue("consumer", 2, null, null, -1, List.of(
        new MemberMetadata("a", "inst-1", "client", "/10.0.0.1", 1000, 6000, new byte[] {9, 9}, new byte[0]),
        new MemberMetadata("b", null, "client", "/10.0.0.2", -1, 6000, new byte[0], new byte[] {1})));
    var gk = new GroupMetadataKey("group-é");
    assertThat(GroupRecordCodec.decodeKey(GroupRecordCodec.encodeKey(gk))).isEqualTo(gk);
    assertThat(GroupRecordCodec.decodeValue(gk, GroupRecordCodec.encodeValue(group))).isEqualTo(group);
    var ok = new OffsetCommitKey("g", "topic", 17);
    var ov = new OffsetCommitValue(Long.MAX_VALUE, -1, "", 5);
    assertThat(GroupRecordCodec.decodeKey(GroupRecordCodec.encodeKey(ok))).isEqualTo(ok);
    assertThat(GroupRecordCodec.decodeValue(ok, GroupRecordCodec.encodeValue(ov))).isEqualTo(ov);
    assertThat(GroupRecordCodec.decodeValue(ok, null)).isNull();
  }

  @Test
  void olderValueVersionsWrittenByKafkaAreRead() {
    // OffsetCommitValue v1: offset, metadata, commitTimestamp, expireTimestamp
    var v1 = GroupRecordCodec.decodeValue(new OffsetCommitKey("g", "t", 0),
        ByteBuffer.wrap(hex("0001 0000000000000005 0000 0000000000000001 ffffffffffffffff")));
    assertThat(v1).isEqualTo(new OffsetCommitValue(5, -1, "", 1));
  }

  @Test
  void truncatedOrTrailingBytesOrUnknownVersionsAreCorruption() {
    // proves: a coordinator never loads state it cannot read; each case is named in its description
    ByteBuffer key = GroupRecordCodec.encodeKey(new OffsetCommitKey("g", "t", 3));
    byte[] cut = bytes(key);
    assertCorrupt("a key cut short", () -> GroupRecordCodec.decodeKey(ByteBuffer.wrap(cut, 0, cut.length - 1)));
    byte[] longer = java.util.Arrays.copyOf(cut, cut.length + 1);
    assertCorrupt("a key with a trailing byte", () -> GroupRecordCodec.decodeKey(ByteBuffer.wrap(longer)));
    assertCorrupt("key version 3 (KIP-848 consumer groups)", () -> GroupRecordCodec.decodeKey(ByteBuffer.wrap(hex("0003 0001 67"))));
    assertCorrupt("a negative key version", () -> GroupRecordCodec.decodeKey(ByteBuffer.wrap(hex("ffff 0001 67"))));
    assertCorrupt("a string length past the end", () -> GroupRecordCodec.decodeValue(new GroupMetadataKey("g"),
        ByteBuffer.wrap(hex("0000 7fff"))));
    OffsetCommitKey ok = new OffsetCommitKey("g", "t", 0);
    GroupMetadataKey gk = new GroupMetadataKey("g");
    byte[] offsetV3 = bytes(GroupRecordCodec.encodeValue(new OffsetCommitValue(5, 1, "", 2)));
    byte[] groupV3 = bytes(GroupRecordCodec.encodeValue(new GroupMetadataValue("consumer", 1, null, null, 0, List.of())));
    for (int version : new int[] {4, 5, -1, Short.MAX_VALUE}) {
      byte[] offsetV = offsetV3.clone();
      byte[] groupV = groupV3.clone();
      ByteBuffer.wrap(offsetV).putShort((short) version);
      ByteBuffer.wrap(groupV).putShort((short) version);
      assertCorrupt("OffsetCommitValue v" + version, () -> GroupRecordCodec.decodeValue(ok, ByteBuffer.wrap(offsetV)));
      assertCorrupt("GroupMetadataValue v" + version, () -> GroupRecordCodec.decodeValue(gk, ByteBuffer.wrap(groupV)));
    }
    // the flexible v4 Kafka may write: v3's fields in compact encoding (varint lengths + 1) and an
    // empty tagged-field section; Brook refuses it rather than misread it
    assertCorrupt("flexible OffsetCommitValue v4", () -> GroupRecordCodec.decodeValue(ok,
        ByteBuffer.wrap(hex("0004 0000000000000005 00000001 01 0000000000000002 00"))));
    assertCorrupt("flexible GroupMetadataValue v4", () -> GroupRecordCodec.decodeValue(gk,
        ByteBuffer.wrap(hex("0004 09636f6e73756d6572 00000001 00 00 0000000000000000 01 00"))));
    byte[] offsetCut = java.util.Arrays.copyOf(offsetV3, offsetV3.length - 1);
    assertCorrupt("an OffsetCommitValue cut short", () -> GroupRecordCodec.decodeValue(ok, ByteBuffer.wrap(offsetCut)));
    byte[] groupLonger = java.util.Arrays.copyOf(groupV3, groupV3.length + 1);
    assertCorrupt("a GroupMetadataValue with a trailing byte", () -> GroupRecordCodec.decodeValue(gk,
        ByteBuffer.wrap(groupLonger)));
  }

  private static void assertCorrupt(String what, org.assertj.core.api.ThrowableAssert.ThrowingCallable decode) {
    assertThatThrownBy(decode).as(what).isInstanceOf(CorruptRecordException.class);
  }
}
