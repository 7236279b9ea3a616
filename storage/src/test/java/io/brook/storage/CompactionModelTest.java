package io.brook.storage;

import io.brook.storage.CompactionTestSupport.KeyedRecord;
import io.brook.storage.internals.LocalLog;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Seeded model test of log compaction: random keyed appends with overwrites and tombstones,
 * compression, small segments, cleaning rounds at random high watermarks with a small dedupe buffer,
 * clock jumps, crashes in the middle of a swap, and reopens. After every step the log must match
 * the model: offsets never change; every record read is the one appended at that offset; the
 * latest record of every key is there (a tombstone only until {@code delete.retention.ms} after the
 * clean that first kept it); below the cleaner's checkpoint no key appears twice; and a clean never
 * changes anything at or above its limit.
 *
 * <p>{@code -Dbrook.test.seed=<seed>} runs one seed, {@code -Dbrook.compaction.seeds=<n>} runs n
 * (default 15). A failure names its seed.
 */
class CompactionModelTest {

    private static final long DELETE_RETENTION_MS = 10_000;

    @TempDir
    Path root;

    @Test
    void compactedLogMatchesTheModelUnderRandomWorkloadsCleansAndCrashes() throws IOException {
        Long oneSeed = Long.getLong("brook.test.seed");
        int seeds = oneSeed != null ? 1 : Integer.getInteger("brook.compaction.seeds", 15);
        long baseSeed = oneSeed != null ? oneSeed : System.nanoTime();
        for (int i = 0; i < seeds; i++) {
            long seed = baseSeed + i;
            try {
                new Run(seed, root.resolve("seed-" + seed)).run();
            } catch (AssertionError | RuntimeException | IOException e) {
                throw new AssertionError("seed " + seed + " (rerun with -Dbrook.test.seed=" + seed + "): " + e, e);
            }
        }
    }

    private static final class Run {
        final Random random;
        final Path dir;
        final MockTime time = new MockTime();
        final LogConfig config;
        final OffsetMap map;
        final int ioBufferBytes;
        /** Everything appended, by offset. */
        final TreeMap<Long, KeyedRecord> appended = new TreeMap<>();
        /** The time of the first clean whose range held each offset (its tombstone's horizon starts there). */
        final Map<Long, Long> firstCleanedAtMs = new HashMap<>();
        PartitionLog log;

        Run(long seed, Path dir) {
            this.random = new Random(seed);
            this.dir = dir;
            this.config = LogConfig.fromMap(Map.of(
                LogConfig.CLEANUP_POLICY_CONFIG, "compact",
                LogConfig.SEGMENT_BYTES_CONFIG, 400 + random.nextInt(1200),
                LogConfig.INDEX_INTERVAL_BYTES_CONFIG, random.nextInt(300),
                LogConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, random.nextBoolean() ? 0.0 : 0.3,
                LogConfig.DELETE_RETENTION_MS_CONFIG, DELETE_RETENTION_MS,
                LogConfig.FILE_DELETE_DELAY_MS_CONFIG, random.nextBoolean() ? 0L : 5_000L));
            this.map = new OffsetMap(24 * (40 + random.nextInt(200))); // more keys than any segment holds (up to 32)
            this.ioBufferBytes = 64 + random.nextInt(2048);
        }

        void run() throws IOException {
            log = LogTestSupport.open(dir, config, time);
            int keys = 3 + random.nextInt(30);
            int steps = 150 + random.nextInt(150);
            for (int step = 0; step < steps; step++) {
                int action = random.nextInt(100);
                if (action < 70) {
                    append(keys);
                } else if (action < 88) {
                    clean(random.nextInt(10) == 0);
                } else if (action < 93) {
                    time.sleep(random.nextInt((int) DELETE_RETENTION_MS));
                } else if (action < 97) {
                    LogTestSupport.crash(log);
                    log = LogTestSupport.open(dir, config, time);
                } else {
                    log.close();
                    log = LogTestSupport.open(dir, config, time);
                }
                check();
            }
            time.sleep(DELETE_RETENTION_MS + 1);
            clean(false);
            clean(false);
            check();
            log.close();
        }

        void append(int keys) {
            int count = 1 + random.nextInt(5);
            String[] keysAndValues = new String[2 * count];
            for (int i = 0; i < count; i++) {
                keysAndValues[2 * i] = "k" + random.nextInt(keys);
                keysAndValues[2 * i + 1] = random.nextInt(100) < 15 ? null : "v" + appended.size() + "-" + i;
            }
            Compression compression = random.nextInt(4) == 0 ? Compression.gzip().build() : Compression.NONE;
            AppendResult result = LogTestSupport.appendOk(log,
                CompactionTestSupport.keyed(time.milliseconds(), compression, keysAndValues));
            for (int i = 0; i < count; i++) {
                long offset = result.firstOffset() + i;
                appended.put(offset, new KeyedRecord(offset, keysAndValues[2 * i], keysAndValues[2 * i + 1]));
            }
            time.sleep(random.nextInt(50));
        }

        void clean(boolean crash) throws IOException {
            long highWatermark = log.logStartOffset() + (long) (random.nextDouble() * (log.logEndOffset() - log.logStartOffset() + 1));
            if (random.nextBoolean()) {
                highWatermark = log.logEndOffset();
            }
            List<Long> bases = log.segmentBaseOffsets();
            long limit = Math.min(highWatermark, bases.get(bases.size() - 1));
            List<KeyedRecord> before = CompactionTestSupport.readAll(log);
            LocalLog.SwapStep crashAt = LocalLog.SwapStep.values()[random.nextInt(LocalLog.SwapStep.values().length)];
            if (crash) {
                log.onSwapStep(step -> {
                    if (step == crashAt) {
                        throw new IOException("crash after " + step);
                    }
                });
            }
            long cleanedFrom = log.firstDirtyOffset();
            CleanResult result;
            try {
                result = log.clean(map, ioBufferBytes, highWatermark);
            } catch (KafkaStorageException e) {
                assertThat(crash).as("only a simulated crash fails a clean: %s", e).isTrue();
                // a crash after the swap's commit point leaves the clean done (finished at the reopen), its
                // tombstones stamped with this time: the earliest horizon any of them below the limit may have
                for (long offset : appended.headMap(limit).keySet()) {
                    firstCleanedAtMs.putIfAbsent(offset, time.milliseconds());
                }
                LogTestSupport.crash(log);
                log = LogTestSupport.open(dir, config, time);
                assertNoCleanerFiles();
                assertUnchangedAtOrAbove(before, limit);
                return;
            }
            log.onSwapStep(LocalLog.SwapListener.NONE);
            if (result.groupsCleaned() > 0) {
                for (long offset : appended.headMap(result.firstDirtyOffset()).keySet()) {
                    firstCleanedAtMs.putIfAbsent(offset, time.milliseconds());
                }
            }
            assertThat(result.firstDirtyOffset()).isGreaterThanOrEqualTo(cleanedFrom).isLessThanOrEqualTo(Math.max(limit, cleanedFrom));
            assertUnchangedAtOrAbove(before, limit);
        }

        void assertUnchangedAtOrAbove(List<KeyedRecord> before, long limit) {
            List<KeyedRecord> after = CompactionTestSupport.readAll(log);
            assertThat(after.stream().filter(r -> r.offset() >= limit).toList())
                .as("records at or above the cleaner's limit %d", limit)
                .isEqualTo(before.stream().filter(r -> r.offset() >= limit).toList());
        }

        void assertNoCleanerFiles() throws IOException {
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(f -> f.getFileName().toString()))
                    .noneMatch(name -> name.endsWith(".cleaned") || name.endsWith(".swap"));
            }
        }

        void check() {
            List<KeyedRecord> records = CompactionTestSupport.readAll(log);
            long previous = -1;
            for (KeyedRecord record : records) {
                assertThat(record.offset()).as("offsets increase").isGreaterThan(previous);
                previous = record.offset();
                assertThat(record).as("the record at offset %d", record.offset()).isEqualTo(appended.get(record.offset()));
            }
            assertThat(log.logEndOffset()).isEqualTo(appended.isEmpty() ? 0 : appended.lastKey() + 1);
            Set<Long> present = new HashSet<>();
            records.forEach(r -> present.add(r.offset()));
            Map<String, KeyedRecord> latest = new HashMap<>();
            for (KeyedRecord record : appended.values()) {
                latest.put(record.key(), record);
            }
            for (KeyedRecord last : latest.values()) {
                if (present.contains(last.offset())) {
                    continue;
                }
                if (last.value() != null) {
                    fail("the latest value of " + last.key() + " at offset " + last.offset() + " is gone");
                }
                Long firstCleaned = firstCleanedAtMs.get(last.offset());
                assertThat(firstCleaned).as("tombstone at %d removed without a clean that kept it first", last.offset())
                    .isNotNull();
                assertThat(time.milliseconds()).as("tombstone at %d removed before delete.retention.ms", last.offset())
                    .isGreaterThanOrEqualTo(firstCleaned + DELETE_RETENTION_MS);
            }
            Set<String> cleanKeys = new HashSet<>();
            for (KeyedRecord record : records) {
                if (record.offset() < log.firstDirtyOffset()) {
                    assertThat(cleanKeys.add(record.key())).as("key %s twice below the first dirty offset %d",
                        record.key(), log.firstDirtyOffset()).isTrue();
                }
            }
        }
    }

    /** The model's own sanity: with nothing cleaned, the log reads back exactly what was appended. */
    @Test
    void uncleanedLogReadsBackEverything() {
        MockTime time = new MockTime();
        PartitionLog log = LogTestSupport.open(root.resolve("plain"), LogConfig.fromMap(Map.of(
            LogConfig.CLEANUP_POLICY_CONFIG, "compact")), time);
        List<KeyedRecord> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            LogTestSupport.appendOk(log, CompactionTestSupport.keyed(1L, "k" + i, i % 2 == 0 ? "v" + i : null));
            expected.add(new KeyedRecord(i, "k" + i, i % 2 == 0 ? "v" + i : null));
        }
        assertThat(CompactionTestSupport.readAll(log)).isEqualTo(expected);
        log.close();
    }
}
