package io.brook.client.internals;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;

/**
 * The consumer's assigned partitions and their {@link PartitionState}s, in assignment order.
 *
 * <p>This object is the consumer's one lock: the application thread (assign, seek, position) and
 * the consumer's context (fetch responses, poll) both work on partition states inside
 * {@code synchronized (subscriptions)}. It also owns the consumer-wide generation counter: every
 * {@link PartitionState} takes its generations from it, so no two states ever share one.
 */
final class SubscriptionState {
  private final Map<TopicPartition, PartitionState> states = new LinkedHashMap<>();
  private final AtomicLong generations = new AtomicLong();
  private int nextDrainIndex;

  /** Keeps the state of partitions that stay assigned; new ones start without a position. */
  synchronized void assign(Collection<TopicPartition> partitions) {
    Map<TopicPartition, PartitionState> kept = new LinkedHashMap<>();
    for (TopicPartition tp : partitions) {
      PartitionState state = states.remove(tp);
      kept.put(tp, state != null ? state : new PartitionState(generations));
    }
    for (PartitionState dropped : states.values()) {
      dropped.invalidate();
    }
    states.clear();
    states.putAll(kept);
  }

  synchronized Set<TopicPartition> assignment() {
    return Set.copyOf(states.keySet());
  }

  /** The state, or null when not assigned. */
  synchronized PartitionState state(TopicPartition tp) {
    return states.get(tp);
  }

  /** The state; {@link IllegalStateException} when not assigned, as Kafka's consumer. */
  synchronized PartitionState assigned(TopicPartition tp) {
    PartitionState state = states.get(tp);
    if (state == null) {
      throw new IllegalStateException("No current assignment for partition " + tp);
    }
    return state;
  }

  synchronized Map<TopicPartition, PartitionState> all() {
    return states;
  }

  /** The partitions in drain order: rotated each poll so no partition starves the others. */
  synchronized List<Map.Entry<TopicPartition, PartitionState>> drainOrder() {
    List<Map.Entry<TopicPartition, PartitionState>> entries = new ArrayList<>(states.entrySet());
    if (entries.isEmpty()) {
      return entries;
    }
    int start = nextDrainIndex++ % entries.size();
    List<Map.Entry<TopicPartition, PartitionState>> rotated = new ArrayList<>(entries.subList(start, entries.size()));
    rotated.addAll(entries.subList(0, start));
    return rotated;
  }

  synchronized boolean isEmpty() {
    return states.isEmpty();
  }
}
