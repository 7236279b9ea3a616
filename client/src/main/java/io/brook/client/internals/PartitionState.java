package io.brook.client.internals;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One assigned partition as the consumer sees it. {@code position} is the offset of the next
 * record poll returns (-1: none yet, apply {@code auto.offset.reset}); {@code fetchPosition} the
 * offset the next fetch asks for (ahead of {@code position} by what is buffered). Every seek takes
 * a new {@code generation}, and a fetch or offset look-up started under another generation is
 * dropped on arrival.
 *
 * <p>Generations come from one consumer-wide counter ({@link SubscriptionState}), so they are never
 * reused: a partition unassigned and assigned again gets a new state whose generations differ from
 * every generation of the old one, and a response started for the old state can never pass for the
 * new one. Responses also check that they belong to this very state instance before they touch
 * its in-flight flags.
 *
 * <p>In a group (a {@code group.id}), a partition newly assigned first takes the group's committed
 * offset ({@code needsCommittedOffset}: no auto.offset.reset until the coordinator answered that it
 * has none). A paused partition is neither fetched nor drained (what is buffered stays); one
 * {@code pendingRevocation} neither, while its position is committed before it is given up.
 * {@code positionEpoch} is the leader epoch of the record before the position (-1: unknown), what
 * a commit carries.
 *
 * <p>Guarded by the consumer's {@link SubscriptionState} lock. Invariants: at most one fetch in
 * flight per state; at most two completed fetches buffered.
 */
final class PartitionState {
  static final int MAX_BUFFERED_FETCHES = 2;

  private final AtomicLong generations;
  long position = -1;
  long fetchPosition = -1;
  long generation;
  boolean fetchInFlight;
  boolean resetInFlight;
  long retryAtMs;
  long highWatermark = -1;
  int positionEpoch = -1;
  boolean paused;
  boolean pendingRevocation;
  boolean needsCommittedOffset;
  boolean committedFetchInFlight;
  RuntimeException error;
  final ArrayDeque<CompletedFetch> buffered = new ArrayDeque<>();

  /** @param generations the consumer-wide generation counter */
  PartitionState(AtomicLong generations) {
    this.generations = generations;
    this.generation = generations.incrementAndGet();
  }

  boolean hasPosition() {
    return position >= 0;
  }

  void seek(long offset) {
    seek(offset, -1);
  }

  /** A new position, the record before it written at {@code leaderEpoch} (-1: unknown). */
  void seek(long offset, int leaderEpoch) {
    position = offset;
    fetchPosition = offset;
    positionEpoch = leaderEpoch;
    needsCommittedOffset = false;
    error = null;
    retryAtMs = 0;
    invalidate();
  }

  /** Forgets the position: the next poll applies {@code auto.offset.reset}. */
  void requestReset() {
    position = -1;
    fetchPosition = -1;
    invalidate();
  }

  /** Drops what is buffered and makes every fetch or look-up in flight stale. */
  void invalidate() {
    generation = generations.incrementAndGet();
    clearBuffered();
  }

  void clearBuffered() {
    for (CompletedFetch fetch : buffered) {
      fetch.close();
    }
    buffered.clear();
  }

  boolean fetchable(long nowMs) {
    return hasPosition() && !fetchInFlight && error == null && nowMs >= retryAtMs
        && buffered.size() < MAX_BUFFERED_FETCHES && !paused && !pendingRevocation;
  }

  /** Whether poll may hand out this partition's buffered records. */
  boolean drainable() {
    return !paused && !pendingRevocation;
  }

  /** Whether auto.offset.reset may give it a position now (a group's committed offset comes first). */
  boolean needsReset() {
    return !hasPosition() && !needsCommittedOffset && !pendingRevocation;
  }
}
