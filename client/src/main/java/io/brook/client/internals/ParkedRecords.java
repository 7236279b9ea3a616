package io.brook.client.internals;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.protocol.Errors;

/**
 * Records whose topic or partition the producer's metadata does not know yet, in send order. They
 * wait for a refresh: placed when it knows them, failed when a refresh that started after the send
 * says the topic or partition does not exist ({@link UnknownTopicOrPartitionException}) or the
 * topic is invalid, and failed with a {@link TimeoutException} after {@code max.block.ms} otherwise.
 *
 * <p>Ordering: while a topic has parked records, later sends to it park too, and parked records
 * are placed under this object's lock, so a topic's records reach the accumulator in send order.
 * Thread-safe: parked by senders, placed on the producer's context.
 */
final class ParkedRecords {
  private final long maxBlockMs;
  private final List<Outgoing> records = new ArrayList<>();
  private final Map<String, Integer> perTopic = new HashMap<>();
  private volatile int size;

  ParkedRecords(long maxBlockMs) {
    this.maxBlockMs = maxBlockMs;
  }

  /** Lock-free hint for the hot path: nothing parked means nothing to order behind. */
  boolean isEmpty() {
    return size == 0;
  }

  /** Parks {@code out} if it cannot be placed or its topic already has parked records. */
  synchronized boolean parkIfNeeded(Outgoing out, boolean placeable) {
    String topic = out.record().topic();
    if (placeable && !perTopic.containsKey(topic)) {
      return false;
    }
    records.add(out);
    perTopic.merge(topic, 1, Integer::sum);
    size = records.size();
    return true;
  }

  /** Offers each parked record, in order, to {@code placer}; keeps those it declines. */
  synchronized void placeAll(Predicate<Outgoing> placer) {
    Iterator<Outgoing> it = records.iterator();
    while (it.hasNext()) {
      Outgoing out = it.next();
      if (placer.test(out)) {
        it.remove();
        perTopic.computeIfPresent(out.record().topic(), (topic, count) -> count == 1 ? null : count - 1);
      }
    }
    size = records.size();
  }

  synchronized List<Future<?>> futures() {
    List<Future<?>> futures = new ArrayList<>(records.size());
    for (Outgoing out : records) {
      futures.add(out.promise().future());
    }
    return futures;
  }

  /** Why {@code out} must fail now, or null if it may be placed or wait longer. */
  RuntimeException verdict(Outgoing out, MetadataSnapshot.TopicInfo topic, long refreshStartMs, long nowMs) {
    String name = out.record().topic();
    Integer partition = out.record().partition();
    boolean fresh = refreshStartMs > out.sendMs(); // the answer was asked for after the send
    if (topic != null && fresh) {
      if (topic.error() == Errors.UNKNOWN_TOPIC_OR_PARTITION) {
        return new UnknownTopicOrPartitionException("Topic " + name + " not present in metadata.");
      }
      if (topic.error() != Errors.NONE && !(topic.error().exception() instanceof RetriableException)) {
        return topic.error().exception("Topic " + name + ": " + topic.error().message());
      }
      if (topic.known() && partition != null && partition >= topic.partitionCount()) {
        return new UnknownTopicOrPartitionException("Partition " + partition + " of topic " + name
            + " with partition count " + topic.partitionCount() + " is not present in metadata.");
      }
    }
    if (nowMs - out.sendMs() >= maxBlockMs) {
      return new TimeoutException("Topic " + name + " not present in metadata after " + maxBlockMs + " ms.");
    }
    return null;
  }
}
