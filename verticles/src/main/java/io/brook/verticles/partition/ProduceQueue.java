package io.brook.verticles.partition;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Produce requests waiting for the partition's log: at most {@link #MAX_APPENDS_IN_FLIGHT} appends
 * are on their way to the log at once; requests that come meanwhile queue here and are then written
 * together, one write and at most one fsync for all of them (group commit). Two, not one: the log
 * writes the second while the first one's answer travels back, so a request that comes during an
 * append waits for that write only, not for the round trip too (the log takes its messages in order,
 * so the appends stay in order). Bounded by {@code queued.max.requests}.
 *
 * <p>Plain Java, owned by the partition leader's event loop.
 */
final class ProduceQueue<T> {
  private final ArrayDeque<T> waiting = new ArrayDeque<>();
  static final int MAX_APPENDS_IN_FLIGHT = 2;

  private final int maxQueued;
  private int appendsInFlight;

  ProduceQueue(int maxQueued) {
    this.maxQueued = maxQueued;
  }

  /** False when the queue is full. */
  boolean offer(T request) {
    if (waiting.size() >= maxQueued) {
      return false;
    }
    waiting.add(request);
    return true;
  }

  /** The requests to write now: all that wait, unless the appends in flight are at the limit. */
  List<T> drainForAppend() {
    if (appendsInFlight >= MAX_APPENDS_IN_FLIGHT || waiting.isEmpty()) {
      return List.of();
    }
    appendsInFlight++;
    List<T> batch = new ArrayList<>(waiting);
    waiting.clear();
    return batch;
  }

  void onAppendDone() {
    appendsInFlight--;
  }

  /** Empties the queue, for shutdown. */
  List<T> drainAll() {
    List<T> all = new ArrayList<>(waiting);
    waiting.clear();
    return all;
  }

  int size() {
    return waiting.size();
  }
}
