package io.brook.groups;

import io.brook.groups.GroupMessages.CommitOffset;
import io.brook.groups.GroupMessages.FetchedOffset;
import io.brook.groups.GroupMessages.OffsetCommitRequest;
import io.brook.groups.GroupMessages.OffsetCommitResponse;
import io.brook.groups.GroupMessages.OffsetFetchRequest;
import io.brook.groups.GroupMessages.OffsetFetchResponse;
import io.brook.groups.GroupRecords.CoordinatorRecord;
import io.brook.groups.GroupRecords.OffsetCommitKey;
import io.brook.groups.GroupRecords.OffsetCommitValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Utils;

/**
 * Committed offsets of a shard's groups: OffsetCommit (fenced by generation and member), OffsetFetch,
 * and the expiry of an empty group's offsets, with Kafka's rules ({@code OffsetMetadataManager},
 * {@code ClassicGroup.validateOffsetCommit}, {@code OffsetExpirationConditionImpl}). Owned by the
 * shard, same thread.
 */
final class Offsets {
  private final GroupCoordinatorConfig config;
  private final SortedMap<String, ClassicGroup> groups;
  private final Map<String, Map<TopicPartition, OffsetCommitValue>> offsets;

  Offsets(GroupCoordinatorConfig config, SortedMap<String, ClassicGroup> groups,
      Map<String, Map<TopicPartition, OffsetCommitValue>> offsets) {
    this.config = config;
    this.groups = groups;
    this.offsets = offsets;
  }

  void commit(Op op, long requestId, OffsetCommitRequest req) {
    Errors error = validateCommit(op, req);
    if (error == Errors.NONE) {
      extendSession(op, groups.get(req.groupId()), req.memberId());
    }
    Map<TopicPartition, Errors> result = new LinkedHashMap<>();
    for (Map.Entry<TopicPartition, CommitOffset> e : req.offsets().entrySet()) {
      TopicPartition tp = e.getKey();
      CommitOffset c = e.getValue();
      String metadata = c.metadata() == null ? "" : c.metadata();
      if (error != Errors.NONE) {
        result.put(tp, error);
      } else if (Utils.utf8Length(metadata) > config.offsetMetadataMaxBytes()) {
        // bytes (Kafka counts chars): the metadata is an int16-length string in the record
        result.put(tp, Errors.OFFSET_METADATA_TOO_LARGE);
      } else if (tp.partition() < 0 || !isValidTopicName(tp.topic())) {
        // as Kafka's KafkaApis: a topic the broker does not have (an invalid name never is) is
        // UNKNOWN_TOPIC_OR_PARTITION; whether a valid one exists is the broker's check (it knows the topics)
        result.put(tp, Errors.UNKNOWN_TOPIC_OR_PARTITION);
      } else {
        OffsetCommitValue value = new OffsetCommitValue(c.offset(), c.leaderEpoch(), metadata, op.nowMs);
        op.putOffset(req.groupId(), tp, value);
        op.write(new CoordinatorRecord(new OffsetCommitKey(req.groupId(), tp.topic(), tp.partition()), value));
        result.put(tp, Errors.NONE);
      }
    }
    op.reply(requestId, new OffsetCommitResponse(result));
  }

  /**
   * Kafka's OffsetMetadataManager.commitOffset: in the classic protocol a commit keeps the member's
   * session alive while the group is Stable or PreparingRebalance (a consumer that commits often
   * need not heartbeat). A member parked in JoinGroup or SyncGroup keeps its wait's bound instead.
   */
  private static void extendSession(Op op, ClassicGroup group, String memberId) {
    ClassicMember m = group == null ? null : group.member(memberId);
    if (m != null && (group.is(GroupState.STABLE) || group.is(GroupState.PREPARING_REBALANCE))
        && !m.awaitingJoin() && !m.awaitingSync()) {
      m.sessionDeadlineMs = op.nowMs + m.sessionTimeoutMs;
    }
  }

  /** Kafka's topic name rules (Topic.validate): 1 to 249 chars of [a-zA-Z0-9._-], not "." or "..". */
  static boolean isValidTopicName(String topic) {
    try {
      Topic.validate(topic);
      return true;
    } catch (InvalidTopicException e) {
      return false;
    }
  }

  private Errors validateCommit(Op op, OffsetCommitRequest req) {
    ClassicGroup group = groups.get(req.groupId());
    if (group == null) {
      if (req.generationId() >= 0) {
        return Errors.ILLEGAL_GENERATION;
      }
      // a commit outside group management (a tool, a reset, a standalone consumer): a "simple" group
      op.touch(req.groupId());
      groups.put(req.groupId(), new ClassicGroup(req.groupId()));
      return Errors.NONE;
    }
    op.touch(req.groupId());
    if (req.generationId() < 0 && group.is(GroupState.EMPTY)) {
      return Errors.NONE;
    }
    if (req.generationId() >= 0 || !req.memberId().isEmpty() || req.groupInstanceId() != null) {
      Errors invalid = ClassicMembership.validateMember(group, req.memberId(), req.groupInstanceId());
      if (invalid != Errors.NONE) {
        return invalid;
      }
      if (req.generationId() != group.generationId) {
        return Errors.ILLEGAL_GENERATION;
      }
    } else if (!group.is(GroupState.EMPTY)) {
      return Errors.UNKNOWN_MEMBER_ID;
    }
    if (group.is(GroupState.COMPLETING_REBALANCE)) {
      // it has the new generation from JoinGroup but not its assignment yet
      return Errors.REBALANCE_IN_PROGRESS;
    }
    return Errors.NONE;
  }

  /**
   * The group's offsets as they are after every earlier operation. The owner releases the answer
   * only once those operations' records are committed, so a client never sees an offset that a
   * failed append takes back.
   */
  void fetch(Op op, long requestId, OffsetFetchRequest req) {
    Map<TopicPartition, OffsetCommitValue> committed = offsets.getOrDefault(req.groupId(), Map.of());
    Map<TopicPartition, FetchedOffset> result = new LinkedHashMap<>();
    if (req.partitions() == null) {
      committed.forEach((tp, v) -> result.put(tp, new FetchedOffset(v.offset(), v.leaderEpoch(), v.metadata())));
    } else {
      for (TopicPartition tp : req.partitions()) {
        OffsetCommitValue v = committed.get(tp);
        result.put(tp, v == null ? FetchedOffset.NONE : new FetchedOffset(v.offset(), v.leaderEpoch(), v.metadata()));
      }
    }
    op.reply(requestId, new OffsetFetchResponse(Errors.NONE, result));
  }

  /**
   * Tombstones for the group's expired offsets: only while the group is Empty, counted from when it
   * became Empty (a group that used group management) or from the commit (a simple group).
   * Returns true when the group has no offsets left.
   */
  boolean expire(Op op, ClassicGroup group) {
    Map<TopicPartition, OffsetCommitValue> committed = offsets.get(group.groupId);
    if (committed == null) {
      return true;
    }
    if (!group.is(GroupState.EMPTY)) {
      return false;
    }
    List<TopicPartition> expired = new ArrayList<>();
    committed.forEach((tp, v) -> {
      long base = group.protocolType != null && group.currentStateTimestampMs >= 0
          ? group.currentStateTimestampMs : v.commitTimestamp();
      if (op.nowMs - base >= config.offsetsRetentionMs()) {
        expired.add(tp);
      }
    });
    int left = committed.size() - expired.size();
    for (TopicPartition tp : expired) {
      removeWithTombstone(op, group.groupId, tp);
    }
    return left == 0;
  }

  /** Kafka's OffsetMetadataManager.deleteOffsets and ClassicGroup.validateOffsetDelete. */
  void delete(Op op, long requestId, GroupMessages.OffsetDeleteRequest req) {
    ClassicGroup group = groups.get(req.groupId());
    if (group == null || group.is(GroupState.DEAD)) {
      op.reply(requestId, new GroupMessages.OffsetDeleteResponse(Errors.GROUP_ID_NOT_FOUND, Map.of()));
      return;
    }
    boolean active = !group.is(GroupState.EMPTY);
    boolean consumer = ConsumerProtocol.PROTOCOL_TYPE.equals(group.protocolType);
    if (active && !consumer) { // a group of another protocol: its members' topics are unknown
      op.reply(requestId, new GroupMessages.OffsetDeleteResponse(Errors.NON_EMPTY_GROUP, Map.of()));
      return;
    }
    java.util.Set<String> subscribed = active ? subscribedTopics(group) : java.util.Set.of();
    Map<TopicPartition, OffsetCommitValue> committed = offsets.getOrDefault(req.groupId(), Map.of());
    Map<TopicPartition, Errors> result = new LinkedHashMap<>();
    for (TopicPartition tp : req.partitions()) {
      if (subscribed == null || subscribed.contains(tp.topic())) {
        result.put(tp, Errors.GROUP_SUBSCRIBED_TO_TOPIC);
        continue;
      }
      if (committed.containsKey(tp)) {
        op.touch(req.groupId()); // an emptied simple group may go (dropIfEphemeral) and come back on undo
        removeWithTombstone(op, req.groupId(), tp);
      }
      result.put(tp, Errors.NONE);
    }
    op.reply(requestId, new GroupMessages.OffsetDeleteResponse(Errors.NONE, result));
  }

  /**
   * The topics the members of an active consumer group subscribe to, from their ConsumerProtocol
   * subscriptions of the group's protocol; null when one cannot be read (then every topic counts as
   * subscribed: an offset a member may still need is not deleted on a guess).
   */
  private static java.util.Set<String> subscribedTopics(ClassicGroup group) {
    java.util.Set<String> topics = new java.util.HashSet<>();
    for (ClassicMember m : group.members.values()) {
      byte[] metadata = group.protocolName == null ? null : m.metadata(group.protocolName);
      if (metadata == null) {
        return null;
      }
      try {
        topics.addAll(ConsumerProtocol.deserializeSubscription(java.nio.ByteBuffer.wrap(metadata)).topics());
      } catch (RuntimeException unreadable) {
        return null;
      }
    }
    return topics;
  }

  /** Tombstones for every offset of the group (DeleteGroups). */
  void removeAll(Op op, String groupId) {
    Map<TopicPartition, OffsetCommitValue> committed = offsets.get(groupId);
    if (committed != null) {
      for (TopicPartition tp : new ArrayList<>(committed.keySet())) {
        removeWithTombstone(op, groupId, tp);
      }
    }
  }

  private void removeWithTombstone(Op op, String groupId, TopicPartition tp) {
    op.removeOffset(groupId, tp);
    op.write(CoordinatorRecord.tombstone(new OffsetCommitKey(groupId, tp.topic(), tp.partition())));
  }

  /** Sets a group's committed offset of {@code tp} in {@code offsets}; {@code null} removes it (and an emptied group). */
  static void set(Map<String, Map<TopicPartition, OffsetCommitValue>> offsets, String groupId, TopicPartition tp,
      OffsetCommitValue value) {
    if (value != null) {
      offsets.computeIfAbsent(groupId, g -> new HashMap<>()).put(tp, value);
      return;
    }
    Map<TopicPartition, OffsetCommitValue> m = offsets.get(groupId);
    if (m != null) {
      m.remove(tp);
      if (m.isEmpty()) {
        offsets.remove(groupId);
      }
    }
  }
}
