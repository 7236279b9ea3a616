package io.brook.kafka;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.message.ListOffsetsResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ListOffsetsRequest;

/**
 * ListOffsets: earliest (-2), latest (-1: the high watermark, which is also the last stable offset, Brook
 * having no transactions) and by time, from each partition's leader
 * ({@code brook.api.broker.<leader>.list-offsets}). The other special timestamps (max timestamp, tiered
 * storage's) answer {@code UNSUPPORTED_VERSION} for that partition.
 */
final class ListOffsetsApi implements KafkaApi {
  static final long TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final PartitionLeaders leaders;

  ListOffsetsApi(Vertx vertx, PartitionLeaders leaders) {
    this.vertx = vertx;
    this.leaders = leaders;
  }

  @Override
  public ApiKeys key() {
    return ApiKeys.LIST_OFFSETS;
  }


  @Override
  public Future<AbstractResponse> handle(KafkaRequest request) {
    ListOffsetsRequest body = (ListOffsetsRequest) request.body();
    ListOffsetsResponseData response = new ListOffsetsResponseData();
    List<Future<?>> pending = new ArrayList<>();
    for (ListOffsetsRequestData.ListOffsetsTopic topic : body.data().topics()) {
      ListOffsetsTopicResponse out = new ListOffsetsTopicResponse().setName(topic.name());
      response.topics().add(out);
      for (ListOffsetsRequestData.ListOffsetsPartition partition : topic.partitions()) {
        pending.add(offset(request, topic.name(), partition).andThen(done -> out.partitions().add(done.result())));
      }
    }
    return Future.join(pending).transform(done -> Future.succeededFuture(
        new org.apache.kafka.common.requests.ListOffsetsResponse(response)));
  }

  private Future<ListOffsetsPartitionResponse> offset(KafkaRequest request, String topic,
      ListOffsetsRequestData.ListOffsetsPartition partition) {
    ListOffsetsPartitionResponse out = new ListOffsetsPartitionResponse().setPartitionIndex(partition.partitionIndex())
        .setOffset(-1).setTimestamp(-1).setLeaderEpoch(-1);
    long timestamp = partition.timestamp();
    if (timestamp < 0 && timestamp != ListOffsetsRequest.EARLIEST_TIMESTAMP && timestamp != ListOffsetsRequest.LATEST_TIMESTAMP) {
      return Future.succeededFuture(out.setErrorCode(Errors.UNSUPPORTED_VERSION.code()));
    }
    return leaders.leader(topic, partition.partitionIndex())
        .compose(leader -> vertx.eventBus().<ListOffsetsResponse>request(Addresses.listOffsets(leader),
            new io.brook.protocol.message.ListOffsetsRequest(topic, partition.partitionIndex(), timestamp),
            request.onBehalfOfClient(TIMEOUT_MS)))
        .map(reply -> out.setErrorCode(Errors.NONE.code()).setOffset(reply.body().offset())
            .setTimestamp(reply.body().timestamp()))
        .recover(failure -> {
          Errors error = BrookErrors.errorOf(failure);
          if (PartitionErrors.leaderMayHaveMoved(error)) {
            leaders.forget(topic);
          }
          return Future.succeededFuture(out.setErrorCode(error.code()));
        });
  }
}
