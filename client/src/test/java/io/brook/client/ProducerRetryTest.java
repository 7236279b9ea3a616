package io.brook.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** Proves retriable errors are retried (with backoff, within delivery.timeout.ms) and fatal ones are not. */
class ProducerRetryTest extends ClientTestBase {

  @Test
  void retriableErrorIsRetriedThenSucceeds() {
    broker.createTopic("retry", 1);
    broker.failNextProduces(Errors.NOT_LEADER_OR_FOLLOWER, Errors.REQUEST_TIMED_OUT);
    BrookProducer producer = BrookClients.producer(vertx, props("linger.ms", 0, "retry.backoff.ms", 20));
    RecordMetadata sent = producer.send(record("retry", "k", "v")).await();
    assertThat(sent.offset()).isZero();
    assertThat(broker.produceRequests()).hasSize(3);
    assertThat(broker.partition("retry", 0).nextOffset()).isEqualTo(1); // appended once
    producer.close();
  }

  @Test
  void fatalErrorIsNotRetried() {
    broker.createTopic("fatal", 1);
    broker.failNextProduces(Errors.INVALID_RECORD);
    BrookProducer producer = BrookClients.producer(vertx, props("linger.ms", 0, "retry.backoff.ms", 20));
    Throwable failure = catchThrowable(() -> producer.send(record("fatal", "k", "v")).await());
    assertThat(unwrap(failure)).isInstanceOf(InvalidRecordException.class);
    assertThat(broker.produceRequests()).hasSize(1);
    producer.close();
  }

  @Test
  void retriesZeroFailsOnTheFirstRetriableError() {
    broker.createTopic("no-retry", 1);
    broker.failNextProduces(Errors.NOT_LEADER_OR_FOLLOWER);
    BrookProducer producer = BrookClients.producer(vertx, props("linger.ms", 0, "retries", 0));
    Throwable failure = catchThrowable(() -> producer.send(record("no-retry", "k", "v")).await());
    assertThat(unwrap(failure)).isInstanceOf(NotLeaderOrFollowerException.class);
    assertThat(broker.produceRequests()).hasSize(1);
    producer.close();
  }

  @Test
  void unansweredRequestsFailAfterDeliveryTimeout() {
    broker.createTopic("silent", 1);
    broker.holdProduceReplies();
    BrookProducer producer = BrookClients.producer(vertx, props("linger.ms", 0, "request.timeout.ms", 100,
        "delivery.timeout.ms", 400, "retry.backoff.ms", 50));
    long start = System.nanoTime();
    Throwable failure = catchThrowable(() -> producer.send(record("silent", "k", "v")).await());
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(unwrap(failure)).isInstanceOf(TimeoutException.class);
    assertThat(elapsedMs).isBetween(250L, 5000L);
    assertThat(broker.produceRequests().size()).isBetween(2, 4); // timed out, retried, gave up
    producer.close();
  }

  static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }
}
