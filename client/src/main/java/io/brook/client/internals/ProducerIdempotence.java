package io.brook.client.internals;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * The idempotent producer's bookkeeping, as Kafka's {@code TransactionManager} keeps it without
 * transactions: the producer id and epoch, and per partition the next sequence, the last acknowledged
 * one and the batches numbered but not yet done ({@code unacked}, in sequence order). Plain Java, no
 * I/O: the {@link Sender} asks it whether a partition may send, lets it number a batch, and tells it
 * each batch's outcome.
 *
 * <p>Rules, and why they never write a record twice:
 * <ul>
 *   <li>A batch gets its sequence when first drained and keeps it (the same bytes) across retries, so
 *       the leader, which remembers a producer's last five batches, answers a retry of a batch it has
 *       with the batch's first offsets instead of writing it again. Hence at most
 *       {@value #MAX_IN_FLIGHT} numbered batches are outstanding per partition.</li>
 *   <li>A retried batch goes alone (nothing else of the partition in flight), in sequence order;
 *       fresh batches pipeline behind each other, up to the in-flight limit.</li>
 *   <li>{@code OUT_OF_ORDER_SEQUENCE_NUMBER} or {@code UNKNOWN_PRODUCER_ID} for the partition's
 *       lowest outstanding batch means the leader has none of the outstanding batches (each needs its
 *       predecessor first, and a batch it has would be answered as a duplicate): once the partition has
 *       nothing in flight, the producer bumps its epoch (at {@link Short#MAX_VALUE}, it asks for a new
 *       producer id) and renumbers the outstanding batches from 0 under it; they are retried. For any
 *       other batch it is an earlier batch's gap: retried as is. This also heals the hole a batch
 *       leaves when it fails with an unknown outcome (it expired, say): if it was not written, its
 *       successor is refused and renumbered.</li>
 *   <li>{@code INVALID_PRODUCER_EPOCH}: the leader knows a newer epoch of this id than the batch has;
 *       the batch fails (it was not written) and the producer asks for a new producer id.</li>
 *   <li>Another partition moves to a new epoch or id only when it has no outstanding batch, starting
 *       at sequence 0, as a leader requires of a new epoch.</li>
 * </ul>
 *
 * <p>Owned by the producer's context (the sender's thread); not thread-safe.
 */
final class ProducerIdempotence {
  /** The leader remembers a producer's last five batches per partition; more outstanding could not be deduplicated. */
  static final int MAX_IN_FLIGHT = 5;

  /** One partition's numbering. */
  static final class Partition {
    long producerId = RecordBatch.NO_PRODUCER_ID;
    short epoch = RecordBatch.NO_PRODUCER_EPOCH;
    int nextSequence;
    int lastAckedSequence = RecordBatch.NO_SEQUENCE;
    /** Numbered batches not done yet, on the wire or queued for a retry, in sequence order. */
    final ArrayDeque<ProducerBatch> unacked = new ArrayDeque<>();
    int inFlight;
    /** The lowest outstanding batch was refused: renumber under a new epoch before sending again. */
    boolean renumber;

    int nextSequence() {
      return nextSequence;
    }

    int lastAckedSequence() {
      return lastAckedSequence;
    }

    short epoch() {
      return epoch;
    }

    long producerId() {
      return producerId;
    }
  }

  /** What the sender does with a failed batch. */
  enum Outcome { RETRY, FAIL }

  private final int maxInFlight;
  private final Map<TopicPartition, Partition> partitions = new HashMap<>();
  private long producerId = RecordBatch.NO_PRODUCER_ID;
  private short epoch = RecordBatch.NO_PRODUCER_EPOCH;
  private long orders;

  /** @param maxInFlight requests per partition at once, at most {@value #MAX_IN_FLIGHT} */
  ProducerIdempotence(int maxInFlight) {
    if (maxInFlight < 1 || maxInFlight > MAX_IN_FLIGHT) {
      throw new IllegalArgumentException("in flight per partition must be 1.." + MAX_IN_FLIGHT + ", was " + maxInFlight);
    }
    this.maxInFlight = maxInFlight;
  }

  boolean hasProducerId() {
    return producerId != RecordBatch.NO_PRODUCER_ID;
  }

  long producerId() {
    return producerId;
  }

  short epoch() {
    return epoch;
  }

  /** A producer id from {@code brook.api.init-producer-id}. */
  void producerId(long id, short newEpoch) {
    if (id < 0 || newEpoch < 0) {
      throw new IllegalArgumentException("producer id " + id + " epoch " + newEpoch);
    }
    producerId = id;
    epoch = newEpoch;
  }

  Partition partition(TopicPartition tp) {
    return partitions.computeIfAbsent(tp, k -> new Partition());
  }

  /**
   * Whether the partition may send {@code head}, the first batch of its deque, now. A renumbering
   * that would need an epoch past {@link Short#MAX_VALUE} drops the producer id here (the sender then
   * asks for a new one) and answers false.
   */
  boolean canSend(TopicPartition tp, ProducerBatch head) {
    if (!hasProducerId()) {
      return false;
    }
    Partition p = partition(tp);
    if (p.renumber && p.inFlight == 0 && current(p) && epoch == Short.MAX_VALUE) {
      producerId = RecordBatch.NO_PRODUCER_ID;
      epoch = RecordBatch.NO_PRODUCER_EPOCH;
      return false;
    }
    if (head.hasSequence() || p.renumber) {
      return p.inFlight == 0; // a retry (or a renumbering) goes alone, after everything sent before it answered
    }
    if (!current(p) && !p.unacked.isEmpty()) {
      return false; // finish the old numbering before starting the new one at 0
    }
    return p.inFlight < maxInFlight && p.unacked.size() < MAX_IN_FLIGHT;
  }

  /**
   * Just before {@code head} is sent (after {@link #canSend} said yes): renumbers the partition under a
   * new epoch if it was told to, gives a fresh batch its sequence, counts the request in flight.
   */
  void prepare(TopicPartition tp, ProducerBatch head) {
    Partition p = partition(tp);
    if (p.renumber) {
      renumber(p);
    }
    if (!head.hasSequence()) {
      if (!current(p)) {
        p.producerId = producerId;
        p.epoch = epoch;
        p.nextSequence = 0;
        p.lastAckedSequence = RecordBatch.NO_SEQUENCE;
      }
      number(p, head);
      head.sequenceOrder = ++orders;
      p.unacked.addLast(head);
    }
    p.inFlight++;
  }

  private boolean current(Partition p) {
    return p.producerId == producerId && p.epoch == epoch;
  }

  private static void number(Partition p, ProducerBatch batch) {
    batch.producerState(p.producerId, p.epoch, p.nextSequence);
    p.nextSequence = DefaultRecordBatch.incrementSequence(p.nextSequence, batch.recordCount());
  }

  /** The partition's outstanding batches from sequence 0 under a newer epoch (this producer's next, or a bump). */
  private void renumber(Partition p) {
    if (current(p)) {
      epoch++; // canSend dropped an exhausted epoch's id: this one is below Short.MAX_VALUE
    }
    p.producerId = producerId;
    p.epoch = epoch;
    p.nextSequence = 0;
    p.lastAckedSequence = RecordBatch.NO_SEQUENCE;
    for (ProducerBatch batch : p.unacked) {
      number(p, batch);
    }
    p.renumber = false;
  }

  /** The batch was written (or is a duplicate of one that was). */
  void onAcked(TopicPartition tp, ProducerBatch batch) {
    Partition p = partition(tp);
    p.inFlight--;
    if (p.unacked.remove(batch)) {
      p.lastAckedSequence = DefaultRecordBatch.incrementSequence(batch.baseSequence(), batch.recordCount() - 1);
    }
  }

  /**
   * The leader refused a batch or its request failed: retry it (the sender then checks its own
   * bounds: retries, delivery timeout) or fail it.
   *
   * @param idempotenceError the refusal was OUT_OF_ORDER_SEQUENCE_NUMBER or UNKNOWN_PRODUCER_ID
   * @param fencedEpoch the refusal was INVALID_PRODUCER_EPOCH
   * @param retriable any other error the sender retries
   */
  Outcome onFailed(TopicPartition tp, ProducerBatch batch, boolean idempotenceError, boolean fencedEpoch,
      boolean retriable) {
    Partition p = partition(tp);
    p.inFlight--;
    if (fencedEpoch) {
      if (batch.producerIdMatches(producerId, epoch)) {
        producerId = RecordBatch.NO_PRODUCER_ID; // a new id, unknown to every leader
        epoch = RecordBatch.NO_PRODUCER_EPOCH;
      }
      return Outcome.FAIL;
    }
    if (idempotenceError) {
      if (p.unacked.peekFirst() == batch) {
        p.renumber = true;
      }
      return Outcome.RETRY;
    }
    return retriable ? Outcome.RETRY : Outcome.FAIL;
  }

  /** The batch is done without an acknowledgement (failed, expired, producer closed): it no longer holds a place. */
  void onGivenUp(TopicPartition tp, ProducerBatch batch) {
    Partition p = partitions.get(tp);
    if (p != null) {
      p.unacked.remove(batch);
      if (p.unacked.isEmpty()) {
        p.renumber = false; // nothing left to renumber; a later refusal starts over
      }
    }
  }
}
