package io.brook.client.internals;

import java.util.ArrayDeque;

/**
 * One assigned partition as the consumer sees it. {@code position} is the offset of the next
 * record poll returns (-1: none yet, apply {@code auto.offset.reset}); {@code fetchPosition} the
 * offset the next fetch asks for (ahead of {@code position} by what is buffered). Every seek bumps
 * {@code generation}, and a fetch or offset look-up started under an older generation is dropped
 * on arrival.
 *
 * <p>Guarded by the consumer's {@link SubscriptionState} lock. Invariants: at most one fetch in
 * flight; at most two completed fetches buffered.
 */
final class PartitionState {
  static final int MAX_BUFFERED_FETCHES = 2;

  long position = -1;
  long fetchPosition = -1;
  int generation;
  boolean fetchInFlight;
  boolean resetInFlight;
  long retryAtMs;
  long highWatermark = -1;
  RuntimeException error;
  final ArrayDeque<CompletedFetch> buffered = new ArrayDeque<>();

  boolean hasPosition() {
    return position >= 0;
  }

  void seek(long offset) {
    position = offset;
    fetchPosition = offset;
    generation++;
    error = null;
    retryAtMs = 0;
    clearBuffered();
  }

  /** Forgets the position: the next poll applies {@code auto.offset.reset}. */
  void requestReset() {
    position = -1;
    fetchPosition = -1;
    generation++;
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
        && buffered.size() < MAX_BUFFERED_FETCHES;
  }
}
