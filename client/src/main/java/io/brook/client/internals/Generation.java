package io.brook.client.internals;

import java.util.Objects;

/**
 * A member's place in its group, as the coordinator gave it: the generation id, this member's id
 * and the protocol (assignor) of that generation. {@link #NO_GENERATION} before the first join and
 * after the member lost its place; a member that only lost its generation keeps its member id.
 * Immutable.
 */
record Generation(int generationId, String memberId, String protocolName) {
  static final Generation NO_GENERATION = new Generation(-1, "", null);

  Generation {
    Objects.requireNonNull(memberId, "memberId");
  }

  boolean hasMemberId() {
    return !memberId.isEmpty();
  }

  /** No generation (the member id may remain): partitions still owned are lost, not revoked. */
  boolean isReset() {
    return generationId == NO_GENERATION.generationId || memberId.isEmpty();
  }

  Generation withoutGeneration() {
    return new Generation(NO_GENERATION.generationId, memberId, null);
  }
}
