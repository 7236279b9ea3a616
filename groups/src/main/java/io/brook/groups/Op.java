package io.brook.groups;

import io.brook.groups.GroupMessages.GroupResponse;
import io.brook.groups.GroupMessages.Reply;
import io.brook.groups.GroupRecords.CoordinatorRecord;
import io.brook.groups.GroupRecords.OffsetCommitValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.apache.kafka.common.TopicPartition;

/**
 * One operation on the shard while it runs: the records it writes, the replies it releases, and
 * what it changed, kept so that {@link GroupCoordinatorShard#revert} can put the state back if its
 * records fail to append. Every change to a group goes through {@link #touch} first (a copy of the
 * group as it was), every change to an offset through {@link #putOffset}/{@link #removeOffset}
 * (the entry as it was). One thread, like the shard.
 */
final class Op {
  final long id;
  final long nowMs;
  final List<CoordinatorRecord> records = new ArrayList<>();
  final List<Reply> replies = new ArrayList<>();
  /** Each touched group as it was before this op (null: it did not exist). */
  final Map<String, ClassicGroup> groupsBefore = new LinkedHashMap<>();
  /** Each touched offset as it was before this op (null: none). */
  final Map<String, Map<TopicPartition, OffsetCommitValue>> offsetsBefore = new LinkedHashMap<>();
  private final SortedMap<String, ClassicGroup> groups;
  private final Map<String, Map<TopicPartition, OffsetCommitValue>> offsets;

  Op(long id, long nowMs, SortedMap<String, ClassicGroup> groups,
      Map<String, Map<TopicPartition, OffsetCommitValue>> offsets) {
    this.id = id;
    this.nowMs = nowMs;
    this.groups = groups;
    this.offsets = offsets;
  }

  /** Call before changing the group (or creating or removing it). */
  void touch(String groupId) {
    if (!groupsBefore.containsKey(groupId)) {
      ClassicGroup g = groups.get(groupId);
      groupsBefore.put(groupId, g == null ? null : g.copy());
    }
  }

  void reply(long requestId, GroupResponse response) {
    if (requestId != ClassicMember.NO_REQUEST) {
      replies.add(new Reply(requestId, response));
    }
  }

  void write(CoordinatorRecord record) {
    records.add(record);
  }

  void putOffset(String groupId, TopicPartition tp, OffsetCommitValue value) {
    rememberOffset(groupId, tp);
    Offsets.set(offsets, groupId, tp, value);
  }

  void removeOffset(String groupId, TopicPartition tp) {
    rememberOffset(groupId, tp);
    Offsets.set(offsets, groupId, tp, null);
  }

  private void rememberOffset(String groupId, TopicPartition tp) {
    Map<TopicPartition, OffsetCommitValue> before = offsetsBefore.computeIfAbsent(groupId, g -> new HashMap<>());
    if (!before.containsKey(tp)) {
      Map<TopicPartition, OffsetCommitValue> current = offsets.get(groupId);
      before.put(tp, current == null ? null : current.get(tp));
    }
  }

  /**
   * Encodes every record this op wrote, as the owner will: throws IllegalArgumentException if one
   * does not fit Kafka's format (a string over 32767 UTF-8 bytes), before anything is handed out.
   */
  /** Each record's bytes; a record that does not encode throws {@code IllegalArgumentException}. */
  List<GroupRecords.EncodedRecord> encodeRecords() {
    List<GroupRecords.EncodedRecord> encoded = new ArrayList<>(records.size());
    for (CoordinatorRecord r : records) {
      encoded.add(new GroupRecords.EncodedRecord(GroupRecordCodec.encodeKey(r.key()),
          GroupRecordCodec.encodeValue(r.value())));
    }
    return encoded;
  }

  boolean changedState() {
    return !records.isEmpty() || !groupsBefore.isEmpty() || !offsetsBefore.isEmpty();
  }

  /** Puts back every group and offset this op touched, as they were before it. */
  void undo() {
    groupsBefore.forEach((groupId, before) -> {
      if (before == null) {
        groups.remove(groupId);
      } else {
        groups.put(groupId, before);
      }
    });
    offsetsBefore.forEach((groupId, entries) -> entries.forEach((tp, before) -> Offsets.set(offsets, groupId, tp, before)));
  }
}
