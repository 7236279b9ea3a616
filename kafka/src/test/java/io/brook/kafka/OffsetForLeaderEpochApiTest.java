package io.brook.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.codec.BrookCodecs;
import io.brook.protocol.message.BrokerInfo;
import io.brook.protocol.message.MetadataResponse;
import io.brook.protocol.message.OffsetForLeaderEpochRequest;
import io.brook.protocol.message.OffsetForLeaderEpochResponse;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.TopicMetadata;
import io.vertx.core.Vertx;
import java.util.List;
import org.apache.kafka.common.errors.FencedLeaderEpochException;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kafka's OffsetForLeaderEpoch from each partition's leader: the epoch's end, or the leader's error in band. */
class OffsetForLeaderEpochApiTest {
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    BrookCodecs.register(vertx.eventBus());
    vertx.eventBus().consumer(Addresses.metadata(1), message -> message.reply(new MetadataResponse(1,
        List.of(new BrokerInfo(1, "h", 1, -1)), List.of(new TopicMetadata("t", null, (short) 1, List.of(
            new PartitionMetadata(0, 1, 4, List.of(1), List.of(1)), new PartitionMetadata(1, 1, 4, List.of(1), List.of(1))))))));
    // the leader: epoch 3 ended at 120; a client that knows an older leader epoch than 4 is fenced
    vertx.eventBus().<OffsetForLeaderEpochRequest>consumer(Addresses.offsetForLeaderEpoch(1), message -> {
      if (message.body().currentLeaderEpoch() < 4) {
        BrookErrors.fail(message, new FencedLeaderEpochException("old"));
      } else {
        message.reply(new OffsetForLeaderEpochResponse(3, 120L));
      }
    });
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void eachPartitionGetsItsEpochsEndOrItsError() {
    OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection topics =
        new OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection();
    topics.add(new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic().setTopic("t").setPartitions(List.of(
        new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition().setPartition(0).setCurrentLeaderEpoch(4)
            .setLeaderEpoch(3),
        new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition().setPartition(1).setCurrentLeaderEpoch(2)
            .setLeaderEpoch(2))));
    OffsetsForLeaderEpochRequest request = new OffsetsForLeaderEpochRequest(new OffsetForLeaderEpochRequestData()
        .setReplicaId(-1).setTopics(topics), (short) 4);

    OffsetForLeaderEpochResponseData response = ((OffsetsForLeaderEpochResponse) new OffsetForLeaderEpochApi(vertx,
        new PartitionLeaders(vertx, 1)).handle(TestRequests.of(request)).await()).data();

    List<OffsetForLeaderEpochResponseData.EpochEndOffset> partitions = response.topics().find("t").partitions();
    assertThat(partitions).extracting(p -> p.partition() + ":" + Errors.forCode(p.errorCode()) + ":" + p.leaderEpoch()
        + ":" + p.endOffset()).containsExactlyInAnyOrder("0:NONE:3:120", "1:FENCED_LEADER_EPOCH:-1:-1");
  }
}
