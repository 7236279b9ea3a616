package io.brook.verticles;

import static io.brook.verticles.BrokerHarness.NODE_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.brook.protocol.Addresses;
import io.brook.protocol.message.OffsetForLeaderEpochRequest;
import io.brook.protocol.message.OffsetForLeaderEpochResponse;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.storage.Time;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a leader epoch ends, asked of the partition's leader (KIP-320), with the client's epoch checked. */
class BrokerOffsetForLeaderEpochTest {
  @TempDir
  Path dataDir;

  @Test
  void theLeaderSaysWhereAnEpochEndsAndFencesAStaleOrUnknownOne() {
    try (BrokerHarness broker = new BrokerHarness(dataDir, Map.of(), Time.SYSTEM)) {
      broker.calls.createTopic("epochs", 1, Map.of());
      broker.calls.produce("epochs", 0, "a", "b", "c");
      PartitionMetadata partition = broker.calls.<io.brook.protocol.message.MetadataResponse>request(
          Addresses.metadata(NODE_ID), new io.brook.protocol.message.MetadataRequest(java.util.List.of("epochs")))
          .topics().get(0).partitions().get(0);
      int epoch = partition.leaderEpoch();

      OffsetForLeaderEpochResponse current = broker.calls.request(Addresses.offsetForLeaderEpoch(NODE_ID),
          new OffsetForLeaderEpochRequest("epochs", 0, epoch, epoch));
      assertThat(current).isEqualTo(new OffsetForLeaderEpochResponse(epoch, 3L));
      OffsetForLeaderEpochResponse later = broker.calls.request(Addresses.offsetForLeaderEpoch(NODE_ID),
          new OffsetForLeaderEpochRequest("epochs", 0, -1, epoch + 5));
      assertThat(later).as("an epoch above the latest: the latest and the log end").isEqualTo(current);

      assertThat(broker.calls.errorOf(Addresses.offsetForLeaderEpoch(NODE_ID),
          new OffsetForLeaderEpochRequest("epochs", 0, epoch + 1, epoch))).isEqualTo(Errors.UNKNOWN_LEADER_EPOCH);
      assertThat(broker.calls.errorOf(Addresses.offsetForLeaderEpoch(NODE_ID),
          new OffsetForLeaderEpochRequest("__consumer_offsets", 0, -1, 0))).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
    }
  }
}
