package io.brook.verticles.partition;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Long-poll fetches waiting at a partition for data ({@code minBytes}) or for their
 * {@code maxWaitMs} to pass. Bounded by {@code queued.max.requests}.
 *
 * <p>Plain Java, owned by the partition leader's event loop; the verticle arms one timer per
 * waiting fetch and removes the fetch when either the timer or new data completes it first.
 */
final class DelayedFetches<T> {
  private final Map<Long, T> waiting = new LinkedHashMap<>();
  private final int maxWaiting;
  private long nextId;

  DelayedFetches(int maxWaiting) {
    this.maxWaiting = maxWaiting;
  }

  /** The new fetch's id, or -1 when too many wait already. */
  long add(T fetch) {
    if (waiting.size() >= maxWaiting) {
      return -1;
    }
    long id = nextId++;
    waiting.put(id, fetch);
    return id;
  }

  /** The fetch, if it was still waiting (a fetch completes once). */
  T remove(long id) {
    return waiting.remove(id);
  }

  /** Removes and returns every waiting fetch that {@code ready} accepts. */
  List<T> removeReady(Predicate<T> ready) {
    List<T> done = new ArrayList<>();
    Iterator<T> it = waiting.values().iterator();
    while (it.hasNext()) {
      T fetch = it.next();
      if (ready.test(fetch)) {
        it.remove();
        done.add(fetch);
      }
    }
    return done;
  }

  List<T> removeAll() {
    List<T> all = new ArrayList<>(waiting.values());
    waiting.clear();
    return all;
  }

  int size() {
    return waiting.size();
  }
}
