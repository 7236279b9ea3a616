package io.brook.client;

import static io.brook.client.ProducerRetryTest.unwrap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.brook.protocol.message.ProduceRequest;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

/**
 * Proves Brook's producer is idempotent by default against a fake leader: every batch carries a
 * producer id, epoch and sequence, a retry resends the same sequence, and the idempotence errors get
 * Kafka's answers; and that enable.idempotence follows Kafka 3+'s config rules.
 */
class IdempotentProducerTest extends ClientTestBase {

  private static RecordBatch batchOf(ProduceRequest request) {
    assertThat(request.memoryRecords().batches()).as("one batch per idempotent request").hasSize(1);
    return request.memoryRecords().batches().iterator().next();
  }

  private static ProducerRecord<byte[], byte[]> to(String topic, String value) {
    return new ProducerRecord<>(topic, 0, null, bytes(value));
  }

  @Test
  void batchesCarryAProducerIdAndConsecutiveSequencesAndARetryResendsTheSame() {
    broker.createTopic("idem", 1);
    broker.failNextProduces(Errors.REQUEST_TIMED_OUT);
    BrookProducer producer = BrookClients.producer(vertx, props("linger.ms", 0, "retry.backoff.ms", 10));
    assertThat(producer.send(to("idem", "a")).await().offset()).isZero();
    producer.send(to("idem", "b")).await();

    List<ProduceRequest> requests = broker.produceRequests();
    assertThat(requests).hasSize(3);
    assertThat(requests).allSatisfy(r -> assertThat(r.acks()).isEqualTo(ProduceRequest.ACKS_ALL));
    RecordBatch first = batchOf(requests.get(0));
    RecordBatch retry = batchOf(requests.get(1));
    RecordBatch next = batchOf(requests.get(2));
    assertThat(first.producerId()).isEqualTo(1000).isEqualTo(next.producerId());
    assertThat(first.producerEpoch()).isZero();
    assertThat(requests.get(1).records()).as("the retry is the same bytes").isEqualTo(requests.get(0).records());
    assertThat(retry.baseSequence()).isZero();
    assertThat(next.baseSequence()).isEqualTo(1);
    assertThat(broker.producerIdsGiven()).isEqualTo(1);
    producer.close();
  }

  @Test
  void outOfOrderSequenceBumpsTheEpochAndTheBatchIsWrittenOnce() {
    broker.createTopic("gap", 1);
    BrookProducer producer = BrookClients.producer(vertx, props("linger.ms", 0, "retry.backoff.ms", 10));
    producer.send(to("gap", "a")).await();
    broker.failNextProduces(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
    assertThat(producer.send(to("gap", "b")).await().offset()).isEqualTo(1);

    List<ProduceRequest> requests = broker.produceRequests();
    assertThat(requests).hasSize(3);
    RecordBatch refused = batchOf(requests.get(1));
    RecordBatch renumbered = batchOf(requests.get(2));
    assertThat(refused.producerEpoch()).isZero();
    assertThat(refused.baseSequence()).isEqualTo(1);
    assertThat(renumbered.producerEpoch()).isEqualTo((short) 1);
    assertThat(renumbered.baseSequence()).as("a new epoch starts at 0").isZero();
    assertThat(broker.partition("gap", 0).nextOffset()).isEqualTo(2);
    producer.close();
  }

  @Test
  void aDuplicateSequenceCountsAsWritten() {
    broker.createTopic("dup", 1);
    broker.failNextProduces(Errors.DUPLICATE_SEQUENCE_NUMBER);
    BrookProducer producer = BrookClients.producer(vertx, props("linger.ms", 0));
    RecordMetadata sent = producer.send(to("dup", "a")).await();
    assertThat(sent.hasOffset()).as("written before; where is not known").isFalse();
    assertThat(broker.produceRequests()).hasSize(1);
    producer.close();
  }

  @Test
  void aFencedEpochFailsTheBatchAndTheNextBatchesGoUnderANewProducerId() {
    broker.createTopic("fenced", 1);
    broker.failNextProduces(Errors.INVALID_PRODUCER_EPOCH);
    BrookProducer producer = BrookClients.producer(vertx, props("linger.ms", 0));
    Throwable failure = catchThrowable(() -> producer.send(to("fenced", "a")).await());
    assertThat(unwrap(failure)).isInstanceOf(InvalidProducerEpochException.class);
    producer.send(to("fenced", "b")).await();
    RecordBatch next = batchOf(broker.produceRequests().get(1));
    assertThat(next.producerId()).isEqualTo(1001);
    assertThat(next.baseSequence()).isZero();
    producer.close();
  }

  @Test
  void theProducerIdIsAskedAgainAfterARetriableErrorAndRefusalFailsTheSends() {
    broker.createTopic("init", 1);
    broker.failNextInitProducerIds(Errors.COORDINATOR_NOT_AVAILABLE, Errors.NOT_CONTROLLER);
    BrookProducer producer = BrookClients.producer(vertx, props("linger.ms", 0, "retry.backoff.ms", 10));
    assertThat(producer.send(to("init", "a")).await().offset()).isZero();
    producer.close();

    broker.failNextInitProducerIds(Errors.CLUSTER_AUTHORIZATION_FAILED);
    BrookProducer refused = BrookClients.producer(vertx, props("linger.ms", 0, "retry.backoff.ms", 10));
    Throwable failure = catchThrowable(() -> refused.send(to("init", "b")).await());
    assertThat(unwrap(failure)).isInstanceOf(ClusterAuthorizationException.class);
    assertThat(refused.send(to("init", "c")).await().offset()).as("the next send asks again").isEqualTo(1);
    refused.close();
  }

  @Test
  void aPartitionPipelinesUpToFiveSingleBatchRequests() {
    broker.createTopic("pipe", 1);
    broker.holdProduceReplies();
    BrookProducer producer = BrookClients.producer(vertx, props("linger.ms", 0));
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      sent.add(producer.send(to("pipe", "v" + i)));
      if (i < 5) {
        int requests = i + 1;
        await().atMost(Duration.ofSeconds(5)).until(() -> broker.produceRequests().size() == requests);
      }
    }
    producer.flush(); // nothing more may go while five are unanswered
    assertThat(broker.produceRequests()).hasSize(5);
    broker.releaseProduceReplies();
    Future.all(sent).await();
    for (int i = 0; i < 8; i++) {
      assertThat(sent.get(i).result().offset()).isEqualTo(i);
    }
    assertThat(broker.produceRequests()).extracting(r -> batchOf(r).baseSequence())
        .isSorted().doesNotHaveDuplicates();
    producer.close();
  }

  @Test
  void idempotenceFollowsKafkasConfigRules() {
    assertThat(new ProducerConfigs(props()).idempotence()).as("default").isTrue();
    assertThat(new ProducerConfigs(props("acks", "all")).idempotence()).isTrue();
    assertThat(new ProducerConfigs(props("acks", "1")).idempotence()).as("explicit acks=1 turns it off").isFalse();
    assertThat(new ProducerConfigs(props("acks", 0)).idempotence()).isFalse();
    assertThat(new ProducerConfigs(props("retries", 0)).idempotence()).isFalse();
    assertThat(new ProducerConfigs(props("max.in.flight.requests.per.connection", 6)).idempotence()).isFalse();
    assertThat(new ProducerConfigs(props("enable.idempotence", false)).idempotence()).isFalse();
    assertThat(new ProducerConfigs(props("enable.idempotence", false)).acks()).as("acks stays all").isEqualTo((short) -1);
    assertThatThrownBy(() -> new ProducerConfigs(props("enable.idempotence", true, "acks", "1")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("acks");
    assertThatThrownBy(() -> new ProducerConfigs(props("enable.idempotence", "true", "retries", 0)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("retries");
    assertThatThrownBy(() -> new ProducerConfigs(props("enable.idempotence", true,
        "max.in.flight.requests.per.connection", 6))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("max.in.flight.requests.per.connection");
  }
}
