package io.brook.protocol.message;

/** A member is alive in {@code generationId}; {@code REBALANCE_IN_PROGRESS} tells it to join again. */
public record HeartbeatRequest(String groupId, int generationId, String memberId,
    @Nullable String groupInstanceId) {}
