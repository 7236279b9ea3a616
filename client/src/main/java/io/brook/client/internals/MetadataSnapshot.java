package io.brook.client.internals;

import io.brook.protocol.message.BrokerInfo;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.TopicMetadata;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * What a client knows of the cluster at one moment: per topic, its error (if the broker reported
 * one) and each partition's leader; per broker, its event bus node. Immutable; published through a
 * volatile field so {@code send()} reads it without a lock.
 */
public final class MetadataSnapshot {
  public static final MetadataSnapshot EMPTY = new MetadataSnapshot(Map.of(), Map.of());
  public static final int NO_LEADER = -1;

  /** A topic as last seen: {@code leaders[p]} is partition p's leader node id, or {@link #NO_LEADER}. */
  public record TopicInfo(String name, Errors error, int[] leaders) {
    public int partitionCount() {
      return leaders.length;
    }

    public boolean known() {
      return error == Errors.NONE;
    }

    @Override
    public String toString() {
      return name + (known() ? Arrays.toString(leaders) : "(" + error + ")");
    }
  }

  private final Map<String, TopicInfo> topics;
  private final Map<Integer, String> brokerNodes;

  private MetadataSnapshot(Map<String, TopicInfo> topics, Map<Integer, String> brokerNodes) {
    this.topics = topics;
    this.brokerNodes = brokerNodes;
  }

  /** The brokers whose event bus node is known, as broker id → node id. */
  public Map<Integer, String> brokerNodes() {
    return brokerNodes;
  }

  /** The cluster manager's id of the broker's event bus node, or null when unknown. */
  public String eventBusNode(int brokerId) {
    return brokerNodes.get(brokerId);
  }

  /** A new snapshot with the brokers' event bus nodes as {@code brokers} list them. */
  public MetadataSnapshot withBrokers(List<BrokerInfo> brokers) {
    Map<Integer, String> nodes = new HashMap<>();
    if (brokers != null) {
      brokers.stream().filter(b -> b.eventBusNodeId() != null).forEach(b -> nodes.put(b.nodeId(), b.eventBusNodeId()));
    }
    return new MetadataSnapshot(topics, Map.copyOf(nodes));
  }

  /** The topic, or null when never asked for. */
  public TopicInfo topic(String name) {
    return topics.get(name);
  }

  /** The partition's leader, or {@link #NO_LEADER} when unknown. */
  public int leader(TopicPartition tp) {
    TopicInfo info = topics.get(tp.topic());
    if (info == null || !info.known() || tp.partition() >= info.leaders.length) {
      return NO_LEADER;
    }
    return info.leaders[tp.partition()];
  }

  /** A new snapshot with the given topics replaced (others kept as they were). */
  public MetadataSnapshot merge(Iterable<TopicMetadata> updates) {
    Map<String, TopicInfo> merged = new HashMap<>(topics);
    for (TopicMetadata topic : updates) {
      merged.put(topic.name(), toInfo(topic));
    }
    return new MetadataSnapshot(Map.copyOf(merged), brokerNodes);
  }

  private static TopicInfo toInfo(TopicMetadata topic) {
    Errors error = errorOf(topic.error());
    if (error != Errors.NONE || topic.partitions() == null) {
      return new TopicInfo(topic.name(), error == Errors.NONE ? Errors.UNKNOWN_TOPIC_OR_PARTITION : error, new int[0]);
    }
    int count = 0;
    for (PartitionMetadata p : topic.partitions()) {
      count = Math.max(count, p.partition() + 1);
    }
    int[] leaders = new int[count];
    Arrays.fill(leaders, NO_LEADER);
    for (PartitionMetadata p : topic.partitions()) {
      leaders[p.partition()] = p.leader();
    }
    return new TopicInfo(topic.name(), Errors.NONE, leaders);
  }

  static Errors errorOf(String name) {
    if (name == null || name.isEmpty()) {
      return Errors.NONE;
    }
    try {
      return Errors.valueOf(name);
    } catch (IllegalArgumentException e) {
      return Errors.UNKNOWN_SERVER_ERROR;
    }
  }
}
