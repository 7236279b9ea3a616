package io.brook.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

/**
 * Proves a retried batch is not overtaken by a later batch of its partition (one request in flight
 * per partition while retries are on), while other partitions keep pipelining.
 */
class ProducerOrderingTest extends ClientTestBase {

  @Test
  void retriedBatchKeepsItsPlaceAheadOfLaterBatches() {
    broker.createTopic("order", 2);
    broker.failNextProduces(Errors.THROTTLING_QUOTA_EXCEEDED); // retriable: A is retried
    broker.holdProduceReplies();
    // without idempotence: one request then carries both batches (an idempotent one holds one batch)
    BrookProducer producer = BrookClients.producer(vertx, props("linger.ms", 0, "retry.backoff.ms", 10,
        "enable.idempotence", false));

    Future<RecordMetadata> a = producer.send(new ProducerRecord<>("order", 0, null, bytes("A")));
    await().atMost(Duration.ofSeconds(5)).until(() -> broker.produceRequests().size() == 1); // A, answer held
    Future<RecordMetadata> b = producer.send(new ProducerRecord<>("order", 0, null, bytes("B")));
    Future<RecordMetadata> c = producer.send(new ProducerRecord<>("order", 1, null, bytes("C")));
    // C (another partition) is sent while A is in flight; any drain that sent C would have sent a ready B too
    await().atMost(Duration.ofSeconds(5)).until(() -> requestsFor(1) == 1);
    broker.releaseProduceReplies(); // A fails (retriable), then whatever else was held succeeds

    Future.all(a, b, c).await();
    assertThat(values(0)).as("partition 0 in send order").containsExactly("A", "B");
    assertThat(a.result().offset()).isZero();
    assertThat(b.result().offset()).isEqualTo(1);
    // partition 0 saw the failed attempt of A, then one request carrying both ready batches
    assertThat(requestsFor(0)).isEqualTo(2);
    producer.close();
  }

  @Test
  void withoutRetriesAPartitionMayPipeline() {
    broker.createTopic("pipelined", 1);
    broker.holdProduceReplies();
    BrookProducer producer = BrookClients.producer(vertx, props("linger.ms", 0, "retries", 0));
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    sent.add(producer.send(new ProducerRecord<>("pipelined", 0, null, bytes("A"))));
    await().atMost(Duration.ofSeconds(5)).until(() -> broker.produceRequests().size() == 1);
    sent.add(producer.send(new ProducerRecord<>("pipelined", 0, null, bytes("B"))));
    await().atMost(Duration.ofSeconds(5)).until(() -> broker.produceRequests().size() == 2); // B did not wait for A
    broker.releaseProduceReplies();
    Future.all(sent).await();
    producer.close();
  }

  private long requestsFor(int partition) {
    return broker.produceRequests().stream().filter(r -> r.partition() == partition).count();
  }

  private List<String> values(int partition) {
    List<String> values = new ArrayList<>();
    for (RecordBatch batch : broker.partition("order", partition).batches()) {
      for (Record record : batch) {
        values.add(text(org.apache.kafka.common.utils.Utils.toArray(record.value())));
      }
    }
    return values;
  }
}
