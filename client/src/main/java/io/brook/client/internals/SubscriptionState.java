package io.brook.client.internals;

import io.brook.protocol.InternalTopics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What the consumer reads: either partitions the application assigned, or a subscription (topics,
 * or a pattern matched against the cluster's topics) whose partitions the group assigns; and the
 * {@link PartitionState} of each assigned partition, in assignment order.
 *
 * <p>This object is the consumer's one lock: the application thread (assign, subscribe, seek,
 * pause, position) and the consumer's context (fetch responses, poll, the group member) both work
 * on it inside {@code synchronized (subscriptions)}. It also owns the consumer-wide generation
 * counter: every {@link PartitionState} takes its generations from it, so no two states ever share
 * one. The three ways of choosing partitions are exclusive, as Kafka's: switching needs
 * {@code unsubscribe()} first.
 */
final class SubscriptionState {
  static final String EXCLUSIVE = "Subscription to topics, partitions and pattern are mutually exclusive";

  /** How the partitions are chosen. */
  enum Type { NONE, AUTO_TOPICS, AUTO_PATTERN, USER_ASSIGNED }

  private final Map<TopicPartition, PartitionState> states = new LinkedHashMap<>();
  private final AtomicLong generations = new AtomicLong();
  /** With a group, a partition newly assigned starts from the group's committed offset. */
  private final boolean useCommittedOffsets;
  private int nextDrainIndex;
  private Type type = Type.NONE;
  private Set<String> subscription = Set.of();
  private Pattern pattern;
  private ConsumerRebalanceListener listener;

  SubscriptionState(boolean useCommittedOffsets) {
    this.useCommittedOffsets = useCommittedOffsets;
  }

  // ---- how partitions are chosen ----

  /** Subscribes to {@code topics}; answers whether the subscription changed. */
  synchronized boolean subscribe(Set<String> topics, ConsumerRebalanceListener rebalanceListener) {
    setType(Type.AUTO_TOPICS);
    this.listener = rebalanceListener;
    return changeSubscription(topics);
  }

  synchronized void subscribe(Pattern topicPattern, ConsumerRebalanceListener rebalanceListener) {
    setType(Type.AUTO_PATTERN);
    this.listener = rebalanceListener;
    this.pattern = topicPattern;
  }

  /** A pattern subscription's topics, from the cluster's {@code topics}; answers whether they changed. */
  synchronized boolean matchPattern(Collection<String> topics) {
    if (type != Type.AUTO_PATTERN) {
      return false;
    }
    Set<String> matched = new TreeSet<>();
    for (String topic : topics) {
      if (!InternalTopics.isInternal(topic) && pattern.matcher(topic).matches()) {
        matched.add(topic);
      }
    }
    return changeSubscription(matched);
  }

  private boolean changeSubscription(Set<String> topics) {
    if (subscription.equals(topics)) {
      return false;
    }
    subscription = Set.copyOf(topics);
    return true;
  }

  private void setType(Type wanted) {
    if (type != Type.NONE && type != wanted) {
      throw new IllegalStateException(EXCLUSIVE);
    }
    type = wanted;
  }

  synchronized void assignFromUser(Collection<TopicPartition> partitions) {
    setType(Type.USER_ASSIGNED);
    assign(partitions);
  }

  /** The group's assignment: partitions kept keep their state; new ones take the committed offset. */
  synchronized void assignFromSubscribed(Collection<TopicPartition> partitions) {
    if (!hasAutoAssignedPartitions()) {
      throw new IllegalStateException("Cannot take a group assignment without a subscription");
    }
    assign(partitions);
  }

  synchronized void unsubscribe() {
    assign(List.of());
    type = Type.NONE;
    subscription = Set.of();
    pattern = null;
    listener = null;
  }

  /** Keeps the state of partitions that stay assigned; new ones start without a position. */
  private void assign(Collection<TopicPartition> partitions) {
    Map<TopicPartition, PartitionState> kept = new LinkedHashMap<>();
    for (TopicPartition tp : partitions) {
      PartitionState state = states.remove(tp);
      if (state == null) {
        state = new PartitionState(generations);
        state.needsCommittedOffset = useCommittedOffsets;
      }
      kept.put(tp, state);
    }
    for (PartitionState dropped : states.values()) {
      dropped.invalidate();
    }
    states.clear();
    states.putAll(kept);
  }

  synchronized Type type() {
    return type;
  }

  synchronized boolean hasAutoAssignedPartitions() {
    return type == Type.AUTO_TOPICS || type == Type.AUTO_PATTERN;
  }

  synchronized boolean hasPatternSubscription() {
    return type == Type.AUTO_PATTERN;
  }

  synchronized boolean hasNoSubscriptionOrUserAssignment() {
    return type == Type.NONE;
  }

  /** The topics subscribed to (a pattern's: those it matched at the last metadata refresh). */
  synchronized Set<String> subscription() {
    return hasAutoAssignedPartitions() ? subscription : Set.of();
  }

  synchronized Optional<ConsumerRebalanceListener> rebalanceListener() {
    return Optional.ofNullable(listener);
  }

  /** Whether every partition the group assigned is of a topic subscribed to (it may have changed since the join). */
  synchronized boolean matchesSubscription(Collection<TopicPartition> assigned) {
    for (TopicPartition tp : assigned) {
      boolean subscribed = type == Type.AUTO_PATTERN ? pattern.matcher(tp.topic()).matches()
          : subscription.contains(tp.topic());
      if (!subscribed) {
        return false;
      }
    }
    return true;
  }

  // ---- the assigned partitions ----

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

  /**
   * The position of every assigned partition that has one, with the leader epoch of the record
   * before it: what a commit of "everything consumed" sends (Kafka's {@code allConsumed}).
   */
  synchronized Map<TopicPartition, OffsetAndMetadata> allConsumed() {
    return consumed(states.keySet());
  }

  synchronized Map<TopicPartition, OffsetAndMetadata> consumed(Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition tp : partitions) {
      PartitionState state = states.get(tp);
      if (state != null && state.hasPosition()) {
        offsets.put(tp, new OffsetAndMetadata(state.position,
            state.positionEpoch < 0 ? Optional.empty() : Optional.of(state.positionEpoch), ""));
      }
    }
    return offsets;
  }

  /** Stops fetching and draining these partitions until they are revoked (their positions are committed meanwhile). */
  synchronized void markPendingRevocation(Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      PartitionState state = states.get(tp);
      if (state != null) {
        state.pendingRevocation = true;
      }
    }
  }

  synchronized void pause(Collection<TopicPartition> partitions) {
    partitions.forEach(tp -> assigned(tp).paused = true);
  }

  synchronized void resume(Collection<TopicPartition> partitions) {
    partitions.forEach(tp -> assigned(tp).paused = false);
  }

  synchronized Set<TopicPartition> paused() {
    Set<TopicPartition> paused = new HashSet<>();
    states.forEach((tp, state) -> {
      if (state.paused) {
        paused.add(tp);
      }
    });
    return Set.copyOf(paused);
  }

  /** Partitions waiting for the group's committed offset, with no look-up in flight. */
  synchronized Map<TopicPartition, PartitionState> awaitingCommittedOffsets() {
    Map<TopicPartition, PartitionState> waiting = new HashMap<>();
    states.forEach((tp, state) -> {
      if (state.needsCommittedOffset && !state.committedFetchInFlight && !state.hasPosition()) {
        waiting.put(tp, state);
      }
    });
    return waiting;
  }

  synchronized boolean isEmpty() {
    return states.isEmpty();
  }
}
