package io.brook.verticles.groups;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.metadata.CreateTopic;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.MetadataRecord;
import io.brook.metadata.Partition;
import io.brook.metadata.RegisterBroker;
import io.brook.metadata.UnfenceBroker;
import io.brook.protocol.message.ReassignPartitionRequest;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

/** __consumer_offsets created on one node gets its configured replicas as brokers join, spread evenly. */
class OffsetsTopicGrowthTest {
  private MetadataImage image = MetadataImage.EMPTY;
  private long offset;

  private void append(MetadataRecord record) {
    image = image.apply(record, offset++);
  }

  private void broker(int nodeId) {
    append(new RegisterBroker(nodeId, offset, "127.0.0.1", 8080, 7070, "n" + nodeId, "D" + nodeId, "/d/" + nodeId));
    append(new UnfenceBroker(nodeId, offset - 1));
  }

  private void offsetsTopicOnBroker1(int partitions) {
    append(new CreateTopic(OffsetsTopic.NAME, Uuid.randomUuid(), 1, Map.of()));
    for (int p = 0; p < partitions; p++) {
      append(new Partition(OffsetsTopic.NAME, p, List.of(1), List.of(1), 1, 0, 0, List.of()));
    }
  }

  @Test
  void nothingToDoAloneOrWithoutTheTopic() {
    broker(1);
    assertThat(OffsetsTopicGrowth.plan(image, 3)).isEmpty();
    offsetsTopicOnBroker1(4);
    assertThat(OffsetsTopicGrowth.plan(image, 3)).as("one broker: one replica is all there can be").isEmpty();
  }

  @Test
  void eachPartitionGrowsToTheFactorOnTheLeastLoadedBrokersKeepingItsLeaderFirst() {
    broker(1);
    offsetsTopicOnBroker1(4);
    broker(2);
    assertThat(OffsetsTopicGrowth.plan(image, 3)).extracting(ReassignPartitionRequest::replicas)
        .as("two brokers: two replicas each").containsOnly(List.of(1, 2));
    broker(3);
    broker(4);
    List<ReassignPartitionRequest> plan = OffsetsTopicGrowth.plan(image, 3);
    assertThat(plan).hasSize(4).allSatisfy(step -> {
      assertThat(step.topic()).isEqualTo(OffsetsTopic.NAME);
      assertThat(step.replicas()).hasSize(3).startsWith(1).doesNotHaveDuplicates();
    });
    // 8 new replicas over brokers 2, 3, 4: none gets more than one above another
    Map<Integer, Long> added = plan.stream().flatMap(s -> s.replicas().stream().skip(1))
        .collect(java.util.stream.Collectors.groupingBy(id -> id, java.util.stream.Collectors.counting()));
    assertThat(added.keySet()).containsExactlyInAnyOrder(2, 3, 4);
    assertThat(java.util.Collections.max(added.values()) - java.util.Collections.min(added.values())).isLessThanOrEqualTo(1);
  }
}
