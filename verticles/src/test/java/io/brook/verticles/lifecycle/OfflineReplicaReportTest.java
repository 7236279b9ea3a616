package io.brook.verticles.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.metadata.CreateTopic;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.MetadataRecord;
import io.brook.metadata.Partition;
import io.brook.metadata.RegisterBroker;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

/** The start line of a broker on another data directory: what is fetched again, what is lost, what to do. */
class OfflineReplicaReportTest {
  private MetadataImage image = MetadataImage.EMPTY;
  private long offset;

  private void append(MetadataRecord record) {
    image = image.apply(record, offset++);
  }

  private void brokerOn(int nodeId, String directoryId) {
    append(new RegisterBroker(nodeId, offset, "127.0.0.1", 8080, 7070, "n" + nodeId, directoryId, "/d/" + directoryId));
  }

  @Test
  void nothingIsSaidWhenEveryReplicaIsWhereItsDataIs() {
    brokerOn(1, "A");
    append(new CreateTopic("t", Uuid.randomUuid(), 1, Map.of()));
    append(new Partition("t", 0, List.of(1), List.of(1), 1, 0, 0, List.of("A")));
    assertThat(OfflineReplicaReport.of(image, 1, "/d/A", "")).isEmpty();
  }

  @Test
  void partitionsWithAnotherInSyncCopyAreFetchedAgainTheOthersAreNamedWithBothWaysOut() {
    brokerOn(1, "A");
    brokerOn(2, "B");
    append(new CreateTopic("t", Uuid.randomUuid(), 2, Map.of()));
    append(new Partition("t", 0, List.of(1, 2), List.of(1, 2), 2, 0, 0, List.of("A", "B")));
    append(new Partition("t", 1, List.of(1, 2), List.of(1), -1, 0, 0, List.of("A", "B")));
    append(new Partition("t", 2, List.of(2, 1), List.of(2), 2, 0, 0, List.of("B", "A")));
    brokerOn(1, "EMPTY");
    assertThat(OfflineReplicaReport.of(image, 1, "/d/EMPTY", "/d/A")).contains("Broker 1's data dir /d/EMPTY "
        + "(directory EMPTY) does not hold the data of 3 of its replicas, written to directory A at /d/A: 2 will be "
        + "fetched again from their in-sync replicas (t-0, t-2); 1 has no other in-sync replica and stays offline "
        + "(t-1): to bring them back, stop this broker and start it on data.dir /d/A (./run.sh --data-dir /d/A); to "
        + "give up their records instead: bin/brook partitions elect-leaders --type unclean --partition t:1");
  }
}
