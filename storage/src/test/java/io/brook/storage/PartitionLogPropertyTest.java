package io.brook.storage;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded random workloads: every acknowledged record reads back, in order, with contiguous offsets,
 * across segment rolls, codecs, group commits, clean reopens and crashes. Rerun a failure with
 * {@code -Dbrook.test.seed=<seed>}.
 */
class PartitionLogPropertyTest {

    private static final Compression[] CODECS = {Compression.NONE, Compression.gzip().build(),
        Compression.lz4().build(), Compression.zstd().build(), Compression.snappy().build()};

    @TempDir
    Path root;

    @Test
    void everyAppendedRecordReadsBackInOrderAcrossRollsAndReopens() {
        long baseSeed = Long.getLong("brook.test.seed", System.nanoTime());
        for (int round = 0; round < 6; round++) {
            long seed = baseSeed + round;
            runWorkload(seed, root.resolve("round-" + round));
        }
    }

    private void runWorkload(long seed, Path dir) {
        Random random = new Random(seed);
        MockTime time = new MockTime();
        LogConfig config = LogConfig.fromMap(Map.of(
            // at least the largest request below (2 batches of 6 values of up to ~170 bytes), which a
            // segment must hold whole (a larger one is refused with RecordBatchTooLargeException)
            LogConfig.SEGMENT_BYTES_CONFIG, 3 * 1024 + random.nextInt(8 * 1024),
            LogConfig.INDEX_INTERVAL_BYTES_CONFIG, random.nextInt(2048),
            LogConfig.SEGMENT_INDEX_BYTES_CONFIG, 64 + random.nextInt(1024)));
        String what = "seed " + seed + ", " + config.values();
        PartitionLog log = LogTestSupport.open(dir, config, time);
        List<String> acknowledged = new ArrayList<>();
        try {
            for (int step = 0; step < 120; step++) {
                appendRandomGroup(log, random, time, acknowledged, what + ", step " + step);
                int dice = random.nextInt(20);
                if (dice == 0) {
                    log.close();
                    log = LogTestSupport.open(dir, config, time);
                } else if (dice == 1) {
                    LogTestSupport.crash(log);
                    log = LogTestSupport.open(dir, config, time);
                } else if (dice == 2) {
                    log.flush();
                }
                if (random.nextInt(10) == 0) {
                    checkEverything(log, acknowledged, what + ", step " + step);
                }
                time.sleep(random.nextInt(1000));
            }
            checkEverything(log, acknowledged, what + ", end");
        } finally {
            log.close();
        }
    }

    private static void appendRandomGroup(PartitionLog log, Random random, MockTime time, List<String> acknowledged,
                                          String what) {
        int requests = 1 + random.nextInt(4);
        List<MemoryRecords> group = new ArrayList<>();
        List<List<String>> groupValues = new ArrayList<>();
        for (int r = 0; r < requests; r++) {
            int batches = 1 + random.nextInt(2);
            MemoryRecords[] parts = new MemoryRecords[batches];
            List<String> values = new ArrayList<>();
            for (int b = 0; b < batches; b++) {
                String[] batchValues = new String[1 + random.nextInt(6)];
                for (int i = 0; i < batchValues.length; i++) {
                    batchValues[i] = "v" + (acknowledged.size() + values.size()) + "-"
                        + TestRecords.filler((char) ('a' + random.nextInt(26)), random.nextInt(150));
                    values.add(batchValues[i]);
                }
                parts[b] = TestRecords.batch(CODECS[random.nextInt(CODECS.length)], time.milliseconds(), batchValues);
            }
            group.add(TestRecords.concat(parts));
            groupValues.add(values);
        }
        // leader epochs only grow, as they do across elections
        int epoch = log.latestEpoch().orElse(0) + (random.nextInt(10) == 0 ? 1 : 0);
        List<AppendResult> results = log.appendAsLeader(group, epoch);
        for (int r = 0; r < requests; r++) {
            AppendResult result = results.get(r);
            assertThat(result.error()).as(what).isNull();
            assertThat(result.firstOffset()).as(what).isEqualTo(acknowledged.size());
            acknowledged.addAll(groupValues.get(r));
            assertThat(result.lastOffset()).as(what).isEqualTo(acknowledged.size() - 1);
        }
    }

    private static void checkEverything(PartitionLog log, List<String> acknowledged, String what) {
        assertThat(log.logEndOffset()).as(what).isEqualTo(acknowledged.size());
        List<Long> offsets = LogTestSupport.readAllOffsets(log);
        for (int i = 0; i < offsets.size(); i++) {
            assertThat(offsets.get(i)).as(what).isEqualTo((long) i);
        }
        assertThat(LogTestSupport.readAllValues(log, 0)).as(what).isEqualTo(acknowledged);
    }
}
