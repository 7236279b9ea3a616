package io.brook.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The idempotent producer's guarantees in the log, as Kafka gives them: a batch sent again is answered
 * with its first offsets and written once, sequences and epochs are checked, and a log opened again,
 * truncated, or filled by replication knows the producers its batches name.
 */
class IdempotentAppendTest extends LogFixture {
    private static final long PRODUCER = 4242L;

    @BeforeEach
    void open() {
        log = openLog(LogConfig.defaults());
    }

    /** Stamped with the clock, as a producer does: a batch without timestamps (-1) expires at once, as in Kafka. */
    private MemoryRecords batch(long producerId, int epoch, int sequence, String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(time.milliseconds(), null, values[i].getBytes());
        }
        return MemoryRecords.withIdempotentRecords(Compression.NONE, producerId, (short) epoch, sequence, records);
    }

    private AppendResult append(MemoryRecords records) {
        return log.appendAsLeader(records, 0);
    }

    @Test
    void aBatchSentAgainIsAnsweredWithItsOffsetsAndWrittenOnce() {
        AppendResult first = append(batch(PRODUCER, 0, 0, "a", "b"));
        AppendResult other = append(batch(PRODUCER, 0, 2, "c"));
        AppendResult again = append(batch(PRODUCER, 0, 0, "a", "b"));

        assertThat(again.ok()).isTrue();
        assertThat(again.firstOffset()).isEqualTo(first.firstOffset());
        assertThat(again.lastOffset()).isEqualTo(first.lastOffset());
        assertThat(other.firstOffset()).isEqualTo(2);
        assertThat(LogTestSupport.readAllValues(log, 0)).containsExactly("a", "b", "c");
        assertThat(log.logEndOffset()).isEqualTo(3);
    }

    @Test
    void onlyTheLastFiveBatchesAreRemembered() {
        for (int sequence = 0; sequence < 6; sequence++) {
            assertThat(append(batch(PRODUCER, 0, sequence, "v" + sequence)).ok()).isTrue();
        }
        assertThat(append(batch(PRODUCER, 0, 1, "v1")).firstOffset()).as("within the last five").isEqualTo(1);
        AppendResult tooOld = append(batch(PRODUCER, 0, 0, "v0"));
        assertThat(tooOld.error()).isInstanceOf(OutOfOrderSequenceException.class);
    }

    @Test
    void aGapInTheSequenceIsOutOfOrder() {
        append(batch(PRODUCER, 0, 0, "a"));
        AppendResult gap = append(batch(PRODUCER, 0, 2, "c"));
        assertThat(gap.ok()).isFalse();
        assertThat(gap.error()).isInstanceOf(OutOfOrderSequenceException.class).hasMessageContaining("expected is 1");
        assertThat(log.logEndOffset()).isEqualTo(1);
    }

    @Test
    void anOlderEpochIsFencedAndANewerOneStartsAtSequenceZero() {
        append(batch(PRODUCER, 1, 0, "a"));
        assertThat(append(batch(PRODUCER, 0, 1, "old")).error()).isInstanceOf(InvalidProducerEpochException.class);
        assertThat(append(batch(PRODUCER, 2, 5, "new")).error()).isInstanceOf(OutOfOrderSequenceException.class);
        assertThat(append(batch(PRODUCER, 2, 0, "new")).ok()).isTrue();
        assertThat(append(batch(PRODUCER, 1, 1, "fenced")).error()).isInstanceOf(InvalidProducerEpochException.class);
        assertThat(LogTestSupport.readAllValues(log, 0)).containsExactly("a", "new");
    }

    @Test
    void aProducerTheLogDoesNotKnowMayStartAtAnySequence() {
        // its earlier batches may be gone by retention; Kafka accepts it the same way
        assertThat(append(batch(PRODUCER, 3, 17, "a")).ok()).isTrue();
        assertThat(append(batch(PRODUCER, 3, 18, "b")).ok()).isTrue();
        assertThat(append(batch(PRODUCER + 1, 0, 0, "other")).ok()).isTrue();
    }

    @Test
    void requestsOfOneProducerInOneGroupCommitFollowEachOther() {
        List<AppendResult> results = log.appendAsLeader(List.of(batch(PRODUCER, 0, 0, "a"), batch(PRODUCER, 0, 1, "b"),
            batch(PRODUCER, 0, 1, "b"), batch(PRODUCER, 0, 5, "gap")), 0);
        assertThat(results.get(0).firstOffset()).isEqualTo(0);
        assertThat(results.get(1).firstOffset()).isEqualTo(1);
        assertThat(results.get(2).firstOffset()).as("the duplicate within the group").isEqualTo(1);
        assertThat(results.get(3).error()).isInstanceOf(OutOfOrderSequenceException.class);
        assertThat(LogTestSupport.readAllValues(log, 0)).containsExactly("a", "b");
    }

    @Test
    void aLogOpenedAgainKnowsItsProducers() {
        append(batch(PRODUCER, 0, 0, "a"));
        append(batch(PRODUCER, 0, 1, "b"));
        log.close();
        log = openLog(LogConfig.defaults());

        assertThat(append(batch(PRODUCER, 0, 1, "b")).firstOffset()).as("a retry after the restart").isEqualTo(1);
        assertThat(append(batch(PRODUCER, 0, 3, "gap")).error()).isInstanceOf(OutOfOrderSequenceException.class);
        assertThat(log.logEndOffset()).isEqualTo(2);
    }

    private java.nio.file.Path snapshot(long offset) {
        return dir.resolve(String.format("%020d", offset) + io.brook.storage.internals.ProducerStates.SNAPSHOT_SUFFIX);
    }

    @Test
    void aCleanCloseLeavesASnapshotTheNextOpenStartsFromAndADamagedOneIsNotTrusted() throws Exception {
        append(batch(PRODUCER, 0, 0, "a"));
        log.close();
        assertThat(snapshot(1)).exists();
        log = openLog(LogConfig.defaults());
        assertThat(append(batch(PRODUCER, 0, 0, "a")).firstOffset()).as("known from the snapshot").isEqualTo(0);

        append(batch(PRODUCER, 0, 1, "b"));
        log.close();
        byte[] bytes = java.nio.file.Files.readAllBytes(snapshot(2));
        bytes[bytes.length / 2] ^= 0x10;
        java.nio.file.Files.write(snapshot(2), bytes);
        log = openLog(LogConfig.defaults());
        assertThat(append(batch(PRODUCER, 0, 1, "b")).firstOffset()).as("from the older one and the batches after it")
            .isEqualTo(1);
        assertThat(append(batch(PRODUCER, 0, 3, "gap")).error()).isInstanceOf(OutOfOrderSequenceException.class);
    }

    @Test
    void aRollLeavesASnapshotAndATruncationRemovesTheOnesAboveIt() {
        log.close();
        log = openLog(LogConfig.fromMap(java.util.Map.of(LogConfig.SEGMENT_BYTES_CONFIG, 200)));
        for (int sequence = 0; sequence < 6; sequence++) {
            append(batch(PRODUCER, 0, sequence, "value-" + sequence + "-" + "x".repeat(40)));
            log.flushRolledSegments();
        }
        assertThat(java.util.stream.LongStream.rangeClosed(1, 6).filter(o -> java.nio.file.Files.exists(snapshot(o))))
            .as("the two newest of the roll snapshots").hasSize(2);
        log.truncateTo(2);
        assertThat(java.util.stream.LongStream.rangeClosed(3, 6).filter(o -> java.nio.file.Files.exists(snapshot(o))))
            .isEmpty();
        assertThat(append(batch(PRODUCER, 0, 2, "again")).firstOffset()).isEqualTo(2);
        LogTestSupport.crash(log);
        log = openLog(LogConfig.fromMap(java.util.Map.of(LogConfig.SEGMENT_BYTES_CONFIG, 200)));
        assertThat(append(batch(PRODUCER, 0, 2, "again")).firstOffset()).as("after a crash too").isEqualTo(2);
        assertThat(LogTestSupport.readAllValues(log, 0)).hasSize(3).last().isEqualTo("again");
    }

    @Test
    void aFollowerKnowsTheProducersOfWhatItReplicatedSoItCanLead() {
        append(batch(PRODUCER, 0, 0, "a"));
        append(batch(PRODUCER, 0, 1, "b"));
        MemoryRecords replicated = log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, true).toMemoryRecords();
        log.close();
        log = LogTestSupport.open(dir.resolve("follower"), LogConfig.defaults(), time);
        log.appendAsFollower(replicated);

        assertThat(append(batch(PRODUCER, 0, 1, "b")).firstOffset()).isEqualTo(1);
        assertThat(append(batch(PRODUCER, 0, 2, "c")).firstOffset()).isEqualTo(2);
    }

    @Test
    void aTruncationForgetsTheBatchesItRemoves() {
        append(batch(PRODUCER, 0, 0, "a"));
        append(batch(PRODUCER, 0, 1, "b"));
        log.truncateTo(1);

        AppendResult resent = append(batch(PRODUCER, 0, 1, "b"));
        assertThat(resent.ok()).isTrue();
        assertThat(resent.firstOffset()).as("written again: the truncation removed it").isEqualTo(1);
        assertThat(LogTestSupport.readAllValues(log, 0)).containsExactly("a", "b");
    }
}
