package io.brook.client.internals;

import io.brook.client.BrookProducer;
import io.brook.client.ProducerConfigs;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.internal.AbstractRecords;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * The producer: {@link #send} validates a record, picks its partition from the metadata snapshot and
 * appends it to the {@link RecordAccumulator} on the caller's thread; the {@link Sender} does the
 * rest on the producer's context. A record whose topic (or partition) is not in the metadata yet is
 * parked until a refresh tells where it goes.
 *
 * <p>Threads: {@code send} from any thread; everything else on {@link #context}. Futures complete
 * on the caller's Vert.x context when the call was made on another one ({@link CallerContext}),
 * else on {@link #context}.
 */
public final class BrookProducerImpl implements BrookProducer {
  private final Vertx vertx;
  private final Context context;
  private final ProducerConfigs config;
  private final BufferMemory memory;
  private final Metadata metadata;
  private final RecordAccumulator accumulator;
  private final StickyPartitioner partitioner;
  private final Sender sender;
  private final CompressionType compressionType;
  private final ParkedRecords parked;
  private volatile boolean closed;
  private Future<Void> closing;

  public BrookProducerImpl(Vertx vertx, ProducerConfigs config) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.config = config;
    this.memory = new BufferMemory(config.bufferMemory());
    Rpc rpc = new Rpc(vertx);
    this.metadata = new Metadata(vertx, context, rpc, config.requestTimeoutMs(), config.retryBackoffMs(),
        config.metadataMaxAgeMs(), this::onMetadataUpdate);
    this.accumulator = new RecordAccumulator(config.batchSize(), config.compression(), memory, config.maxBlockMs());
    this.partitioner = new StickyPartitioner(config.ignoreKeys());
    this.sender = new Sender(vertx, context, rpc, metadata, accumulator, partitioner, config);
    this.compressionType = config.compression().type();
    this.parked = new ParkedRecords(config.maxBlockMs());
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("Cannot perform operation after producer has been closed"));
    }
    Header[] headers = record.headers().toArray();
    int size = AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE, compressionType,
        record.key(), record.value(), headers);
    if (size > config.maxRequestSize()) {
      return Future.failedFuture(new RecordTooLargeException("The message is " + size + " bytes when serialized"
          + " which is larger than " + config.maxRequestSize() + ", which is the value of the "
          + ProducerConfigs.MAX_REQUEST_SIZE + " configuration."));
    }
    if (size > memory.total()) {
      return Future.failedFuture(new RecordTooLargeException("The message is " + size + " bytes when serialized"
          + " which is larger than the total memory buffer you have configured with the "
          + ProducerConfigs.BUFFER_MEMORY + " configuration."));
    }
    long nowMs = System.currentTimeMillis();
    Promise<RecordMetadata> promise = Promise.promise();
    Outgoing out = new Outgoing(record, headers, record.timestamp() == null ? nowMs : record.timestamp(),
        size, promise, CallerContext.foreign(context), nowMs);
    // never block a Vert.x thread: an event loop, nor a worker (it may be our own context, which frees the memory)
    RecordAccumulator.MemoryMode mode = Context.isOnVertxThread()
        ? RecordAccumulator.MemoryMode.FAIL_FAST : RecordAccumulator.MemoryMode.BLOCK;
    try {
      MetadataSnapshot.TopicInfo topic = metadata.snapshot().topic(record.topic());
      boolean placeable = placeable(topic, record.partition());
      if (placeable && parked.isEmpty()) {
        append(out, topic.partitionCount(), mode); // the hot path
      } else {
        appendOrPark(out, topic, placeable, mode);
      }
    } catch (KafkaException | IllegalStateException e) {
      promise.tryFail(e);
    }
    return promise.future();
  }

  /** Slow path: the topic is unknown, or records are parked and this one may have to queue behind them. */
  private void appendOrPark(Outgoing out, MetadataSnapshot.TopicInfo topic, boolean placeable,
      RecordAccumulator.MemoryMode mode) {
    // reserve before taking the parking lock: reserving may block
    memory.reserve(out.sizeUpperBound(), config.maxBlockMs(), mode == RecordAccumulator.MemoryMode.BLOCK);
    if (parked.parkIfNeeded(out, placeable)) {
      metadata.addTopic(out.record().topic());
      metadata.requestUpdate();
      return;
    }
    memory.release(out.sizeUpperBound());
    append(out, topic.partitionCount(), mode);
  }

  private static boolean placeable(MetadataSnapshot.TopicInfo topic, Integer partition) {
    return topic != null && topic.known() && topic.partitionCount() > 0
        && (partition == null || partition < topic.partitionCount());
  }

  private void append(Outgoing out, int partitions, RecordAccumulator.MemoryMode mode) {
    ProducerRecord<byte[], byte[]> record = out.record();
    int partition = partitioner.partition(record.topic(), record.partition(), record.key(), partitions);
    TopicPartition tp = new TopicPartition(record.topic(), partition);
    RecordAccumulator.AppendResult result = accumulator.append(tp, out.timestampMs(), record.key(),
        record.value(), out.headers(), out.promise(), out.caller(), out.sizeUpperBound(), out.sendMs(), mode);
    if (result.batchClosed()) {
      partitioner.onBatchClosed(tp, partitions);
    }
    // a new batch needs a linger timer, a closed one can go now; appends in between need no hop
    if (result.batchClosed() || result.newBatch() || config.lingerMs() == 0) {
      sender.wakeup();
    }
  }

  /** On the context after every metadata refresh: place parked records in order, wake the sender. */
  private void onMetadataUpdate() {
    if (!parked.isEmpty()) {
      long nowMs = System.currentTimeMillis();
      MetadataSnapshot snapshot = metadata.snapshot();
      parked.placeAll(out -> placeParked(out, snapshot, nowMs));
      if (!parked.isEmpty()) {
        metadata.requestUpdate();
      }
    }
    sender.wakeup();
  }

  /** Answers true when the record left the parking: placed or failed. */
  private boolean placeParked(Outgoing out, MetadataSnapshot snapshot, long nowMs) {
    MetadataSnapshot.TopicInfo topic = snapshot.topic(out.record().topic());
    RuntimeException failure = parked.verdict(out, topic, metadata.lastSuccessStartMs(), nowMs);
    if (failure == null && !placeable(topic, out.record().partition())) {
      return false;
    }
    memory.release(out.sizeUpperBound());
    if (failure != null) {
      CallerContext.fail(out.caller(), out.promise(), failure);
      return true;
    }
    try {
      append(out, topic.partitionCount(), RecordAccumulator.MemoryMode.FORCE);
    } catch (KafkaException | IllegalStateException e) {
      CallerContext.fail(out.caller(), out.promise(), e);
    }
    return true;
  }

  @Override
  public Future<Void> flush() {
    Context caller = CallerContext.foreign(context);
    Promise<Void> flushed = Promise.promise();
    context.runOnContext(v -> {
      List<Future<?>> waits = new ArrayList<>();
      for (ProducerBatch batch : accumulator.incomplete()) {
        waits.add(batch.done());
      }
      waits.addAll(parked.futures());
      sender.beginFlush();
      sender.runOnce();
      Future.join(waits).onComplete(ar -> {
        sender.endFlush();
        flushed.complete(); // like Kafka's flush: record failures are reported on the records' futures
      });
    });
    return CallerContext.on(caller, flushed.future());
  }

  @Override
  public Future<Void> close(Duration timeout) {
    return CallerContext.on(CallerContext.foreign(context), startClose(timeout));
  }

  private synchronized Future<Void> startClose(Duration timeout) {
    if (closing != null) {
      return closing;
    }
    closed = true;
    Promise<Void> done = Promise.promise();
    closing = done.future();
    long timeoutMs = Math.max(0, Math.min(timeout.toMillis(), Integer.MAX_VALUE));
    context.runOnContext(v -> {
      if (timeoutMs == 0) {
        forceClose(done);
        return;
      }
      long timer = vertx.setTimer(timeoutMs, id -> forceClose(done));
      flush().onComplete(ar -> {
        vertx.cancelTimer(timer);
        forceClose(done);
      });
    });
    return closing;
  }

  /** On the context: fails whatever is left, stops timers. Idempotent. */
  private void forceClose(Promise<Void> done) {
    if (done.future().isComplete()) {
      return;
    }
    KafkaException error = new KafkaException("Producer is closed forcefully.");
    accumulator.closeAndDrainAll();
    for (ProducerBatch batch : List.copyOf(accumulator.incomplete())) {
      sender.fail(batch, error);
    }
    parked.placeAll(out -> {
      memory.release(out.sizeUpperBound());
      CallerContext.fail(out.caller(), out.promise(), error);
      return true;
    });
    sender.close();
    metadata.close();
    done.complete();
  }

  /** Bytes of buffer memory free now (for tests and metrics). */
  public long availableMemory() {
    return memory.available();
  }
}
