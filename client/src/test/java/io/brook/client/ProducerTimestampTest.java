package io.brook.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/** Proves RecordMetadata.timestamp() is the broker's time for LogAppendTime topics, else the record's own time. */
class ProducerTimestampTest extends ClientTestBase {
  static final long OLD = 1_600_000_000_000L;

  @Test
  void logAppendTimeTopicAnswersTheBrokersTime() {
    broker.createLogAppendTimeTopic("appended", 1);
    broker.createTopic("created", 1);
    BrookProducer producer = BrookClients.producer(vertx, props("linger.ms", 0));
    long before = System.currentTimeMillis();
    RecordMetadata appended = producer.send(new ProducerRecord<>("appended", 0, OLD, null, bytes("v"))).await();
    long after = System.currentTimeMillis();
    assertThat(appended.timestamp()).isBetween(before, after);
    RecordMetadata created = producer.send(new ProducerRecord<>("created", 0, OLD, null, bytes("v"))).await();
    assertThat(created.timestamp()).isEqualTo(OLD);
    producer.close();
  }
}
