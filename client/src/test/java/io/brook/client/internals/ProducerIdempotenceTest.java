package io.brook.client.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import java.nio.ByteBuffer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

/** Proves the idempotent producer's sequence bookkeeping: numbering, retries, epoch bumps, wrap-around. */
class ProducerIdempotenceTest {
  private static final TopicPartition TP = new TopicPartition("t", 0);
  private static final TopicPartition OTHER = new TopicPartition("t", 1);

  private static ProducerBatch batch(TopicPartition tp, int records) {
    ProducerBatch batch = new ProducerBatch(tp, Compression.NONE, 1024, 0L);
    for (int i = 0; i < records; i++) {
      batch.tryAppend(0L, null, new byte[] {(byte) i}, new Header[0], Promise.promise(), null);
    }
    return batch;
  }

  /** The header as the leader will read it (CRC checked). */
  private static RecordBatch header(ProducerBatch batch) {
    MutableRecordBatch header = batch.close().batches().iterator().next();
    header.ensureValid();
    return header;
  }

  private static ProducerIdempotence withId(long producerId, short epoch) {
    ProducerIdempotence state = new ProducerIdempotence(5);
    state.producerId(producerId, epoch);
    return state;
  }

  private static void send(ProducerIdempotence state, ProducerBatch batch) {
    assertThat(state.canSend(batch.tp, batch)).as("may send " + batch).isTrue();
    state.prepare(batch.tp, batch);
  }

  @Test
  void nothingIsSentBeforeTheProducerHasAnId() {
    ProducerIdempotence state = new ProducerIdempotence(5);
    assertThat(state.canSend(TP, batch(TP, 1))).isFalse();
    state.producerId(7, (short) 0);
    assertThat(state.canSend(TP, batch(TP, 1))).isTrue();
  }

  @Test
  void freshBatchesAreNumberedInDrainOrderAndARetryKeepsItsSequenceAndBytes() {
    ProducerIdempotence state = withId(7, (short) 0);
    ProducerBatch a = batch(TP, 3);
    ProducerBatch b = batch(TP, 2);
    send(state, a);
    send(state, b); // pipelined behind a
    assertThat(header(a).producerId()).isEqualTo(7);
    assertThat(header(a).producerEpoch()).isZero();
    assertThat(header(a).baseSequence()).isZero();
    assertThat(header(b).baseSequence()).isEqualTo(3);
    assertThat(state.partition(TP).nextSequence()).isEqualTo(5);
    ByteBuffer firstBytes = a.close().buffer();

    // a is lost (the leader died); b then is refused as out of order: a retry each, no renumbering
    assertThat(state.onFailed(TP, a, false, false, true)).isEqualTo(ProducerIdempotence.Outcome.RETRY);
    assertThat(state.canSend(TP, a)).as("a retry waits for what is still in flight").isFalse();
    assertThat(state.onFailed(TP, b, true, false, false)).isEqualTo(ProducerIdempotence.Outcome.RETRY);
    send(state, a);
    assertThat(a.close().buffer()).as("the same bytes, so the leader can tell a duplicate").isEqualTo(firstBytes);
    assertThat(state.canSend(TP, b)).as("the next retry goes alone too").isFalse();
    state.onAcked(TP, a);
    send(state, b);
    assertThat(header(b).baseSequence()).isEqualTo(3);
    state.onAcked(TP, b);
    assertThat(state.partition(TP).lastAckedSequence()).isEqualTo(4);
    assertThat(state.epoch()).isZero();
  }

  @Test
  void outOfOrderForTheLowestOutstandingBatchBumpsTheEpochAndRenumbersFromZero() {
    ProducerIdempotence state = withId(7, (short) 0);
    send(state, batch(TP, 1));
    state.onAcked(TP, state.partition(TP).unacked.peekFirst());
    ProducerBatch a = batch(TP, 2);
    ProducerBatch b = batch(TP, 2);
    send(state, a);
    send(state, b);
    // the leader has a gap before a (say an expired batch that was never written): both are refused
    state.onFailed(TP, a, true, false, false);
    assertThat(state.canSend(TP, a)).as("renumbering waits for b's answer").isFalse();
    state.onFailed(TP, b, true, false, false);
    send(state, a);
    assertThat(state.epoch()).isEqualTo((short) 1);
    assertThat(header(a).producerEpoch()).isEqualTo((short) 1);
    assertThat(header(a).baseSequence()).isZero();
    assertThat(header(b).producerEpoch()).isEqualTo((short) 1);
    assertThat(header(b).baseSequence()).isEqualTo(2);
    assertThat(state.partition(TP).nextSequence()).isEqualTo(4);
  }

  @Test
  void anotherPartitionTakesTheNewEpochOnlyOnceItsOutstandingBatchesAreDone() {
    ProducerIdempotence state = withId(7, (short) 0);
    ProducerBatch other = batch(OTHER, 1);
    send(state, other);
    ProducerBatch a = batch(TP, 1);
    send(state, a);
    state.onFailed(TP, a, true, false, false);
    send(state, a); // bumps to epoch 1
    ProducerBatch fresh = batch(OTHER, 1);
    assertThat(state.canSend(OTHER, fresh)).as("OTHER still has a batch at epoch 0").isFalse();
    state.onAcked(OTHER, other);
    send(state, fresh);
    assertThat(header(fresh).producerEpoch()).isEqualTo((short) 1);
    assertThat(header(fresh).baseSequence()).as("a new epoch starts at 0").isZero();
  }

  @Test
  void anExhaustedEpochNeedsANewProducerId() {
    ProducerIdempotence state = withId(7, Short.MAX_VALUE);
    ProducerBatch a = batch(TP, 1);
    send(state, a);
    state.onFailed(TP, a, true, false, false);
    assertThat(state.canSend(TP, a)).as("no epoch past Short.MAX_VALUE: the id is dropped").isFalse();
    assertThat(state.hasProducerId()).isFalse();
    state.producerId(8, (short) 0);
    send(state, a);
    assertThat(header(a).producerId()).isEqualTo(8);
    assertThat(header(a).producerEpoch()).isZero();
    assertThat(header(a).baseSequence()).isZero();
  }

  @Test
  void aFencedEpochFailsTheBatchAndAsksForANewProducerId() {
    ProducerIdempotence state = withId(7, (short) 0);
    ProducerBatch a = batch(TP, 1);
    send(state, a);
    assertThat(state.onFailed(TP, a, false, true, false)).isEqualTo(ProducerIdempotence.Outcome.FAIL);
    state.onGivenUp(TP, a);
    assertThat(state.hasProducerId()).isFalse();
    state.producerId(8, (short) 0);
    ProducerBatch next = batch(TP, 1);
    send(state, next);
    assertThat(header(next).producerId()).isEqualTo(8);
    assertThat(header(next).baseSequence()).isZero();
  }

  @Test
  void sequencesWrapAtIntegerMaxValueAsKafkas() {
    ProducerIdempotence state = withId(7, (short) 0);
    send(state, batch(TP, 1)); // the partition takes the producer's epoch
    state.onAcked(TP, state.partition(TP).unacked.peekFirst());
    state.partition(TP).nextSequence = Integer.MAX_VALUE - 1;
    ProducerBatch a = batch(TP, 3);
    send(state, a);
    assertThat(header(a).baseSequence()).isEqualTo(Integer.MAX_VALUE - 1);
    assertThat(state.partition(TP).nextSequence()).isEqualTo(1);
    state.onAcked(TP, a);
    assertThat(state.partition(TP).lastAckedSequence()).isZero();
  }

  @Test
  void atMostFiveBatchesOfAPartitionAreOutstanding() {
    ProducerIdempotence state = withId(7, (short) 0);
    for (int i = 0; i < ProducerIdempotence.MAX_IN_FLIGHT; i++) {
      send(state, batch(TP, 1));
    }
    assertThat(state.canSend(TP, batch(TP, 1))).isFalse();
    assertThat(state.canSend(OTHER, batch(OTHER, 1))).as("other partitions are not held").isTrue();
  }
}
