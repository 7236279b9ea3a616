package io.brook.client;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Duration;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Produces records to Brook over the clustered event bus, the way Kafka's producer does: records
 * accumulate per partition into v2 batches ({@code batch.size}, {@code linger.ms}, compression),
 * keyed records go to Kafka's murmur2 partition, unkeyed ones stick to a partition until its batch
 * is sent; each request goes to the partition leader's {@code brook.api.broker.<id>.produce} and
 * carries every ready batch of its partition (up to {@code max.request.size}); retriable errors
 * refresh metadata and retry until {@code delivery.timeout.ms}.
 *
 * <p><b>Ordering.</b> With {@code retries > 0} (the default) and acks 1 or all, a partition has at
 * most one produce request in flight (Kafka's {@code max.in.flight.requests.per.connection=1}
 * guarantee), so a retried batch never lands behind a later one: the records of a partition are
 * appended in send order. Different partitions and brokers still pipeline, up to
 * {@code max.in.flight.requests.per.connection} requests per broker.
 *
 * <p><b>Delivery is at least once.</b> There are no producer ids or sequence numbers yet (no
 * idempotence): a request that timed out or whose answer was lost may have been appended anyway,
 * and its retry appends the records again. A record whose future succeeded is in the log (per
 * {@code acks}); a record whose future failed may or may not be; duplicates are possible after a
 * retry. Applications that cannot tolerate duplicates de-duplicate on a key of their own.
 *
 * <p><b>Threads.</b> {@link #send} is thread-safe. Called off Vert.x threads it blocks up to
 * {@code max.block.ms} while {@code buffer.memory} is used up; on any Vert.x thread (event loop or
 * worker) it never blocks and fails fast with {@code BufferExhaustedException} instead. The
 * futures complete on the caller's Vert.x context when the call was made on one (as Vert.x's own
 * clients do); called from a thread without a context (a plain {@code main}) they complete on the
 * producer's context, the one it was created on. Configuration keys: {@link ProducerConfigs}.
 */
public interface BrookProducer extends AutoCloseable {

  /** The record's metadata (partition, offset, timestamp) once acknowledged per {@code acks}. */
  Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record);

  /** Sends every accumulated batch now; completes when all records sent before it are done. */
  Future<Void> flush();

  /**
   * Flushes, then releases resources; later sends fail. Records still undelivered after
   * {@code timeout} fail. Never blocks; the future completes once the producer is closed.
   */
  Future<Void> close(Duration timeout);

  /**
   * {@link #close(Duration)} with a 30 s timeout. Off Vert.x threads (try-with-resources in a
   * plain {@code main}) it blocks until the producer is closed, like Kafka's {@code close()}: every
   * record sent before it is then acknowledged or failed. On a Vert.x thread, which must never
   * block, it only starts the close and returns at once: there, use {@link #close(Duration)} and
   * its future.
   */
  @Override
  default void close() {
    Future<Void> closed = close(Duration.ofSeconds(30));
    if (!Context.isOnVertxThread()) {
      closed.await();
    }
  }
}
