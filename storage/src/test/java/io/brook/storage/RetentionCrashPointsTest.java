package io.brook.storage;

import io.brook.storage.internals.LeaderEpochCache;
import io.brook.storage.internals.LogFiles;
import io.brook.storage.internals.PartitionCheckpoint;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

import static io.brook.storage.LogTestSupport.appendOk;
import static io.brook.storage.TestRecords.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every crash point of retention on a full disk ({@code PartitionLog.deleteFirstOnFullDisk}: the
 * files go first, oldest segment first, then {@code offsets.checkpoint}, then the leader-epoch
 * checkpoint), made by hand on disk and reopened as after a kill -9: removed offsets never come
 * back and no offset retention did not remove is lost.
 */
class RetentionCrashPointsTest extends LogFixture {

    final int batchBytes = batch(1L, TestRecords.filler('r', 100)).sizeInBytes();
    final LogConfig config = LogConfig.fromMap(Map.of(LogConfig.SEGMENT_BYTES_CONFIG, batchBytes * 2,
        LogConfig.FILE_DELETE_DELAY_MS_CONFIG, 0L));

    /** Offsets 0..9 in segments 0, 2, 4, 6, 8 (the active one); epoch 0 from 0, epoch 1 from 5; all fsynced. */
    @BeforeEach
    void fiveSegments() {
        log = openLog(config);
        for (int i = 0; i < 10; i++) {
            assertThat(log.appendAsLeader(batch(time.milliseconds(), TestRecords.filler('r', 100)), i < 5 ? 0 : 1).ok())
                .isTrue();
        }
        log.flush();
        assertThat(log.segmentBaseOffsets()).containsExactly(0L, 2L, 4L, 6L, 8L);
    }

    private void crashAndReopen() {
        LogTestSupport.crash(log);
        log = openLog(config);
    }

    private void deleteSegmentFiles(long baseOffset) throws IOException {
        Files.delete(LogFiles.logFile(dir, baseOffset));
        Files.delete(LogFiles.offsetIndexFile(dir, baseOffset));
        Files.delete(LogFiles.timeIndexFile(dir, baseOffset));
    }

    private void assertLogFrom(long logStartOffset) throws IOException {
        assertThat(log.logStartOffset()).isEqualTo(logStartOffset);
        assertThat(log.logEndOffset()).isEqualTo(10);
        assertThat(LogTestSupport.readAllOffsets(log)).first().isEqualTo(logStartOffset);
        assertThat(LogTestSupport.readAllOffsets(log)).hasSize((int) (10 - logStartOffset));
        if (logStartOffset > 0) {
            assertThatThrownBy(() -> log.read(logStartOffset - 1, 1000, Long.MAX_VALUE, true))
                .isInstanceOf(OffsetOutOfRangeException.class);
        }
        assertThat(PartitionCheckpoint.read(dir).orElseThrow().logStartOffset()).isEqualTo(logStartOffset);
        assertThat(appendOk(log, batch(time.milliseconds(), "next")).firstOffset()).isEqualTo(10);
    }

    @Test
    void crashBeforeAnyFileIsDeletedKeepsTheWholeLog() throws IOException {
        // proves: nothing on disk changed yet, so nothing is lost (the new start offset was never published)
        crashAndReopen();
        assertLogFrom(0);
    }

    @Test
    void crashAfterSomeSegmentsAreDeletedStartsTheLogAtTheFirstSegmentLeft() throws IOException {
        // proves: a checkpointed log start offset below the first remaining segment is raised to its base offset
        deleteSegmentFiles(0);
        deleteSegmentFiles(2);
        crashAndReopen();
        assertLogFrom(4);
    }

    @Test
    void crashBetweenASegmentsLogAndItsIndexesRemovesTheOrphanIndexes() throws IOException {
        // proves: a segment whose .log went but whose indexes stayed is gone after reopen, the rest is intact
        deleteSegmentFiles(0);
        Files.delete(LogFiles.logFile(dir, 2));
        crashAndReopen();
        assertLogFrom(4);
        assertThat(LogFiles.offsetIndexFile(dir, 2)).doesNotExist();
        assertThat(LogFiles.timeIndexFile(dir, 2)).doesNotExist();
    }

    @Test
    void crashAfterEveryInactiveSegmentIsDeletedKeepsTheActiveSegment() throws IOException {
        // proves: even with only the active segment left and the old checkpoint, the log starts at it
        for (long base : new long[] {0, 2, 4, 6}) {
            deleteSegmentFiles(base);
        }
        crashAndReopen();
        assertLogFrom(8);
    }

    @Test
    void crashAfterTheCheckpointBeforeTheLeaderEpochCheckpointTrimsTheEpochs() throws IOException {
        // proves: a leader-epoch checkpoint still naming offsets below the log start is trimmed on load
        deleteSegmentFiles(0);
        deleteSegmentFiles(2);
        new PartitionCheckpoint(4, 10).write(dir);
        crashAndReopen();
        assertLogFrom(4);
        assertThat(log.endOffsetForEpoch(0)).hasValue(5);
        assertThat(LeaderEpochCache.load(dir).entries()).containsExactly(Map.entry(0, 4L), Map.entry(1, 5L));
    }

    @Test
    void cleanShutdownWithAStaleCheckpointStillStartsAtTheFirstSegment() throws IOException {
        // proves: a checkpoint left stale by a full disk (older log start offset) is safe after a clean close too
        log.close();
        deleteSegmentFiles(0);
        deleteSegmentFiles(2);
        log = openLog(config);
        assertLogFrom(4);
    }
}
