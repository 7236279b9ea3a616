package io.brook.storage;

import io.brook.storage.CompactionTestSupport.KeyedRecord;
import io.brook.storage.internals.LocalLog;
import io.brook.storage.internals.LogFiles;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.compress.Compression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.brook.storage.CompactionTestSupport.keyed;
import static io.brook.storage.CompactionTestSupport.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Log compaction at its edges: offsets compacted away (reads, index and time lookups, recovery,
 * truncation inside a cleaned segment, a follower copying the compacted log), every crash point of
 * the swap, compact,delete, tombstone removal, the limits (high watermark, min.compaction.lag.ms)
 * and keyless records.
 */
class CompactionTest extends LogFixture {

    final LogConfig config = LogConfig.fromMap(Map.of(LogConfig.CLEANUP_POLICY_CONFIG, "compact",
        LogConfig.SEGMENT_BYTES_CONFIG, 300, LogConfig.INDEX_INTERVAL_BYTES_CONFIG, 1,
        LogConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, 0.0, LogConfig.DELETE_RETENTION_MS_CONFIG, 1_000L,
        LogConfig.FILE_DELETE_DELAY_MS_CONFIG, 0L));
    final OffsetMap map = new OffsetMap(64 * 1024);

    /** 20 single-record batches over keys a..d (offset i holds key "abcd"[i % 4], value "v" + i), then a roll. */
    private void twentyOverwrites() {
        log = openLog(config);
        for (int i = 0; i < 20; i++) {
            LogTestSupport.appendOk(log, keyed(time.milliseconds(), String.valueOf("abcd".charAt(i % 4)), "v" + i));
        }
        assertThat(log.numberOfSegments()).isGreaterThan(2);
    }

    private CleanResult cleanAll() {
        return log.clean(map, 1024, log.logEndOffset());
    }

    private List<Long> offsets() {
        return readAll(log).stream().map(KeyedRecord::offset).toList();
    }

    @Test
    void cleaningKeepsTheLatestRecordPerKeyAtItsOffsetAndReadsAtRemovedOffsetsMoveOn() {
        // proves: superseded records go, kept ones keep their offsets, a read at a removed offset returns what
        // follows it, the log end and the segment ends do not move, and the cleaned bytes survive a reopen
        twentyOverwrites();
        long activeBase = log.segmentBaseOffsets().get(log.numberOfSegments() - 1);
        long endBefore = log.logEndOffset();
        CleanResult result = cleanAll();
        assertThat(result.groupsCleaned()).isPositive();
        assertThat(result.firstDirtyOffset()).isEqualTo(activeBase);
        assertThat(result.bytesAfter()).isLessThan(result.bytesBefore());
        List<Long> expected = new ArrayList<>();
        for (long offset = activeBase - 4; offset < 20; offset++) {
            expected.add(offset); // the latest of each key below the active segment, then everything in it
        }
        assertThat(offsets()).containsExactlyElementsOf(expected);
        assertThat(log.logEndOffset()).isEqualTo(endBefore);

        RecordBatch atRemoved = log.read(1, 4096, Long.MAX_VALUE, true).toMemoryRecords().batches().iterator().next();
        assertThat(atRemoved.baseOffset()).isLessThanOrEqualTo(1); // the (empty) batch now covering offset 1
        assertThat(atRemoved.lastOffset()).isGreaterThanOrEqualTo(1);

        log.close();
        log = openLog(config);
        assertThat(offsets()).containsExactlyElementsOf(expected);
        assertThat(log.firstDirtyOffset()).isEqualTo(activeBase);
    }

    @Test
    void indexAndTimeLookupsRecoveryAndTruncationWorkOnACleanedSegment() {
        // proves: a time lookup skips removed records, recovery after a crash re-reads the cleaned segment, and a
        // follower truncation inside it keeps the offsets below and lets appends continue
        twentyOverwrites();
        long activeBase = log.segmentBaseOffsets().get(log.numberOfSegments() - 1);
        cleanAll();
        assertThat(log.offsetForTimestamp(0).orElseThrow().offset).isEqualTo(activeBase - 4);

        LogTestSupport.crash(log);
        log = openLog(config);
        assertThat(offsets()).first().isEqualTo(activeBase - 4);

        log.truncateTo(activeBase - 2);
        assertThat(log.logEndOffset()).isEqualTo(activeBase - 2);
        assertThat(offsets()).containsExactly(activeBase - 4, activeBase - 3);
        assertThat(log.firstDirtyOffset()).isLessThanOrEqualTo(activeBase - 2);
        LogTestSupport.appendOk(log, keyed(time.milliseconds(), "a", "new"));
        assertThat(readAll(log)).last().isEqualTo(new KeyedRecord(activeBase - 2, "a", "new"));
    }

    @Test
    void aFollowerCopiesTheCompactedLogByteForByte() throws IOException {
        // proves: a follower fetching a compacted leader from offset 0 appends its batches as they are (empty and
        // partly emptied batches included) and ends with the same records, offsets and log end
        twentyOverwrites();
        cleanAll();
        PartitionLog follower = LogTestSupport.open(dir.resolveSibling(dir.getFileName() + "-follower"), config, time);
        try {
            while (follower.logEndOffset() < log.logEndOffset()) {
                MemoryRecords fetched = log.read(follower.logEndOffset(), 200, Long.MAX_VALUE, true).toMemoryRecords();
                follower.appendAsFollower(fetched);
            }
            assertThat(readAll(follower)).isEqualTo(readAll(log));
            assertThat(follower.logEndOffset()).isEqualTo(log.logEndOffset());
            LogTestSupport.crash(follower);
            follower = LogTestSupport.open(follower.dir(), config, time);
            assertThat(readAll(follower)).isEqualTo(readAll(log));
        } finally {
            follower.close();
        }
    }

    @ParameterizedTest
    @EnumSource(LocalLog.SwapStep.class)
    void aCrashAfterAnyStepOfTheSwapLosesAndDuplicatesNothing(LocalLog.SwapStep crashAfter) throws IOException {
        // proves: stopped after each step of the swap and reopened as after a kill -9, the log holds every latest
        // value exactly once at its offset, no .cleaned or .swap file is left, and the next clean completes
        twentyOverwrites();
        List<KeyedRecord> before = readAll(log);
        log.onSwapStep(step -> {
            if (step == crashAfter) {
                throw new IOException("kill -9 after " + step);
            }
        });
        assertThatThrownBy(this::cleanAll).isInstanceOf(KafkaStorageException.class);
        LogTestSupport.crash(log);
        log = openLog(config);
        assertNoFiles(".cleaned", ".swap");
        List<KeyedRecord> after = readAll(log);
        assertThat(before).containsAll(after); // nothing invented or moved
        assertThat(after.stream().map(KeyedRecord::offset).distinct().count()).isEqualTo(after.size());
        for (int i = 16; i < 20; i++) {
            assertThat(after).contains(before.get(i)); // the latest value of each key
        }
        assertThat(log.logEndOffset()).isEqualTo(20);
        cleanAll();
        assertThat(offsets()).first().isEqualTo(log.segmentBaseOffsets().get(log.numberOfSegments() - 1) - 4);
    }

    @Test
    void aCleanInterruptedBeforeItsCommitPointLeavesOnlyFilesTheLoaderRemoves() throws IOException {
        // proves: .cleaned files (a clean that never reached .swap) and .swap indexes without their .log.swap are
        // deleted on load and the old segments stay
        twentyOverwrites();
        List<KeyedRecord> before = readAll(log);
        LogTestSupport.crash(log);
        Files.write(LogFiles.withSuffix(LogFiles.logFile(dir, 0), LogFiles.CLEANED_SUFFIX), new byte[] {1, 2, 3});
        Files.write(LogFiles.withSuffix(LogFiles.offsetIndexFile(dir, 0), LogFiles.SWAP_SUFFIX), new byte[8]);
        log = openLog(config);
        assertNoFiles(".cleaned", ".swap");
        assertThat(readAll(log)).isEqualTo(before);
    }

    @Test
    void tombstonesStayForDeleteRetentionMsAfterTheirFirstCleanThenGo() {
        // proves: the first clean keeps a tombstone (and stamps its horizon), a clean before delete.retention.ms
        // keeps it, the first one after removes it; the key's older values are gone from the first clean on
        log = openLog(config);
        LogTestSupport.appendOk(log, keyed(time.milliseconds(), "a", "1", "b", "1"));
        LogTestSupport.appendOk(log, keyed(time.milliseconds(), "a", null));
        rollWith("c");
        cleanAll();
        assertThat(readAll(log)).extracting(KeyedRecord::key, KeyedRecord::value).startsWith(
            org.assertj.core.groups.Tuple.tuple("b", "1"), org.assertj.core.groups.Tuple.tuple("a", null));
        time.sleep(999);
        assertThat(log.cleanableStats(log.logEndOffset()).due()).isFalse();
        time.sleep(1);
        assertThat(log.cleanableStats(log.logEndOffset()).due()).as("the horizon passed").isTrue();
        cleanAll();
        assertThat(readAll(log)).extracting(KeyedRecord::key).doesNotContain("a").contains("b");
    }

    /** Appends single-record batches of {@code key} until the active segment rolls. */
    private void rollWith(String key) {
        int segments = log.numberOfSegments();
        while (log.numberOfSegments() == segments) {
            LogTestSupport.appendOk(log, keyed(time.milliseconds(), key, "filler"));
        }
    }

    @Test
    void nothingAtOrAboveTheHighWatermarkOrYoungerThanTheMinLagIsCleaned() {
        // proves: the caller's high watermark and min.compaction.lag.ms bound a round; the bound moves later
        twentyOverwrites();
        List<KeyedRecord> before = readAll(log);
        assertThat(log.clean(map, 1024, 0).groupsCleaned()).isZero();
        assertThat(readAll(log)).isEqualTo(before);

        LogConfig lagged = config.withOverrides(Map.of(LogConfig.MIN_COMPACTION_LAG_MS_CONFIG, 60_000L));
        log.updateConfig(lagged);
        assertThat(cleanAll().groupsCleaned()).isZero();
        time.sleep(60_000);
        assertThat(cleanAll().groupsCleaned()).isPositive();
        assertThat(readAll(log).size()).isLessThan(before.size());
    }

    @Test
    void compactAndDeleteAppliesRetentionAndCompaction() {
        // proves: under compact,delete retention still removes old segments and the cleaner still dedupes; under
        // compact alone retention removes nothing
        twentyOverwrites();
        log.updateConfig(config.withOverrides(Map.of(LogConfig.RETENTION_MS_CONFIG, 10_000L)));
        time.sleep(20_000);
        assertThat(log.deleteOldSegments()).as("compact alone: no retention").isZero();
        cleanAll();
        int afterClean = readAll(log).size();
        assertThat(afterClean).isLessThan(20);
        log.updateConfig(config.withOverrides(Map.of(LogConfig.RETENTION_MS_CONFIG, 10_000L,
            LogConfig.CLEANUP_POLICY_CONFIG, "compact,delete")));
        assertThat(log.deleteOldSegments()).isPositive();
        assertThat(log.logStartOffset()).isEqualTo(log.segmentBaseOffsets().get(0));
        assertThat(log.firstDirtyOffset()).isGreaterThanOrEqualTo(log.logStartOffset());
        assertThat(readAll(log).size()).isLessThan(afterClean);
    }

    @Test
    void aCompactedTopicRefusesRecordsWithoutAKey() {
        // proves: the leader refuses a keyless record on a compacted topic (Kafka's InvalidRecordException), and
        // nothing of the request is written
        log = openLog(config);
        MemoryRecords keyless = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(1L, null, "v".getBytes()));
        AppendResult result = log.appendAsLeader(keyless, 0);
        assertThat(result.error()).isInstanceOf(InvalidRecordException.class).hasMessageContaining("no key");
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void aSegmentWithMoreKeysThanTheMapHoldsIsRefusedWithTheKnobToRaise() {
        // proves: the dedupe buffer bounds memory; a segment it cannot hold fails the round with a clear message
        log = openLog(config);
        for (int i = 0; i < 10; i++) {
            LogTestSupport.appendOk(log, keyed(time.milliseconds(), "k" + i, "v"));
        }
        rollWith("z");
        assertThatThrownBy(() -> log.clean(new OffsetMap(24 * 3), 1024, log.logEndOffset()))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("log.cleaner.dedupe.buffer.size");
        assertThat(readAll(log)).hasSize((int) log.logEndOffset());
    }

    @Test
    void emptyBatchesCarryTheOffsetsOfRemovedOnes() {
        // proves: the batch chain stays contiguous: every batch starts right after the previous one
        twentyOverwrites();
        cleanAll();
        long next = 0;
        while (next < log.logEndOffset()) {
            MemoryRecords records = log.read(next, 4096, Long.MAX_VALUE, true).toMemoryRecords();
            for (RecordBatch batch : records.batches()) {
                assertThat(batch.baseOffset()).isEqualTo(next);
                next = batch.nextOffset();
            }
        }
    }

    private void assertNoFiles(String... suffixes) throws IOException {
        for (String suffix : suffixes) {
            assertThat(LogTestSupport.filesEndingWith(dir, suffix)).as(suffix).isEmpty();
        }
    }
}
