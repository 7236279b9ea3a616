package io.brook.storage;

import io.brook.storage.internals.PartitionCheckpoint;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static io.brook.storage.LogTestSupport.appendOk;
import static io.brook.storage.LogTestSupport.crash;
import static io.brook.storage.LogTestSupport.filesEndingWith;
import static io.brook.storage.TestRecords.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** DeleteRecords in the log: {@link PartitionLog#maybeIncrementLogStartOffset} and what follows from it. */
class PartitionLogDeleteRecordsTest extends LogFixture {

    private final int batchBytes = batch(1L, "b0-0", "b0-1", "b0-2").sizeInBytes();

    /** Two 3-record batches a segment; the delete delay off so retention's deletions show at once. */
    private LogConfig config(Object... keyValues) {
        Map<String, Object> overrides = new HashMap<>(Map.of(LogConfig.SEGMENT_BYTES_CONFIG, batchBytes * 2,
            LogConfig.FILE_DELETE_DELAY_MS_CONFIG, 0L));
        for (int i = 0; i < keyValues.length; i += 2) {
            overrides.put((String) keyValues[i], keyValues[i + 1]);
        }
        return LogConfig.fromMap(overrides);
    }

    /** Appends {@code batches} batches of 3 records, values "b<batch>-<record>". */
    private void appendBatches(int batches) {
        for (int b = 0; b < batches; b++) {
            appendOk(log, batch(time.milliseconds(), "b" + b + "-0", "b" + b + "-1", "b" + b + "-2"));
        }
    }

    @Test
    void theLogStartMovesInsideABatchAndReadsBelowItAreOutOfRange() {
        // proves: the start may fall inside a batch; reads below it fail as for retention, reads at it work
        log = openLog(config());
        appendBatches(4); // offsets 0..11, segments at 0 and 6
        assertThat(log.maybeIncrementLogStartOffset(4)).isTrue();
        assertThat(log.logStartOffset()).isEqualTo(4);
        assertThatThrownBy(() -> log.read(3, 1000, Long.MAX_VALUE, true)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(LogTestSupport.readAllValues(log, 4)).startsWith("b1-1", "b1-2", "b2-0").endsWith("b3-2");
        assertThat(log.offsetForTimestamp(0).orElseThrow().offset).isGreaterThanOrEqualTo(4);
    }

    @Test
    void aLowerOffsetIsANoOpAndOneBeyondTheLogEndIsRefused() {
        // proves: purging below the current start changes nothing; beyond the end is OFFSET_OUT_OF_RANGE
        log = openLog(config());
        appendBatches(2);
        assertThat(log.maybeIncrementLogStartOffset(5)).isTrue();
        assertThat(log.maybeIncrementLogStartOffset(2)).isFalse();
        assertThat(log.maybeIncrementLogStartOffset(5)).isFalse();
        assertThat(log.logStartOffset()).isEqualTo(5);
        assertThatThrownBy(() -> log.maybeIncrementLogStartOffset(7)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(log.logStartOffset()).isEqualTo(5);
    }

    @Test
    void segmentsWhollyBelowTheStartGoOnTheNextRetentionRunWhateverThePolicy() {
        // proves: the retention run deletes the purged segments, even with infinite retention or compaction
        log = openLog(config(LogConfig.RETENTION_MS_CONFIG, -1L, LogConfig.CLEANUP_POLICY_CONFIG, "compact"));
        appendBatches(7); // segments at 0, 6, 12, active at 18
        assertThat(log.segmentBaseOffsets()).containsExactly(0L, 6L, 12L, 18L);
        log.maybeIncrementLogStartOffset(13);
        assertThat(log.segmentBaseOffsets()).as("not deleted by the purge itself").containsExactly(0L, 6L, 12L, 18L);
        assertThat(log.deleteOldSegments()).isEqualTo(2);
        assertThat(log.segmentBaseOffsets()).containsExactly(12L, 18L);
        assertThat(filesEndingWith(dir, ".log")).hasSize(2);
        assertThat(log.logStartOffset()).as("the start stays inside the kept segment").isEqualTo(13);
        assertThat(log.recoveryPoint()).as("a batch boundary").isIn(12L, 18L, 21L);
        assertThat(LogTestSupport.readAllValues(log, 13)).startsWith("b4-1");
        assertThat(log.deleteOldSegments()).isZero();
    }

    @Test
    void theActiveSegmentStaysWhenEverythingIsPurged() {
        // proves: a purge to the log end leaves an empty readable range and appends go on after it
        log = openLog(config());
        appendBatches(3);
        log.maybeIncrementLogStartOffset(log.logEndOffset());
        log.deleteOldSegments();
        assertThat(log.logStartOffset()).isEqualTo(9);
        assertThat(log.read(9, 1000, Long.MAX_VALUE, true).records().sizeInBytes()).isZero();
        appendBatches(1);
        assertThat(LogTestSupport.readAllValues(log, 9)).containsExactly("b0-0", "b0-1", "b0-2");
    }

    @Test
    void theStartIsCheckpointedAndSurvivesACleanRestartAndACrash() throws java.io.IOException {
        // proves: a restart (clean or kill -9) never brings purged offsets back
        log = openLog(config());
        appendBatches(4);
        log.maybeIncrementLogStartOffset(8);
        assertThat(PartitionCheckpoint.read(dir).orElseThrow().logStartOffset()).isEqualTo(8);
        log.close();
        log = openLog(config());
        assertThat(log.logStartOffset()).isEqualTo(8);
        assertThat(log.segmentBaseOffsets()).as("the segment wholly below went at open").containsExactly(6L);
        assertThatThrownBy(() -> log.read(7, 1000, Long.MAX_VALUE, true)).isInstanceOf(OffsetOutOfRangeException.class);

        log.maybeIncrementLogStartOffset(10);
        appendBatches(1);
        crash(log);
        log = openLog(config());
        assertThat(log.logStartOffset()).isEqualTo(10);
        assertThat(log.logEndOffset()).isEqualTo(15);
        assertThat(LogTestSupport.readAllValues(log, 10)).containsExactly("b3-1", "b3-2", "b0-0", "b0-1", "b0-2");
        crash(log);
        log = openLog(config());
        assertThat(log.corruptRanges()).as("a start inside a batch is no damage to recovery").isEmpty();
        assertThat(LogTestSupport.readAllValues(log, 10)).hasSize(5);
    }

    @Test
    void aFollowerStyleRestartAtABatchBaseThenRaiseKeepsThePurgedStart() {
        // proves: the follower's path (restart empty at the batch's base, append it whole, raise the start) reads right
        log = openLog(config());
        log.truncateFullyAndStartAt(4);
        assertThat(log.logStartOffset()).isEqualTo(4);
        log.truncateFullyAndStartAt(3); // the leader's first batch starts at 3, its start is 4
        MemoryRecords stamped = leaderBatchAt(3);
        log.appendAsFollower(stamped);
        assertThat(log.maybeIncrementLogStartOffset(4)).isTrue();
        assertThat(LogTestSupport.readAllValues(log, 4)).containsExactly("x1", "x2");
        assertThatThrownBy(() -> log.read(3, 1000, Long.MAX_VALUE, true)).isInstanceOf(OffsetOutOfRangeException.class);
    }

    /** A 3-record batch stamped with base offset {@code base} and epoch 0, as a leader would send it. */
    private static MemoryRecords leaderBatchAt(long base) {
        MemoryRecords records = batch(1L, "x0", "x1", "x2");
        records.batches().forEach(b -> {
            b.setLastOffset(base + 2);
            b.setPartitionLeaderEpoch(0);
        });
        return records;
    }

}
