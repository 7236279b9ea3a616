package io.brook.kafka;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.message.InitProducerIdRequest;
import io.brook.protocol.message.InitProducerIdResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * InitProducerId for idempotent producers (no transactional id): a new producer id at epoch 0 from
 * this broker's block ({@code brook.api.init-producer-id}); the partition leaders then check the
 * producer's sequences and drop what it sends twice. A transactional id answers
 * {@code UNSUPPORTED_VERSION} (Brook serves no transactions); a failure to get a block from the
 * controller answers {@code COORDINATOR_NOT_AVAILABLE}, which the producer retries.
 */
final class InitProducerIdApi implements KafkaApi {
  static final long TIMEOUT_MS = 15_000;

  private final Vertx vertx;

  InitProducerIdApi(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public ApiKeys key() {
    return ApiKeys.INIT_PRODUCER_ID;
  }

  @Override
  public Future<AbstractResponse> handle(KafkaRequest request) {
    var body = ((org.apache.kafka.common.requests.InitProducerIdRequest) request.body()).data();
    InitProducerIdResponseData response = new InitProducerIdResponseData()
        .setProducerId(RecordBatch.NO_PRODUCER_ID).setProducerEpoch(RecordBatch.NO_PRODUCER_EPOCH);
    if (body.transactionalId() != null) {
      return Future.succeededFuture(answer(response.setErrorCode(Errors.UNSUPPORTED_VERSION.code())));
    }
    return vertx.eventBus().<InitProducerIdResponse>request(Addresses.INIT_PRODUCER_ID, new InitProducerIdRequest(),
            request.onBehalfOfClient(TIMEOUT_MS))
        .map(reply -> answer(response.setErrorCode(Errors.NONE.code()).setProducerId(reply.body().producerId())
            .setProducerEpoch(reply.body().producerEpoch())))
        .recover(failure -> {
          Errors error = BrookErrors.errorOf(failure);
          Errors answered = error == Errors.CLUSTER_AUTHORIZATION_FAILED ? error : Errors.COORDINATOR_NOT_AVAILABLE;
          return Future.succeededFuture(answer(response.setErrorCode(answered.code())));
        });
  }

  private static AbstractResponse answer(InitProducerIdResponseData data) {
    return new org.apache.kafka.common.requests.InitProducerIdResponse(data);
  }
}
