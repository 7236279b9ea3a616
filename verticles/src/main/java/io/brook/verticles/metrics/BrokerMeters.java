package io.brook.verticles.metrics;

import io.brook.protocol.message.FetchResponse;
import io.brook.protocol.message.ProduceRequest;
import io.brook.protocol.message.ReplicaFetchResponse;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * This broker's Brook meters ({@code brook_*}, docs/METRICS.md): one {@link PartitionMeters} per hosted
 * partition, made when the partition's log opens ({@link #hosted}) and removed when it closes
 * ({@link #removed}); per topic, the produce and fetch request timers (a histogram per partition would
 * be hundreds of series each, times thousands of partitions); and the under-replicated partition count.
 *
 * <p>The request paths look meters up with {@link #find} (two map reads, no allocation) and record
 * nothing for a partition that is not hosted here. One per node, kept in the node's Vert.x local data;
 * thread-safe (concurrent maps, copy-on-write partition arrays; hosting changes are synchronized).
 */
public final class BrokerMeters implements Shareable {
  private static final String KEY = "broker-meters";

  private final MeterRegistry registry;
  private final Map<String, TopicMeters> topics = new ConcurrentHashMap<>();

  /** A topic's request timers and its hosted partitions, indexed by partition number. */
  static final class TopicMeters {
    final Timer produceLatency;
    final Timer fetchLatency;
    volatile PartitionMeters[] partitions = new PartitionMeters[0];
    int hosted;

    TopicMeters(MeterRegistry registry, String topic) {
      produceLatency = timer(registry, "brook.produce.request", topic,
          "produce requests of the topic, from the broker's door to the answer (acks=all: includes replication)");
      fetchLatency = timer(registry, "brook.fetch.request", topic,
          "consumer fetches of the topic, from the broker's door to the answer (includes long-poll waits)");
    }

    private static Timer timer(MeterRegistry registry, String name, String topic, String help) {
      return Timer.builder(name).tag("topic", topic).description(help)
          .publishPercentileHistogram()
          .minimumExpectedValue(Duration.ofMillis(1))
          .maximumExpectedValue(Duration.ofSeconds(30))
          .register(registry);
    }

    PartitionMeters get(int partition) {
      PartitionMeters[] all = partitions;
      return partition >= 0 && partition < all.length ? all[partition] : null;
    }
  }

  BrokerMeters(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("brook.under.replicated.partitions", this, BrokerMeters::underReplicated)
        .description("partitions this broker leads whose ISR is smaller than their replica set")
        .strongReference(true).register(registry);
  }

  /** The node's broker meters, made on first use. */
  public static BrokerMeters of(Vertx vertx) {
    LocalMap<String, Object> map = vertx.sharedData().getLocalMap(NodeMeterRegistry.MAP);
    Object found = map.get(KEY);
    if (found != null) {
      return (BrokerMeters) found;
    }
    synchronized (BrokerMeters.class) { // made once: a second one would register its gauge twice
      found = map.get(KEY);
      if (found == null) {
        found = new BrokerMeters(NodeMeterRegistry.of(vertx));
        map.put(KEY, found);
      }
      return (BrokerMeters) found;
    }
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The partition's meters, made now if its log has just opened here; each call is paired with {@link #removed}. */
  public synchronized PartitionMeters hosted(TopicPartition tp) {
    TopicMeters topic = topics.computeIfAbsent(tp.topic(), name -> new TopicMeters(registry, name));
    PartitionMeters existing = topic.get(tp.partition());
    if (existing != null) {
      existing.holders++; // a second log of the partition (a recreated topic) opened before the first closed
      return existing;
    }
    PartitionMeters made = new PartitionMeters(registry, tp.topic(), tp.partition());
    made.holders = 1;
    PartitionMeters[] grown = Arrays.copyOf(topic.partitions, Math.max(topic.partitions.length, tp.partition() + 1));
    grown[tp.partition()] = made;
    topic.partitions = grown;
    topic.hosted++;
    return made;
  }

  /**
   * The partition's log closed: once no log of it is open here (the partition left this broker) its
   * meters go, and its topic's timers with the last one.
   */
  public synchronized void removed(TopicPartition tp, PartitionMeters meters) {
    TopicMeters topic = topics.get(tp.topic());
    if (meters == null || topic == null || topic.get(tp.partition()) != meters || --meters.holders > 0) {
      return;
    }
    meters.removeFrom(registry);
    PartitionMeters[] shrunk = topic.partitions.clone();
    shrunk[tp.partition()] = null;
    topic.partitions = shrunk;
    if (--topic.hosted == 0) {
      topics.remove(tp.topic());
      registry.remove(topic.produceLatency);
      registry.remove(topic.fetchLatency);
    }
  }

  /**
   * A role verticle's meters of its partition: its log's (the log deploys its role once open), or, for a
   * role run without a log verticle (tests), ones of its own that no log will remove.
   */
  public synchronized PartitionMeters forRole(TopicPartition tp) {
    PartitionMeters found = find(tp.topic(), tp.partition());
    return found != null ? found : hosted(tp);
  }

  /** The hosted partition's meters, or null. */
  public PartitionMeters find(String topic, int partition) {
    TopicMeters meters = topics.get(topic);
    return meters == null ? null : meters.get(partition);
  }

  // ---- the broker's door (BrokerApiVerticle): one call per answered request ----

  /** A produce the leader appended; {@code latencyNs} -1 for acks=0 (nobody waits for the answer). */
  public void onProduced(ProduceRequest request, long latencyNs) {
    TopicMeters topic = topics.get(request.topic());
    PartitionMeters partition = topic == null ? null : topic.get(request.partition());
    if (partition == null) {
      return;
    }
    partition.onProduced(BatchCounts.records(request.records()), request.sizeInBytes());
    if (latencyNs >= 0) {
      topic.produceLatency.record(latencyNs, TimeUnit.NANOSECONDS);
    }
  }

  public void onFetched(String topicName, int partitionNumber, FetchResponse response, long latencyNs) {
    TopicMeters topic = topics.get(topicName);
    PartitionMeters partition = topic == null ? null : topic.get(partitionNumber);
    if (partition == null) {
      return;
    }
    long records = response.file() != null ? response.file().recordCount() : BatchCounts.records(response.records());
    partition.onFetched(records, response.sizeInBytes());
    topic.fetchLatency.record(latencyNs, TimeUnit.NANOSECONDS);
  }

  public void onReplicaFetched(String topicName, int partitionNumber, ReplicaFetchResponse response) {
    PartitionMeters partition = find(topicName, partitionNumber);
    if (partition != null && response.records() != null) {
      partition.onReplicaFetched(BatchCounts.records(response.records()), response.records().remaining());
    }
  }

  // ---- reads ----

  /** Every hosted partition's meters, topic by topic. */
  public void forEachTopic(BiConsumer<String, PartitionMeters[]> action) {
    topics.forEach((name, topic) -> action.accept(name, topic.partitions));
  }

  double underReplicated() {
    long count = 0;
    for (TopicMeters topic : topics.values()) {
      for (PartitionMeters partition : topic.partitions) {
        if (partition != null && partition.underReplicated()) {
          count++;
        }
      }
    }
    return count;
  }

  /** Sum of the hosted logs' sizes: the bytes of Brook's partition files on this broker. */
  public long hostedLogBytes() {
    long bytes = 0;
    for (TopicMeters topic : topics.values()) {
      for (PartitionMeters partition : topic.partitions) {
        if (partition != null) {
          bytes += partition.sizeBytes;
        }
      }
    }
    return bytes;
  }
}
