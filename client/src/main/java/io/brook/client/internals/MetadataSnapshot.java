package io.brook.client.internals;

import io.brook.protocol.message.BrokerInfo;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.TopicMetadata;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
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

  /**
   * A topic as last seen: {@code leaders[p]} is partition p's leader node id, or {@link #NO_LEADER},
   * at leader epoch {@code leaderEpochs[p]}; {@code topicId} is null when unknown.
   */
  public record TopicInfo(String name, Errors error, int[] leaders, int[] leaderEpochs, String topicId) {
    public int partitionCount() {
      return leaders.length;
    }

    public boolean known() {
      return error == Errors.NONE;
    }

    /**
     * This answer, except that a partition keeps what {@code previous} knew when this one is at an
     * older leader epoch (Kafka's KIP-320): a broker that was cut off answers from metadata that
     * stopped when it was, and following it would send fetches to a leader that was replaced.
     * A topic with another id (deleted and created again) starts over.
     */
    TopicInfo noOlderThan(TopicInfo previous) {
      if (previous == null || !known() || !previous.known()
          || (topicId != null && previous.topicId != null && !topicId.equals(previous.topicId))) {
        return this;
      }
      int count = Math.max(leaders.length, previous.leaders.length);
      int[] newLeaders = Arrays.copyOf(leaders, count);
      int[] newEpochs = Arrays.copyOf(leaderEpochs, count);
      for (int p = 0; p < count; p++) {
        if (p >= leaders.length || (p < previous.leaders.length && leaderEpochs[p] < previous.leaderEpochs[p])) {
          newLeaders[p] = previous.leaders[p];
          newEpochs[p] = previous.leaderEpochs[p];
        }
      }
      return new TopicInfo(name, error, newLeaders, newEpochs, topicId != null ? topicId : previous.topicId);
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

  /** The leader epoch of the partition's leader as last seen, or {@code -1} when unknown. */
  public int leaderEpoch(TopicPartition tp) {
    TopicInfo info = topics.get(tp.topic());
    if (info == null || !info.known() || tp.partition() >= info.leaderEpochs.length) {
      return -1;
    }
    return info.leaderEpochs[tp.partition()];
  }

  /**
   * A new snapshot with the given topics replaced (others kept as they were), a partition's leader
   * never replaced by one of an older epoch.
   */
  public MetadataSnapshot merge(Iterable<TopicMetadata> updates) {
    return merge(updates, false);
  }

  /**
   * As {@link #merge(Iterable)}; with {@code complete} (the answer lists every topic of the
   * cluster) the topics it does not list are dropped: they were deleted.
   */
  public MetadataSnapshot merge(Iterable<TopicMetadata> updates, boolean complete) {
    Map<String, TopicInfo> merged = complete ? new HashMap<>() : new HashMap<>(topics);
    for (TopicMetadata topic : updates) {
      merged.put(topic.name(), toInfo(topic).noOlderThan(topics.get(topic.name())));
    }
    return new MetadataSnapshot(Map.copyOf(merged), brokerNodes);
  }

  /** The topics known to exist. */
  public Set<String> knownTopics() {
    Set<String> known = new TreeSet<>();
    topics.forEach((name, info) -> {
      if (info.known()) {
        known.add(name);
      }
    });
    return known;
  }

  /**
   * The known partitions of {@code topicNames} as Kafka's {@link Cluster}, what a group leader's
   * assignor reads (it uses the partitions only: leaders and racks are left out).
   */
  public Cluster cluster(Collection<String> topicNames) {
    List<PartitionInfo> partitions = new ArrayList<>();
    for (String name : topicNames) {
      TopicInfo info = topics.get(name);
      if (info != null && info.known()) {
        for (int p = 0; p < info.partitionCount(); p++) {
          partitions.add(new PartitionInfo(name, p, null, new Node[0], new Node[0]));
        }
      }
    }
    return new Cluster(null, List.of(), partitions, Set.of(), Set.of());
  }

  private static TopicInfo toInfo(TopicMetadata topic) {
    Errors error = errorOf(topic.error());
    if (error != Errors.NONE || topic.partitions() == null) {
      return new TopicInfo(topic.name(), error == Errors.NONE ? Errors.UNKNOWN_TOPIC_OR_PARTITION : error, new int[0],
          new int[0], null);
    }
    int count = 0;
    for (PartitionMetadata p : topic.partitions()) {
      count = Math.max(count, p.partition() + 1);
    }
    int[] leaders = new int[count];
    int[] epochs = new int[count];
    Arrays.fill(leaders, NO_LEADER);
    Arrays.fill(epochs, -1);
    for (PartitionMetadata p : topic.partitions()) {
      leaders[p.partition()] = p.leader();
      epochs[p.partition()] = p.leaderEpoch();
    }
    return new TopicInfo(topic.name(), Errors.NONE, leaders, epochs, topic.topicId());
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
