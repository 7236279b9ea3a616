package io.brook.replication.sim;

import io.brook.replication.EpochEndOffsetLookup;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves the simulation's {@link MemoryLog} behaves like the real PartitionLog in everything
 * replication uses: random leader appends (new, same and older epochs), follower appends,
 * truncations and restarts, compared after every step (offsets, epochs, lookups, bytes).
 */
class MemoryLogEquivalenceTest {

    @TempDir
    Path root;

    @Test
    void memoryLogMatchesPartitionLogUnderRandomOperations() {
        for (long seed = 1; seed <= 12; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            MemoryLog model = new MemoryLog();
            PartitionLogReplica real = new PartitionLogReplica(root.resolve("log-" + seed));
            try {
                int epoch = 0;
                for (int step = 0; step < 120; step++) {
                    epoch = apply(random, model, real, epoch);
                    assertSame(model, real, "seed " + seed + " step " + step);
                }
            } finally {
                real.close();
            }
        }
    }

    private static int apply(SplittableRandom random, MemoryLog model, PartitionLogReplica real, int epoch) {
        int choice = random.nextInt(10);
        if (choice < 5) {
            int useEpoch = random.nextInt(25) == 0 ? Math.max(0, epoch - 1) : epoch;
            MemoryRecords records = produced(random, 1 + random.nextInt(4));
            assertThat(model.appendAsLeader(records, useEpoch)).isEqualTo(real.appendAsLeader(records, useEpoch));
            return random.nextInt(4) == 0 ? epoch + 1 + random.nextInt(2) : epoch;
        }
        if (choice < 7) {
            MemoryRecords records = replicated(model.logEndOffset(), epoch, 1 + random.nextInt(3));
            model.appendAsFollower(records);
            real.appendAsFollower(records);
            return random.nextInt(3) == 0 ? epoch + 1 : epoch;
        }
        if (choice < 9 || random.nextInt(4) != 0) {
            long offset = random.nextLong(model.logEndOffset() + 2);
            model.truncateTo(offset);
            real.truncateTo(offset);
            return epoch;
        }
        real.reopen();
        return epoch;
    }

    private static void assertSame(MemoryLog model, PartitionLogReplica real, String where) {
        assertThat(model.logEndOffset()).as(where).isEqualTo(real.logEndOffset());
        assertThat(model.logStartOffset()).as(where).isEqualTo(real.logStartOffset());
        assertThat(model.latestEpoch()).as(where).isEqualTo(real.latestEpoch());
        EpochEndOffsetLookup modelLookup = model.lookup();
        EpochEndOffsetLookup realLookup = real.lookup();
        for (int epoch = -1; epoch <= model.latestEpochOrUndefined() + 2; epoch++) {
            assertThat(model.endOffsetForEpoch(epoch)).as(where + " epoch " + epoch).isEqualTo(real.endOffsetForEpoch(epoch));
            assertThat(modelLookup.endOffsetFor(epoch)).as(where + " lookup " + epoch).isEqualTo(realLookup.endOffsetFor(epoch));
        }
        List<LogBatch> modelBatches = model.batchesFrom(0);
        List<LogBatch> realBatches = real.batchesFrom(0);
        assertThat(SimCluster.sameBatches(modelBatches, realBatches)).as(where + ": " + modelBatches + " vs " + realBatches)
            .isTrue();
        if (model.logEndOffset() > 0) {
            long offset = model.logEndOffset() / 2;
            RecordBatch first = model.read(offset, 1).batches().iterator().next();
            assertThat(real.read(offset, 1).batches().iterator().next()).as(where + " read").isEqualTo(first);
        }
    }

    private static MemoryRecords produced(SplittableRandom random, int count) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            records[i] = new SimpleRecord(1L, null, ("v" + random.nextInt(1000)).getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withRecords(Compression.NONE, records);
    }

    private static MemoryRecords replicated(long baseOffset, int epoch, int count) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            records[i] = new SimpleRecord(1L, null, ("f" + i).getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withRecords(RecordBatch.CURRENT_MAGIC_VALUE, baseOffset, Compression.NONE,
            TimestampType.CREATE_TIME, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH,
            RecordBatch.NO_SEQUENCE, epoch, false, records);
    }
}
