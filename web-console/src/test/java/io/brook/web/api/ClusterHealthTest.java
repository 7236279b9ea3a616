package io.brook.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.protocol.message.BrokerDescription;
import io.brook.protocol.message.BrokerInfo;
import io.brook.protocol.message.ClusterDescription;
import io.brook.protocol.message.MetadataResponse;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.QuorumDescription;
import io.brook.protocol.message.TopicMetadata;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What makes a cluster unhealthy, how it is worded, and that the lists of names are bounded. */
class ClusterHealthTest {
  static BrokerDescription broker(int id, String state) {
    return new BrokerDescription(id, "127.0.0.1", 8080 + id, -1, 10 + id, state, 100, 1, 2);
  }

  static final QuorumDescription QUORUM = new QuorumDescription(4, 1, 99, 99,
      List.of(new QuorumDescription.Replica(1, "d1", true, 99, 0, -1), new QuorumDescription.Replica(2, "d2", true, 99, 0, 5),
          new QuorumDescription.Replica(3, "d3", false, 99, 0, 5)));

  static MetadataResponse metadata(TopicMetadata... topics) {
    return new MetadataResponse(1, List.<BrokerInfo>of(), List.of(topics));
  }

  @Test
  void everyBrokerUnfencedAndEveryPartitionLedAndInSyncIsHealthy() {
    ClusterHealth health = ClusterHealth.of(new ClusterDescription(1, 4, List.of(broker(1, "UNFENCED"),
        broker(2, "UNFENCED")), QUORUM), metadata(new TopicMetadata("t", null, (short) 2,
        List.of(new PartitionMetadata(0, 1, 3, List.of(1, 2), List.of(2, 1))))));
    assertThat(health.healthy()).isTrue();
    JsonObject json = health.toJson();
    assertThat(json.getJsonArray("reasons")).isEmpty();
    assertThat(json.getJsonObject("quorum").getJsonArray("voters")).containsExactly(1, 2);
  }

  @Test
  void aBrokerDownALeaderlessOrUnderReplicatedPartitionOrNoControllerIsUnhealthy() {
    TopicMetadata topic = new TopicMetadata("t", null, (short) 2, List.of(
        new PartitionMetadata(0, 1, 3, List.of(1, 2), List.of(1)),
        new PartitionMetadata(1, -1, 3, List.of(2), List.of(2)),
        new PartitionMetadata(2, 1, 3, List.of(1, 2), List.of(1, 2))));
    ClusterHealth health = ClusterHealth.of(new ClusterDescription(-1, 4, List.of(broker(1, "UNFENCED"),
        broker(2, "FENCED"), broker(3, "REGISTERED")), null), metadata(topic));
    assertThat(health.healthy()).isFalse();
    assertThat(health.reasons()).containsExactly("no controller (the metadata quorum has no leader)",
        "broker 2 is FENCED", "broker 3 is REGISTERED", "1 partition(s) without a leader",
        "1 under-replicated partition(s)");
    JsonObject json = health.toJson();
    assertThat(json.getJsonArray("brokersDown").encode())
        .isEqualTo("[{\"nodeId\":2,\"state\":\"FENCED\"},{\"nodeId\":3,\"state\":\"REGISTERED\"}]");
    assertThat(json.getJsonArray("leaderlessPartitions")).containsExactly("t:1");
    assertThat(json.getJsonArray("underReplicatedPartitions")).containsExactly("t:0");
    assertThat(json.containsKey("quorum")).isFalse();
  }

  @Test
  void namesAreBoundedButCountsAreNot() {
    List<PartitionMetadata> partitions = new ArrayList<>();
    for (int p = 0; p < ClusterHealth.MAX_LISTED + 1; p++) {
      partitions.add(new PartitionMetadata(p, -1, 1, List.of(1, 2), List.of(1)));
    }
    ClusterHealth health = ClusterHealth.of(new ClusterDescription(1, 4, List.of(broker(1, "UNFENCED")), QUORUM),
        metadata(new TopicMetadata("big", null, (short) 2, partitions)));
    assertThat(health.offlineCount()).isEqualTo(ClusterHealth.MAX_LISTED + 1);
    assertThat(health.offline()).hasSize(ClusterHealth.MAX_LISTED).startsWith("big:0");
    assertThat(health.underReplicatedCount()).isEqualTo(ClusterHealth.MAX_LISTED + 1);
    assertThat(health.underReplicated()).hasSize(ClusterHealth.MAX_LISTED);
  }
}
