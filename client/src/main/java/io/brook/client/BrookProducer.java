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
 * <p><b>Idempotent by default.</b> With {@code enable.idempotence} (default true; it needs
 * {@code acks=all}, the default) the producer first gets a producer id from
 * {@code brook.api.init-producer-id}, stamps it with its epoch into every batch and numbers each
 * partition's batches; a retry resends the same batch with the same sequence, and the leader, which
 * remembers a producer's last five batches per partition (a new leader rebuilds them from its log),
 * answers a batch it already has with the offsets it was written at instead of writing it again. So
 * a retry after a timeout or a leader failover never writes a record twice, and a partition's
 * records are appended in send order: a request holds one batch, a partition pipelines up to
 * {@code max.in.flight.requests.per.connection} (at most 5) of them, and the leader refuses a batch
 * out of sequence. A record whose future succeeded is in the log once; one whose future failed may or
 * may not be (it timed out, say), but never twice.
 *
 * <p><b>Without idempotence</b> ({@code enable.idempotence=false}, or {@code acks} 0 or 1 set
 * without it) delivery is at least once: a request that timed out or whose answer was lost may have
 * been appended anyway, and its retry appends the records again. With {@code retries > 0} and acks
 * 1 or all, a partition then has at most one request in flight (Kafka's
 * {@code max.in.flight.requests.per.connection=1} guarantee), carrying every ready batch of the
 * partition, so a retried batch never lands behind a later one. Different partitions and brokers
 * pipeline, up to {@code max.in.flight.requests.per.connection} requests per broker.
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
