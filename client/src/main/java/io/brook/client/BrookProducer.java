package io.brook.client;

import io.vertx.core.Future;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Produces records to Brook over the clustered event bus, the way Kafka's producer does: records
 * accumulate per partition into v2 batches ({@code batch.size}, {@code linger.ms}, compression),
 * keyed records go to Kafka's murmur2 partition, unkeyed ones stick to a partition until its batch
 * is sent; each batch goes to the partition leader's {@code brook.api.broker.<id>.produce} with up
 * to {@code max.in.flight.requests.per.connection} requests in flight per broker; retriable errors
 * refresh metadata and retry until {@code delivery.timeout.ms}.
 *
 * <p>{@link #send} is thread-safe. Called off an event loop it blocks up to {@code max.block.ms}
 * while {@code buffer.memory} is used up; on an event loop it fails fast instead. Futures complete
 * on the producer's Vert.x context. Configuration keys: {@link ProducerConfigs}.
 */
public interface BrookProducer extends AutoCloseable {

  /** The record's metadata (partition, offset, timestamp) once acknowledged per {@code acks}. */
  Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record);

  /** Sends every accumulated batch now; completes when all records sent before it are done. */
  Future<Void> flush();

  /** Flushes, then releases resources; later sends fail. */
  Future<Void> close(java.time.Duration timeout);

  @Override
  default void close() {
    close(java.time.Duration.ofSeconds(30));
  }
}
