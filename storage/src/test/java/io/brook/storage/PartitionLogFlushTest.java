package io.brook.storage;

import io.brook.storage.internals.PartitionCheckpoint;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static io.brook.storage.LogTestSupport.appendOk;
import static io.brook.storage.TestRecords.batch;
import static org.assertj.core.api.Assertions.assertThat;

class PartitionLogFlushTest extends LogFixture {

    @Test
    void defaultsLeaveFlushingToTheOs() {
        // proves: with the default flush.messages/flush.ms nothing is fsynced by appends or the scheduler
        log = openLog(LogConfig.defaults());
        appendOk(log, batch(1L, "a", "b"));
        time.sleep(365L * 24 * 3600 * 1000);
        assertThat(log.maybeFlush()).isFalse();
        assertThat(log.recoveryPoint()).isZero();
        assertThat(log.unflushedMessages()).isEqualTo(2);
    }

    @Test
    void flushMessagesOneMakesEveryAppendDurableBeforeItReturns() throws IOException {
        // proves: flush.messages=1 moves the recovery point to the log end on every append and checkpoints it
        log = openLog(LogConfig.fromMap(Map.of(LogConfig.FLUSH_MESSAGES_CONFIG, 1L)));
        appendOk(log, batch(1L, "a"));
        assertThat(log.recoveryPoint()).isEqualTo(1);
        appendOk(log, batch(1L, "b", "c"));
        assertThat(log.recoveryPoint()).isEqualTo(3);
        assertThat(log.unflushedMessages()).isZero();
        assertThat(PartitionCheckpoint.read(dir)).hasValue(new PartitionCheckpoint(0, 3));
    }

    @Test
    void flushMessagesThresholdFlushesOnceItIsReached() {
        // proves: the recovery point moves only when flush.messages unflushed messages have piled up
        log = openLog(LogConfig.fromMap(Map.of(LogConfig.FLUSH_MESSAGES_CONFIG, 3L)));
        appendOk(log, batch(1L, "a"));
        appendOk(log, batch(1L, "b"));
        assertThat(log.recoveryPoint()).isZero();
        appendOk(log, batch(1L, "c"));
        assertThat(log.recoveryPoint()).isEqualTo(3);
        List<AppendResult> group = log.appendAsLeader(List.of(batch(1L, "d"), batch(1L, "e"), batch(1L, "f", "g")), 0);
        assertThat(group).allMatch(AppendResult::ok);
        assertThat(log.recoveryPoint()).isEqualTo(7);
    }

    @Test
    void maybeFlushFlushesOnceTheOldestUnflushedAppendIsFlushMsOld() throws IOException {
        // proves: flush.ms is measured from the oldest unflushed append with the injected clock
        log = openLog(LogConfig.fromMap(Map.of(LogConfig.FLUSH_MS_CONFIG, 1000L)));
        assertThat(log.maybeFlush()).as("nothing to flush").isFalse();
        appendOk(log, batch(1L, "a"));
        time.sleep(600);
        appendOk(log, batch(1L, "b"));
        time.sleep(399);
        assertThat(log.maybeFlush()).isFalse();
        assertThat(log.recoveryPoint()).isZero();
        time.sleep(1);
        assertThat(log.maybeFlush()).isTrue();
        assertThat(log.recoveryPoint()).isEqualTo(2);
        assertThat(PartitionCheckpoint.read(dir)).hasValue(new PartitionCheckpoint(0, 2));
        assertThat(log.maybeFlush()).isFalse();
    }

    @Test
    void explicitFlushCoversEverySegmentAndIsAtomicOnDisk() throws IOException {
        // proves: flush() advances the recovery point across rolled segments and leaves no temp file
        log = openLog(LogConfig.fromMap(Map.of(LogConfig.SEGMENT_BYTES_CONFIG, 200)));
        for (int i = 0; i < 10; i++) {
            appendOk(log, batch(1L, TestRecords.filler('x', 60)));
        }
        assertThat(log.numberOfSegments()).isGreaterThan(2);
        log.flush();
        assertThat(log.recoveryPoint()).isEqualTo(10);
        assertThat(PartitionCheckpoint.read(dir)).hasValue(new PartitionCheckpoint(0, 10));
        assertThat(LogTestSupport.filesEndingWith(dir, ".tmp")).isEmpty();
    }

    @Test
    void recoveryPointSurvivesACrashAndUnflushedDataIsRecovered() {
        // proves: after a crash the checkpointed recovery point is kept, and data after it is validated and kept
        log = openLog(LogConfig.defaults());
        appendOk(log, batch(1L, "a", "b"));
        log.flush();
        appendOk(log, batch(1L, "c"));
        LogTestSupport.crash(log);

        log = openLog(LogConfig.defaults());
        assertThat(log.recoveryPoint()).isEqualTo(2);
        assertThat(log.unflushedMessages()).isEqualTo(1);
        assertThat(LogTestSupport.readAllValues(log, 0)).containsExactly("a", "b", "c");
    }

    @Test
    void aRollIsFlushedByTheOwnerAfterTheAppendAndMovesTheRecoveryPoint() throws IOException {
        // proves: an append that rolls returns without moving the recovery point; flushRolledSegments()
        // then fsyncs the rolled segment and checkpoints the active segment's base as the recovery point
        log = openLog(LogConfig.fromMap(Map.of(LogConfig.SEGMENT_BYTES_CONFIG, 200)));
        appendOk(log, batch(1L, TestRecords.filler('x', 60)));
        assertThat(log.flushRolledSegments()).as("no roll yet: nothing to do").isFalse();
        appendOk(log, batch(1L, TestRecords.filler('x', 60)));
        assertThat(log.numberOfSegments()).isEqualTo(2);
        long activeBase = log.segmentBaseOffsets().get(1);
        assertThat(log.recoveryPoint()).as("the append itself does not fsync").isZero();

        assertThat(log.flushRolledSegments()).isTrue();
        assertThat(log.recoveryPoint()).isEqualTo(activeBase).isLessThan(log.logEndOffset());
        assertThat(PartitionCheckpoint.read(dir)).hasValue(new PartitionCheckpoint(0, activeBase));
        assertThat(log.flushRolledSegments()).as("done once").isFalse();
        assertThat(log.unflushedMessages()).as("the active segment's records stay unflushed").isEqualTo(1);
    }

    @Test
    void theFlushSchedulerAlsoFlushesRolledSegmentsWithDefaultSettings() throws IOException {
        // proves: with the default flush.messages/flush.ms a roll still moves the recovery point at the
        // next maybeFlush(), to the active segment's base, not to the log end
        log = openLog(LogConfig.fromMap(Map.of(LogConfig.SEGMENT_BYTES_CONFIG, 200)));
        for (int i = 0; i < 7; i++) {
            appendOk(log, batch(1L, TestRecords.filler('x', 60)));
        }
        List<Long> bases = log.segmentBaseOffsets();
        assertThat(bases.size()).isGreaterThan(2);
        assertThat(log.maybeFlush()).isTrue();
        assertThat(log.recoveryPoint()).isEqualTo(bases.get(bases.size() - 1));
        assertThat(PartitionCheckpoint.read(dir)).hasValue(new PartitionCheckpoint(0, bases.get(bases.size() - 1)));
        assertThat(log.maybeFlush()).isFalse();
    }

    @Test
    void afterACrashOnlyTheSegmentsFromTheRecoveryPointAreRevalidated() {
        // proves: with rolled segments flushed, a kill -9 leaves a recovery point at the active segment,
        // so a flipped byte in an older segment is not cut by recovery and no later segment is deleted
        LogConfig config = LogConfig.fromMap(Map.of(LogConfig.SEGMENT_BYTES_CONFIG, 200));
        log = openLog(config);
        for (int i = 0; i < 9; i++) {
            appendOk(log, batch(1L, "v" + i + TestRecords.filler('x', 60)));
            log.flushRolledSegments(); // what the owner does after each append
        }
        long logEnd = log.logEndOffset();
        List<Long> bases = log.segmentBaseOffsets();
        LogTestSupport.crash(log);
        try {
            PartitionLogRecoveryTest.flipByte(LogTestSupport.filesEndingWith(dir, ".log").get(0), 40);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }

        log = openLog(config);
        assertThat(log.recoveryPoint()).isEqualTo(bases.get(bases.size() - 1));
        assertThat(log.logEndOffset()).isEqualTo(logEnd);
        assertThat(log.segmentBaseOffsets()).isEqualTo(bases);
        assertThat(LogTestSupport.readAllValues(log, bases.get(1))).hasSize((int) (logEnd - bases.get(1)));
    }
}
