package io.brook.client.internals;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;

/**
 * Per-partition queues of {@link ProducerBatch}es. {@link #append} is called from any thread (the
 * hot path of {@code send()}): one lock on the partition's deque, no event loop hop. The sender
 * drains the deques on the producer's context under the same lock.
 *
 * <p>Invariants: only the last batch of a deque takes appends; every batch in a deque or in
 * flight is in {@link #incomplete()} until its records are completed; each batch holds
 * {@code reservedBytes} of {@link BufferMemory} until then.
 */
final class RecordAccumulator {
  /** How {@link #append} may wait for buffer memory. */
  enum MemoryMode { BLOCK, FAIL_FAST, FORCE }

  /** What the append did, so the caller knows whether to wake the sender (constants: no allocation per record). */
  record AppendResult(boolean batchClosed, boolean newBatch) {
    static final AppendResult APPENDED = new AppendResult(false, false);
    static final AppendResult APPENDED_AND_FULL = new AppendResult(true, false);
    static final AppendResult NEW_BATCH = new AppendResult(false, true);
    static final AppendResult CLOSED_AND_NEW_BATCH = new AppendResult(true, true);

    static AppendResult of(boolean batchClosed, boolean newBatch) {
      if (newBatch) {
        return batchClosed ? CLOSED_AND_NEW_BATCH : NEW_BATCH;
      }
      return batchClosed ? APPENDED_AND_FULL : APPENDED;
    }
  }

  private final int batchSize;
  private final Compression compression;
  private final BufferMemory memory;
  private final long maxBlockMs;
  private final ConcurrentHashMap<TopicPartition, Deque<ProducerBatch>> batches = new ConcurrentHashMap<>();
  private final Set<ProducerBatch> incomplete = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  RecordAccumulator(int batchSize, Compression compression, BufferMemory memory, long maxBlockMs) {
    this.batchSize = batchSize;
    this.compression = compression;
    this.memory = memory;
    this.maxBlockMs = maxBlockMs;
  }

  /**
   * Adds a record to the partition's open batch, or to a new batch when it is full.
   *
   * @param caller the context to complete {@code promise} on, null for the producer's own
   * @param sizeUpperBound the record's largest possible size in a batch
   * @throws org.apache.kafka.clients.producer.BufferExhaustedException when no memory became free
   */
  AppendResult append(TopicPartition tp, long timestampMs, byte[] key, byte[] value, Header[] headers,
      Promise<RecordMetadata> promise, Context caller, int sizeUpperBound, long nowMs, MemoryMode mode) {
    Deque<ProducerBatch> deque = deque(tp);
    synchronized (deque) {
      throwIfClosed();
      ProducerBatch last = deque.peekLast();
      if (last != null && last.tryAppend(timestampMs, key, value, headers, promise, caller)) {
        return AppendResult.of(last.isFull(), false);
      }
    }
    // no room (the last batch, if any, is now closed): reserve a new buffer outside the lock, since it may block
    int capacity = Math.max(batchSize, sizeUpperBound);
    reserve(capacity, mode);
    boolean used = false;
    try {
      synchronized (deque) {
        throwIfClosed();
        ProducerBatch last = deque.peekLast();
        if (last != null && last.tryAppend(timestampMs, key, value, headers, promise, caller)) {
          return AppendResult.of(true, false); // another thread made a new batch meanwhile
        }
        ProducerBatch batch = new ProducerBatch(tp, compression, capacity, nowMs);
        if (!batch.tryAppend(timestampMs, key, value, headers, promise, caller)) {
          throw new IllegalStateException("a new batch refused its first record");
        }
        deque.addLast(batch);
        incomplete.add(batch);
        used = true;
        return AppendResult.of(last != null || batch.isFull(), true);
      }
    } finally {
      if (!used) {
        memory.release(capacity);
      }
    }
  }

  private void reserve(int bytes, MemoryMode mode) {
    switch (mode) {
      case FORCE -> memory.forceReserve(bytes);
      case BLOCK -> memory.reserve(bytes, maxBlockMs, true);
      case FAIL_FAST -> memory.reserve(bytes, maxBlockMs, false);
    }
  }

  private void throwIfClosed() {
    if (closed) {
      throw new KafkaException("Producer closed while send in progress");
    }
  }

  Deque<ProducerBatch> deque(TopicPartition tp) {
    Deque<ProducerBatch> deque = batches.get(tp);
    return deque != null ? deque : batches.computeIfAbsent(tp, k -> new ArrayDeque<>());
  }

  Set<Map.Entry<TopicPartition, Deque<ProducerBatch>>> deques() {
    return batches.entrySet();
  }

  /** Every batch whose records are not done yet (queued or in flight). */
  Set<ProducerBatch> incomplete() {
    return incomplete;
  }

  /** On the context, after a batch's records completed: gives back its memory. */
  void deallocate(ProducerBatch batch) {
    if (incomplete.remove(batch)) {
      memory.release(batch.reservedBytes);
    }
  }

  /** Puts batches back at the front of their deque for a retry, keeping their order. */
  void reenqueue(List<ProducerBatch> retry) {
    for (int i = retry.size() - 1; i >= 0; i--) {
      ProducerBatch batch = retry.get(i);
      Deque<ProducerBatch> deque = deque(batch.tp);
      synchronized (deque) {
        deque.addFirst(batch);
      }
    }
  }

  /**
   * Idempotence: puts a numbered batch back among the numbered batches at the front of its deque, in
   * sequence order (answers to pipelined requests may come back in any order).
   */
  void reenqueueInSequenceOrder(ProducerBatch batch) {
    Deque<ProducerBatch> deque = deque(batch.tp);
    synchronized (deque) {
      List<ProducerBatch> before = new ArrayList<>();
      ProducerBatch head;
      while ((head = deque.peekFirst()) != null && head.sequenceOrder >= 0 && head.sequenceOrder < batch.sequenceOrder) {
        before.add(deque.pollFirst());
      }
      deque.addFirst(batch);
      for (int i = before.size() - 1; i >= 0; i--) {
        deque.addFirst(before.get(i));
      }
    }
  }

  /** Refuses further appends and removes every queued batch (the caller fails them). */
  List<ProducerBatch> closeAndDrainAll() {
    closed = true;
    List<ProducerBatch> all = new ArrayList<>();
    for (Deque<ProducerBatch> deque : batches.values()) {
      synchronized (deque) {
        all.addAll(deque);
        deque.clear();
      }
    }
    return all;
  }

  boolean isClosed() {
    return closed;
  }
}
