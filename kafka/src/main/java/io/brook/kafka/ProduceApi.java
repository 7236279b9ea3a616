package io.brook.kafka;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.LocalPartitionDoor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;

/**
 * Produce: each partition's record batches go to its leader as the client built them, bytes untouched:
 * through the node's {@link LocalPartitionDoor} straight to the leader verticle when this node leads the
 * partition, through the leader's broker's door ({@code brook.api.broker.<leader>.produce}) otherwise.
 * The leader validates, stamps offsets and replicates as for any Brook producer. acks=0 is sent without waiting and answered with nothing. Served up to v12
 * (v13 names topics by id). An idempotent producer's batches are checked by the leader against the
 * partition's producer state (a batch sent again is answered with its first offsets and not written
 * twice); transactional batches are refused (Brook serves no transactions). A connection's batches for
 * one partition are sent to the leader in the order they came, without waiting for one another's answers
 * ({@link PartitionLeaders} answers look-ups of a topic in the order they were asked; the event bus keeps
 * one sender's messages to one handler in order; the leader verticle, and a leader's broker's door, take
 * produce requests in a single handler): producers (the idempotent one's sequence numbers above all) count
 * on that order, and pipelining keeps a producer's five requests in flight busy.
 */
final class ProduceApi implements KafkaApi {
  private final Vertx vertx;
  private final PartitionLeaders leaders;
  /** Where batches for a leader on this node go (null: through the node's event bus door as any other). */
  private final LocalPartitionDoor localDoor;

  ProduceApi(Vertx vertx, PartitionLeaders leaders, LocalPartitionDoor localDoor) {
    this.vertx = vertx;
    this.leaders = leaders;
    this.localDoor = localDoor;
  }

  @Override
  public ApiKeys key() {
    return ApiKeys.PRODUCE;
  }

  @Override
  public short maxVersion() {
    return 12;
  }

  @Override
  public Future<AbstractResponse> handle(KafkaRequest request) {
    ProduceRequestData data = ((ProduceRequest) request.body()).data();
    short acks = data.acks();
    List<Future<PartitionProduceResponse>> pending = new ArrayList<>();
    ProduceResponseData response = new ProduceResponseData();
    for (ProduceRequestData.TopicProduceData topic : data.topicData()) {
      TopicProduceResponse out = new TopicProduceResponse().setName(topic.name());
      response.responses().add(out);
      for (ProduceRequestData.PartitionProduceData partition : topic.partitionData()) {
        Future<PartitionProduceResponse> one = produce(request, topic.name(), partition, acks, data.timeoutMs())
            .andThen(done -> out.partitionResponses().add(done.result()));
        pending.add(one);
      }
    }
    Future<AbstractResponse> all = Future.join(pending).transform(done -> Future.succeededFuture(new ProduceResponse(response)));
    return acks == 0 ? all.map(r -> null) : all;
  }

  private Future<PartitionProduceResponse> produce(KafkaRequest request, String topic,
      ProduceRequestData.PartitionProduceData partition, short acks, int timeoutMs) {
    PartitionProduceResponse out = new PartitionProduceResponse().setIndex(partition.index())
        .setBaseOffset(-1).setLogAppendTimeMs(-1).setLogStartOffset(-1);
    ByteBuffer records = partition.records() instanceof MemoryRecords memory ? memory.buffer() : ByteBuffer.allocate(0);
    io.brook.protocol.message.ProduceRequest brook = new io.brook.protocol.message.ProduceRequest(
        topic, partition.index(), acks, timeoutMs, records);
    return send(request, topic, partition.index(), leaders.leader(topic, partition.index()), brook, out, acks,
        timeoutMs);
  }

  private Future<PartitionProduceResponse> send(KafkaRequest request, String topic, int index, Future<Integer> leaderOf,
      io.brook.protocol.message.ProduceRequest brook, PartitionProduceResponse out, short acks, int timeoutMs) {
    return leaderOf
        .compose(leader -> toLeader(request, leader, brook, acks, timeoutMs))
        .map(answer -> {
          out.setErrorCode(Errors.NONE.code());
          return answer == null ? out // acks=0: nothing to tell
              : out.setBaseOffset(answer.baseOffset()).setLogAppendTimeMs(answer.logAppendTimeMs())
                  .setLogStartOffset(answer.logStartOffset());
        })
        .recover(failure -> {
          Errors error = BrookErrors.errorOf(failure);
          if (PartitionErrors.leaderMayHaveMoved(error)) {
            leaders.forget(topic);
          }
          return Future.succeededFuture(out.setErrorCode(error.code()).setErrorMessage(failure.getMessage()));
        });
  }

  /** The leader's answer; null for acks=0, sent without waiting. */
  private Future<io.brook.protocol.message.ProduceResponse> toLeader(KafkaRequest request, int leader,
      io.brook.protocol.message.ProduceRequest brook, short acks, int timeoutMs) {
    if (localDoor != null && leaders.isLocal(leader)) {
      return localDoor.produce(brook, request.caller());
    }
    if (acks == 0) {
      vertx.eventBus().send(Addresses.produce(leader), brook, request.onBehalfOfClient(timeoutMs));
      return Future.succeededFuture();
    }
    return vertx.eventBus().<io.brook.protocol.message.ProduceResponse>request(Addresses.produce(leader), brook,
        request.onBehalfOfClient(timeoutMs + 5_000L)).map(Message::body);
  }
}
