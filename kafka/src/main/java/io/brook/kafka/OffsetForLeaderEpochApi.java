package io.brook.kafka;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.message.OffsetForLeaderEpochRequest;
import io.brook.protocol.message.OffsetForLeaderEpochResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;

/**
 * OffsetForLeaderEpoch (KIP-320): where an epoch ends, from each partition's leader
 * ({@code brook.api.broker.<leader>.offset-for-leader-epoch}), so that a consumer finds out whether a
 * leader change truncated the records below its position. Consumers only: the replica id is ignored
 * (Brook's followers replicate over the event bus).
 */
final class OffsetForLeaderEpochApi implements KafkaApi {
  static final long TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final PartitionLeaders leaders;

  OffsetForLeaderEpochApi(Vertx vertx, PartitionLeaders leaders) {
    this.vertx = vertx;
    this.leaders = leaders;
  }

  @Override
  public ApiKeys key() {
    return ApiKeys.OFFSET_FOR_LEADER_EPOCH;
  }

  @Override
  public Future<AbstractResponse> handle(KafkaRequest request) {
    OffsetForLeaderEpochRequestData data =
        ((org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest) request.body()).data();
    OffsetForLeaderEpochResponseData response = new OffsetForLeaderEpochResponseData();
    List<Future<?>> pending = new ArrayList<>();
    for (OffsetForLeaderEpochRequestData.OffsetForLeaderTopic topic : data.topics()) {
      OffsetForLeaderTopicResult out = new OffsetForLeaderTopicResult().setTopic(topic.topic());
      response.topics().add(out);
      for (OffsetForLeaderEpochRequestData.OffsetForLeaderPartition partition : topic.partitions()) {
        EpochEndOffset result = new EpochEndOffset().setPartition(partition.partition()).setLeaderEpoch(-1).setEndOffset(-1);
        out.partitions().add(result);
        pending.add(leaders.leader(topic.topic(), partition.partition())
            .compose(leader -> vertx.eventBus().<OffsetForLeaderEpochResponse>request(Addresses.offsetForLeaderEpoch(leader),
                new OffsetForLeaderEpochRequest(topic.topic(), partition.partition(), partition.currentLeaderEpoch(),
                    partition.leaderEpoch()), request.onBehalfOfClient(TIMEOUT_MS)))
            .onSuccess(reply -> result.setErrorCode(Errors.NONE.code()).setLeaderEpoch(reply.body().leaderEpoch())
                .setEndOffset(reply.body().endOffset()))
            .onFailure(failure -> {
              Errors error = BrookErrors.errorOf(failure);
              if (PartitionErrors.leaderMayHaveMoved(error)) {
                leaders.forget(topic.topic());
              }
              result.setErrorCode(error.code());
            }));
      }
    }
    return Future.join(pending).transform(done -> Future.succeededFuture(
        new org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse(response)));
  }
}
