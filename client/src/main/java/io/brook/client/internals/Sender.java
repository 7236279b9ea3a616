package io.brook.client.internals;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.message.InitProducerIdRequest;
import io.brook.protocol.message.InitProducerIdResponse;
import io.brook.protocol.message.ListOffsetsRequest;
import io.brook.protocol.message.ListOffsetsResponse;
import io.brook.protocol.message.ProduceRequest;
import io.brook.protocol.message.ProduceResponse;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.DuplicateSequenceException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownProducerIdException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Drains ready batches from the {@link RecordAccumulator} and sends them to their partition leader's
 * {@code brook.api.broker.<id>.produce}, one request per partition holding one or more batches (up
 * to {@code max.request.size}). A batch is ready when full, when {@code linger.ms} has passed since
 * it was created, or while a flush or close is in progress; a retried batch waits
 * {@code retry.backoff.ms} first.
 *
 * <p>Ordering: with {@code retries > 0} (and acks 1 or all) at most ONE request per partition is in
 * flight, like Kafka's {@code max.in.flight.requests.per.connection=1}: a batch that fails with a
 * retriable error goes back to the front of its deque before any later batch of the partition was
 * sent, so a retry can never overtake (reorder) the batches behind it. Throughput stays because the
 * one request carries every ready batch of the partition (up to {@code max.request.size}) and the
 * broker appends it at once (group commit); partitions and brokers still pipeline, up to
 * {@code max.in.flight.requests.per.connection} requests per broker. With {@code retries = 0} or
 * acks=0 nothing is retried, so a partition may have several requests in flight.
 *
 * <p>Idempotence ({@code enable.idempotence}, the default): before the first batch goes the sender
 * asks {@code brook.api.init-producer-id} for a producer id (batches wait, within their delivery
 * timeout). A request then holds exactly one batch, stamped with the producer id, epoch and its
 * first sequence when first drained and resent byte for byte; a partition pipelines up to
 * {@code max.in.flight.requests.per.connection} (at most 5) such requests, without the per-broker
 * bound, and the leader refuses a batch out of sequence, so nothing is reordered; a retried batch
 * goes alone. Sequence bookkeeping and the answers to the idempotence errors are
 * {@link ProducerIdempotence}'s; {@code DUPLICATE_SEQUENCE_NUMBER} counts as written (offsets -1).
 *
 * <p>Runs only on the producer's context, which owns all its fields. {@link #wakeup()} may be called
 * from any thread and coalesces into one task. Each response triggers another drain.
 */
final class Sender {
  private static final System.Logger LOG = System.getLogger(Sender.class.getName());
  private final Vertx vertx;
  private final Context context;
  private final Rpc rpc;
  private final Metadata metadata;
  private final RecordAccumulator accumulator;
  private final StickyPartitioner partitioner;
  private final short acks;
  private final int requestTimeoutMs;
  private final int deliveryTimeoutMs;
  private final long lingerMs;
  private final long retryBackoffMs;
  private final int retries;
  private final int maxInFlight;
  private final int maxRequestSize;
  private final DeliveryOptions deliveryOptions;
  private final AtomicBoolean wakeupPending = new AtomicBoolean();
  private final Map<Integer, Integer> inFlight = new HashMap<>();
  /** True when a retry could reorder: then a partition has at most one request in flight. */
  private final boolean onePerPartition;
  private final Set<TopicPartition> partitionsInFlight = new HashSet<>();
  /** Null when idempotence is off. */
  private final ProducerIdempotence idempotence;
  private boolean initInFlight;
  private long initRetryAtMs;
  private boolean closed;

  private int flushesInProgress;
  /** Set by a drain that found batches for a partition without a known leader. */
  private boolean leaderMissing;
  private long timerId = -1;
  private long timerAtMs = Long.MAX_VALUE;

  Sender(Vertx vertx, Context context, Rpc rpc, Metadata metadata, RecordAccumulator accumulator,
      StickyPartitioner partitioner, io.brook.client.ProducerConfigs config) {
    this.vertx = vertx;
    this.context = context;
    this.rpc = rpc;
    this.metadata = metadata;
    this.accumulator = accumulator;
    this.partitioner = partitioner;
    this.acks = config.acks();
    this.requestTimeoutMs = config.requestTimeoutMs();
    this.deliveryTimeoutMs = config.deliveryTimeoutMs();
    this.lingerMs = config.lingerMs();
    this.retryBackoffMs = config.retryBackoffMs();
    this.retries = config.retries();
    this.maxInFlight = config.maxInFlight();
    this.maxRequestSize = config.maxRequestSize();
    this.deliveryOptions = new DeliveryOptions().setSendTimeout(Math.max(1, requestTimeoutMs));
    this.idempotence = config.idempotence() ? new ProducerIdempotence(maxInFlight) : null;
    this.onePerPartition = idempotence == null && retries > 0 && acks != ProduceRequest.ACKS_NONE;
  }

  /** Any thread: run a drain soon on the context. Several wakeups before it runs make one drain. */
  void wakeup() {
    if (wakeupPending.compareAndSet(false, true)) {
      context.runOnContext(v -> {
        wakeupPending.set(false);
        runOnce();
      });
    }
  }

  /** On the context: while at least one flush is in progress every batch is ready. */
  void beginFlush() {
    flushesInProgress++;
  }

  void endFlush() {
    flushesInProgress--;
  }

  /** On the context: expire, drain and send what is ready; arm a timer for what will be. */
  void runOnce() {
    if (closed) {
      return;
    }
    long nowMs = System.currentTimeMillis();
    maybeInitProducerId(nowMs);
    boolean force = flushesInProgress > 0 || accumulator.isClosed();
    MetadataSnapshot snapshot = metadata.snapshot();
    long nextMs = Long.MAX_VALUE;
    leaderMissing = false;
    for (Map.Entry<TopicPartition, Deque<ProducerBatch>> entry : accumulator.deques()) {
      int leader = snapshot.leader(entry.getKey());
      nextMs = Math.min(nextMs, drainPartition(entry.getKey(), entry.getValue(), leader, snapshot, nowMs, force));
    }
    if (leaderMissing) {
      metadata.requestUpdate(); // its completion wakes the sender again
    }
    maybeInitProducerId(nowMs); // a drain may have given up an exhausted epoch's id
    armTimer(nextMs, nowMs);
  }

  /**
   * Sends the partition's ready batches, one request at a time while the leader has room in
   * flight (and, when retries may reorder, only while the partition has no request in flight);
   * fails expired ones.
   *
   * @return when the partition next needs attention without an event (linger, backoff, expiry)
   */
  private long drainPartition(TopicPartition tp, Deque<ProducerBatch> deque, int leader, MetadataSnapshot snapshot,
      long nowMs, boolean force) {
    while (true) {
      List<ProducerBatch> expired = new ArrayList<>(0);
      List<ProducerBatch> ready = new ArrayList<>(0);
      long nextMs = Long.MAX_VALUE;
      boolean canSend;
      synchronized (deque) {
        expireLocked(deque, nowMs, expired);
        ProducerBatch head = deque.peekFirst();
        canSend = leader >= 0 && head != null && (idempotence != null ? idempotence.canSend(tp, head)
            : inFlight.getOrDefault(leader, 0) < maxInFlight && !(onePerPartition && partitionsInFlight.contains(tp)));
        if (head == null) {
          // nothing queued (or everything queued has just expired)
        } else if (!canSend) {
          // a metadata update or a response wakes us up; only expiry needs a timer
          leaderMissing |= leader < 0;
          nextMs = head.createdMs + deliveryTimeoutMs;
        } else if (readyAtMs(head, deque.size(), force) > nowMs) {
          nextMs = Math.min(readyAtMs(head, deque.size(), force), head.createdMs + deliveryTimeoutMs);
        } else {
          drainLocked(deque, nowMs, force, ready);
        }
      }
      for (ProducerBatch batch : expired) {
        fail(batch, new TimeoutException("Expiring " + batch.recordCount() + " record(s) for " + tp + ": "
            + (nowMs - batch.createdMs) + " ms has passed since batch creation"));
      }
      if (ready.isEmpty()) {
        return nextMs;
      }
      partitioner.onBatchClosed(tp, partitionCount(snapshot, tp.topic()));
      send(leader, tp, ready);
    }
  }

  private static int partitionCount(MetadataSnapshot snapshot, String topic) {
    MetadataSnapshot.TopicInfo info = snapshot.topic(topic);
    return info == null ? 0 : info.partitionCount();
  }

  private long readyAtMs(ProducerBatch head, int queued, boolean force) {
    long readyAt = (force || queued > 1 || head.isFull()) ? 0 : head.createdMs + lingerMs;
    return Math.max(readyAt, head.retryAtMs);
  }

  private void expireLocked(Deque<ProducerBatch> deque, long nowMs, List<ProducerBatch> expired) {
    ProducerBatch head;
    while ((head = deque.peekFirst()) != null && nowMs - head.createdMs >= deliveryTimeoutMs) {
      expired.add(deque.pollFirst());
    }
  }

  /** Takes ready batches from the front while they fit in one request (the first always does). */
  private void drainLocked(Deque<ProducerBatch> deque, long nowMs, boolean force, List<ProducerBatch> ready) {
    int bytes = 0;
    ProducerBatch head;
    while ((head = deque.peekFirst()) != null && readyAtMs(head, deque.size(), force) <= nowMs) {
      int size = head.sizeInBytes();
      if (!ready.isEmpty() && bytes + size > maxRequestSize) {
        break;
      }
      bytes += size;
      ready.add(deque.pollFirst());
      if (idempotence != null) {
        return; // an idempotent batch travels alone: the leader checks one batch's sequence per request
      }
    }
  }

  private void send(int leader, TopicPartition tp, List<ProducerBatch> batches) {
    if (idempotence != null) {
      idempotence.prepare(tp, batches.get(0)); // numbers it (once: a retry keeps its sequence)
    }
    ByteBuffer records = concat(batches);
    for (ProducerBatch batch : batches) {
      batch.attempts++;
    }
    ProduceRequest request = new ProduceRequest(tp.topic(), tp.partition(), acks, requestTimeoutMs, records);
    String address = Addresses.produce(leader);
    inFlight.merge(leader, 1, Integer::sum);
    if (acks == ProduceRequest.ACKS_NONE) {
      sendWithoutAck(leader, tp, address, request, batches);
      return;
    }
    if (onePerPartition) {
      partitionsInFlight.add(tp);
    }
    rpc.request(address, request, requestTimeoutMs, ProduceResponse.class, metadata.snapshot().eventBusNode(leader))
        .onComplete(ar -> {
          if (idempotence != null) {
            handleIdempotentResponse(leader, tp, batches.get(0), ar);
          } else {
            handleResponse(leader, tp, batches, ar);
          }
        });
  }

  /**
   * acks=0: the records are done once handed to the event bus, offsets unknown (-1), as Kafka does.
   * The event bus has no backpressure, so a barrier follows: a list-offsets request to the same
   * leader, which the broker handles after the produce (one connection, FIFO). Until it answers,
   * the request counts as in flight and keeps its buffer memory, which bounds what is queued.
   */
  private void sendWithoutAck(int leader, TopicPartition tp, String address, ProduceRequest request,
      List<ProducerBatch> batches) {
    try {
      rpc.eventBus().send(address, request, deliveryOptions);
    } catch (RuntimeException e) {
      inFlight.merge(leader, -1, Integer::sum);
      batches.forEach(batch -> fail(batch, new KafkaException("send to " + address + " failed", e)));
      return;
    }
    for (ProducerBatch batch : batches) {
      batch.complete(-1L, RecordBatch.NO_TIMESTAMP);
    }
    rpc.request(Addresses.listOffsets(leader), new ListOffsetsRequest(tp.topic(), tp.partition(),
            ListOffsetsRequest.LATEST), requestTimeoutMs, ListOffsetsResponse.class)
        .onComplete(ar -> {
          inFlight.merge(leader, -1, Integer::sum);
          batches.forEach(accumulator::deallocate);
          runOnce();
        });
  }

  private static ByteBuffer concat(List<ProducerBatch> batches) {
    if (batches.size() == 1) {
      return batches.get(0).close().buffer();
    }
    int size = 0;
    for (ProducerBatch batch : batches) {
      size += batch.close().sizeInBytes();
    }
    ByteBuffer all = ByteBuffer.allocate(size);
    for (ProducerBatch batch : batches) {
      MemoryRecords records = batch.close();
      all.put(records.buffer());
    }
    return all.flip();
  }

  private void handleResponse(int leader, TopicPartition tp, List<ProducerBatch> batches,
      AsyncResult<ProduceResponse> ar) {
    inFlight.merge(leader, -1, Integer::sum);
    partitionsInFlight.remove(tp);
    if (ar.failed()) {
      handleFailure(batches, BrookErrors.toApiException(ar.cause())); // back in front, before the next drain
      runOnce();
      return;
    }
    // send the partition's next request first: completing thousands of record futures (and running
    // the application's callbacks) must not keep the partition's one in-flight slot idle
    runOnce();
    long baseOffset = ar.result().baseOffset();
    long logAppendTimeMs = ar.result().logAppendTimeMs();
    for (ProducerBatch batch : batches) {
      if (batch.complete(baseOffset, logAppendTimeMs)) {
        accumulator.deallocate(batch);
      }
      baseOffset += batch.recordCount();
    }
  }

  /** An idempotent batch's answer: written, a duplicate (written before), or refused / lost. */
  private void handleIdempotentResponse(int leader, TopicPartition tp, ProducerBatch batch,
      AsyncResult<ProduceResponse> ar) {
    inFlight.merge(leader, -1, Integer::sum);
    ApiException error = ar.failed() ? BrookErrors.toApiException(ar.cause()) : null;
    if (error == null || error instanceof DuplicateSequenceException) {
      idempotence.onAcked(tp, batch);
      runOnce();
      boolean done = error == null ? batch.complete(ar.result().baseOffset(), ar.result().logAppendTimeMs())
          : batch.complete(-1L, RecordBatch.NO_TIMESTAMP); // written before; Kafka's producer neither knows where
      if (done) {
        accumulator.deallocate(batch);
      }
      return;
    }
    ProducerIdempotence.Outcome outcome = idempotence.onFailed(tp, batch,
        error instanceof OutOfOrderSequenceException || error instanceof UnknownProducerIdException,
        error instanceof InvalidProducerEpochException, error instanceof RetriableException);
    long nowMs = System.currentTimeMillis();
    if (outcome == ProducerIdempotence.Outcome.RETRY && withinRetryBounds(batch, nowMs)) {
      batch.retryAtMs = nowMs + retryBackoffMs;
      accumulator.reenqueueInSequenceOrder(batch);
    } else {
      fail(batch, error);
    }
    if (error instanceof RetriableException) {
      metadata.requestUpdate(); // the leader may have moved or left
    }
    runOnce();
  }

  /**
   * Idempotence: asks for a producer id when there is none (at the start, after an epoch ran out or
   * a leader fenced ours). Retried after {@code retry.backoff.ms}; an error that is not retriable
   * (no authorization) fails the batches waiting for it, and the next ones ask again.
   */
  private void maybeInitProducerId(long nowMs) {
    if (idempotence == null || idempotence.hasProducerId() || initInFlight) {
      return;
    }
    if (nowMs < initRetryAtMs) {
      armTimer(initRetryAtMs, nowMs);
      return;
    }
    initInFlight = true;
    rpc.request(Addresses.INIT_PRODUCER_ID, new InitProducerIdRequest(), requestTimeoutMs, InitProducerIdResponse.class)
        .onComplete(ar -> {
          initInFlight = false;
          if (ar.succeeded()) {
            idempotence.producerId(ar.result().producerId(), ar.result().producerEpoch());
          } else {
            initRetryAtMs = System.currentTimeMillis() + retryBackoffMs;
            LOG.log(System.Logger.Level.DEBUG, "No producer id yet: " + ar.cause().getMessage());
            if (!(ar.cause() instanceof RetriableException)) {
              failQueued(ar.cause() instanceof RuntimeException e ? e : new KafkaException(ar.cause()));
            }
          }
          runOnce();
        });
  }

  /** Fails every batch waiting in the accumulator (none is in flight: there is no producer id). */
  private void failQueued(RuntimeException error) {
    for (Map.Entry<TopicPartition, Deque<ProducerBatch>> entry : accumulator.deques()) {
      List<ProducerBatch> queued;
      Deque<ProducerBatch> deque = entry.getValue();
      synchronized (deque) {
        queued = new ArrayList<>(deque);
        deque.clear();
      }
      queued.forEach(batch -> fail(batch, error));
    }
  }

  private void handleFailure(List<ProducerBatch> batches, ApiException error) {
    long nowMs = System.currentTimeMillis();
    List<ProducerBatch> retry = new ArrayList<>();
    for (ProducerBatch batch : batches) {
      if (canRetry(batch, error, nowMs)) {
        batch.retryAtMs = nowMs + retryBackoffMs;
        retry.add(batch);
      } else {
        fail(batch, error);
      }
    }
    if (error instanceof RetriableException) {
      metadata.requestUpdate(); // the leader may have moved or left
    }
    accumulator.reenqueue(retry);
  }

  private boolean canRetry(ProducerBatch batch, ApiException error, long nowMs) {
    return error instanceof RetriableException && withinRetryBounds(batch, nowMs);
  }

  private boolean withinRetryBounds(ProducerBatch batch, long nowMs) {
    return !batch.completed
        && !accumulator.isClosed()
        && batch.attempts <= retries
        && nowMs + retryBackoffMs - batch.createdMs < deliveryTimeoutMs;
  }

  void fail(ProducerBatch batch, RuntimeException error) {
    if (idempotence != null) {
      idempotence.onGivenUp(batch.tp, batch);
    }
    if (batch.fail(error)) {
      accumulator.deallocate(batch);
    }
  }

  private void armTimer(long atMs, long nowMs) {
    if (atMs == Long.MAX_VALUE || (timerId >= 0 && timerAtMs <= atMs)) {
      return;
    }
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    timerAtMs = atMs;
    timerId = vertx.setTimer(Math.max(1, atMs - nowMs), id -> {
      timerId = -1;
      timerAtMs = Long.MAX_VALUE;
      runOnce();
    });
  }

  /** On the context: no more timers. */
  void close() {
    closed = true;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }
}
