package io.brook.protocol.message;

import java.util.List;

/**
 * Commit offsets for a group: from a member ({@code generationId} and {@code memberId} of its
 * generation), or outside group management ({@code generationId} -1, {@code memberId} ""), which
 * only an Empty or unknown group accepts.
 */
public record OffsetCommitRequest(String groupId, int generationId, String memberId,
    @Nullable String groupInstanceId, List<Offset> offsets) {

  /** {@code leaderEpoch} -1 when unknown; {@code metadata} may be null. */
  public record Offset(String topic, int partition, long offset, int leaderEpoch, String metadata) {}
}
