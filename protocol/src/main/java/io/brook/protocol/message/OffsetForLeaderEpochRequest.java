package io.brook.protocol.message;

/**
 * Where {@code leaderEpoch} ends in a partition's log, asked of its leader (Kafka's OffsetForLeaderEpoch,
 * KIP-320: a consumer checks that its position was not truncated away after a leader change).
 * {@code currentLeaderEpoch}: the leader epoch the client knows, -1 for none; an older one is
 * {@code FENCED_LEADER_EPOCH}, a newer one {@code UNKNOWN_LEADER_EPOCH}.
 */
public record OffsetForLeaderEpochRequest(String topic, int partition, int currentLeaderEpoch, int leaderEpoch) {}
