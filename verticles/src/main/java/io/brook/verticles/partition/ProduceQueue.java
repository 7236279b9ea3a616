package io.brook.verticles.partition;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Produce requests waiting for the partition's log: while one append is being written, the next
 * requests queue here and are then written together, one write and at most one fsync for all of
 * them (group commit). Bounded by {@code queued.max.requests}.
 *
 * <p>Plain Java, owned by the partition leader's event loop.
 */
final class ProduceQueue<T> {
  private final ArrayDeque<T> waiting = new ArrayDeque<>();
  private final int maxQueued;
  private boolean appendInFlight;

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

  /** The requests to write now: all that wait, unless an append is still in flight. */
  List<T> drainForAppend() {
    if (appendInFlight || waiting.isEmpty()) {
      return List.of();
    }
    appendInFlight = true;
    List<T> batch = new ArrayList<>(waiting);
    waiting.clear();
    return batch;
  }

  void onAppendDone() {
    appendInFlight = false;
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
