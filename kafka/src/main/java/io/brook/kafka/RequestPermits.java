package io.brook.kafka;

import java.util.ArrayDeque;

/**
 * {@code kafka.queued.max.requests}: how many Kafka requests this listener has in progress across its
 * connections. A connection that finds none left stops reading and waits its turn; it is resumed when a
 * request completes. Owned by the listener's event loop.
 */
final class RequestPermits {
  private final int max;
  private int inUse;
  private final ArrayDeque<KafkaConnection> waiting = new ArrayDeque<>();

  RequestPermits(int max) {
    this.max = max;
  }

  boolean tryAcquire() {
    if (inUse >= max) {
      return false;
    }
    inUse++;
    return true;
  }

  void await(KafkaConnection connection) {
    if (!waiting.contains(connection)) {
      waiting.add(connection);
    }
  }

  /** A connection woken that cannot start for its own reasons (its cap) leaves the permit to the next one. */
  void release() {
    inUse--;
    while (inUse < max && !waiting.isEmpty()) {
      waiting.poll().permitAvailable();
    }
  }

  void forget(KafkaConnection connection) {
    waiting.remove(connection);
  }

  int inUse() {
    return inUse;
  }
}
