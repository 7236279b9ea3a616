package io.brook.web.api;

import io.brook.protocol.message.BrokerDescription;
import io.brook.protocol.message.ClusterDescription;
import io.brook.protocol.message.MetadataResponse;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.QuorumDescription;
import io.brook.protocol.message.TopicMetadata;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster's health (as {@code rpk cluster health}) from what the controller says of the brokers and what a
 * broker's metadata says of the partitions: healthy when there is a controller, every registered broker is
 * UNFENCED, and every partition has a leader and all its replicas in sync. Lists of names are bounded
 * ({@link #MAX_LISTED}); the counts are not. Plain data, no I/O.
 */
public record ClusterHealth(int controllerId, List<BrokerDescription> brokers, List<BrokerDescription> brokersDown,
                            int offlineCount, List<String> offline, int underReplicatedCount,
                            List<String> underReplicated, QuorumDescription quorum) {
  /** Most partition names listed per kind: a cluster with 50,000 sick partitions still answers a small body. */
  public static final int MAX_LISTED = 100;

  public static ClusterHealth of(ClusterDescription cluster, MetadataResponse metadata) {
    List<BrokerDescription> down = cluster.brokers().stream().filter(b -> !"UNFENCED".equals(b.state())).toList();
    List<String> offline = new ArrayList<>();
    List<String> underReplicated = new ArrayList<>();
    int offlineCount = 0;
    int underReplicatedCount = 0;
    for (TopicMetadata topic : metadata.topics()) {
      for (PartitionMetadata partition : topic.partitions()) {
        String name = topic.name() + ":" + partition.partition();
        if (partition.leader() < 0) {
          offlineCount++;
          addBounded(offline, name);
        }
        if (partition.isr().size() < partition.replicas().size()) {
          underReplicatedCount++;
          addBounded(underReplicated, name);
        }
      }
    }
    return new ClusterHealth(cluster.controllerId(), cluster.brokers(), down, offlineCount, offline,
        underReplicatedCount, underReplicated, cluster.quorum());
  }

  private static void addBounded(List<String> names, String name) {
    if (names.size() < MAX_LISTED) {
      names.add(name);
    }
  }

  public boolean healthy() {
    return controllerId >= 0 && brokersDown.isEmpty() && offlineCount == 0 && underReplicatedCount == 0;
  }

  /** One line per reason the cluster is not healthy, in the order an operator would look. */
  public List<String> reasons() {
    List<String> reasons = new ArrayList<>();
    if (controllerId < 0) {
      reasons.add("no controller (the metadata quorum has no leader)");
    }
    for (BrokerDescription broker : brokersDown) {
      reasons.add("broker " + broker.nodeId() + " is " + broker.state());
    }
    if (offlineCount > 0) {
      reasons.add(offlineCount + " partition(s) without a leader");
    }
    if (underReplicatedCount > 0) {
      reasons.add(underReplicatedCount + " under-replicated partition(s)");
    }
    return reasons;
  }

  public JsonObject toJson() {
    JsonArray down = new JsonArray();
    brokersDown.forEach(b -> down.add(new JsonObject().put("nodeId", b.nodeId()).put("state", b.state())));
    JsonObject json = new JsonObject()
        .put("healthy", healthy())
        .put("reasons", new JsonArray(reasons()))
        .put("controllerId", controllerId)
        .put("brokers", new JsonArray(brokers.stream().map(BrokerDescription::nodeId).toList()))
        .put("brokersDown", down)
        .put("leaderlessPartitionCount", offlineCount)
        .put("leaderlessPartitions", new JsonArray(offline))
        .put("underReplicatedPartitionCount", underReplicatedCount)
        .put("underReplicatedPartitions", new JsonArray(underReplicated));
    if (quorum != null) {
      json.put("quorum", new JsonObject()
          .put("leaderId", quorum.leaderId())
          .put("epoch", quorum.epoch())
          .put("highWatermark", quorum.highWatermark())
          .put("voters", new JsonArray(quorum.replicas().stream().filter(QuorumDescription.Replica::voter)
              .map(QuorumDescription.Replica::nodeId).toList())));
    }
    return json;
  }
}
