package io.brook.client.internals;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;

/**
 * Kafka's partitioning: an explicit partition is honoured; a keyed record goes to
 * {@link BuiltInPartitioner#partitionForKey} (murmur2, the same partition as Kafka for the same key
 * and partition count) unless {@code partitioner.ignore.keys}; an unkeyed record goes to the
 * topic's sticky partition, which moves to another random partition when a batch of it is
 * closed, so unkeyed records fill whole batches yet spread over the partitions.
 *
 * <p>Thread-safe, lock-free: a race on a switch only means one extra or one fewer switch.
 */
final class StickyPartitioner {
  private final boolean ignoreKeys;
  private final ConcurrentHashMap<String, AtomicInteger> sticky = new ConcurrentHashMap<>();

  StickyPartitioner(boolean ignoreKeys) {
    this.ignoreKeys = ignoreKeys;
  }

  /** The partition of a record of {@code topic} with {@code numPartitions} (> 0) partitions. */
  int partition(String topic, Integer explicit, byte[] key, int numPartitions) {
    if (explicit != null) {
      return explicit;
    }
    if (key != null && !ignoreKeys) {
      return BuiltInPartitioner.partitionForKey(key, numPartitions);
    }
    AtomicInteger current = sticky.computeIfAbsent(topic,
        t -> new AtomicInteger(ThreadLocalRandom.current().nextInt(numPartitions)));
    int partition = current.get();
    if (partition >= numPartitions) { // the partition count shrank (topic re-created)
      partition = ThreadLocalRandom.current().nextInt(numPartitions);
      current.set(partition);
    }
    return partition;
  }

  /** A batch of {@code tp} was closed: if it was the sticky one, stick to another partition. */
  void onBatchClosed(TopicPartition tp, int numPartitions) {
    AtomicInteger current = sticky.get(tp.topic());
    if (current == null || numPartitions <= 1 || current.get() != tp.partition()) {
      return;
    }
    int next = ThreadLocalRandom.current().nextInt(numPartitions - 1);
    current.compareAndSet(tp.partition(), next >= tp.partition() ? next + 1 : next);
  }
}
