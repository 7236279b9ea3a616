package io.brook.replication;

import io.brook.storage.LogConfig;
import io.brook.storage.MockTime;
import io.brook.storage.PartitionLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The lookup over a real {@link PartitionLog}, with the floor epoch derived from its API. */
class EpochEndOffsetLookupTest {

    @TempDir
    Path dir;
    PartitionLog log;

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
        }
    }

    /** Epoch 1 at [0, 50), 2 at [50, 80), 5 at [80, 90). */
    private EpochEndOffsetLookup lookupOverEpochs1And2And5() throws IOException {
        log = PartitionLog.open(dir, LogConfig.defaults(), new MockTime());
        log.appendAsLeader(Batches.produced(50), 1);
        log.appendAsLeader(Batches.produced(30), 2);
        log.appendAsLeader(Batches.produced(10), 5);
        return EpochEndOffsetLookup.forLog(log);
    }

    @Test
    void answersWithTheFloorEpochAndItsEnd() throws IOException {
        // proves: Kafka's semantics: the largest known epoch <= the requested one, and where it ends
        EpochEndOffsetLookup lookup = lookupOverEpochs1And2And5();
        assertThat(lookup.endOffsetFor(1)).isEqualTo(new EpochEndOffset(1, 50));
        assertThat(lookup.endOffsetFor(2)).isEqualTo(new EpochEndOffset(2, 80));
        assertThat(lookup.endOffsetFor(3)).as("no epoch 3: epoch 2 is the floor").isEqualTo(new EpochEndOffset(2, 80));
        assertThat(lookup.endOffsetFor(4)).isEqualTo(new EpochEndOffset(2, 80));
        assertThat(lookup.endOffsetFor(5)).isEqualTo(new EpochEndOffset(5, 90));
        assertThat(lookup.endOffsetFor(9)).as("past the latest: the latest and the log end").isEqualTo(new EpochEndOffset(5, 90));
    }

    @Test
    void belowTheFirstEpochAnswersTheLogStartAndEmptyLogsKnowNoEpoch() throws IOException {
        // proves: an epoch older than the log's history ends at the log start; an empty log has no epoch
        EpochEndOffsetLookup lookup = lookupOverEpochs1And2And5();
        assertThat(lookup.endOffsetFor(0)).isEqualTo(new EpochEndOffset(0, 0));
        assertThat(lookup.endOffsetFor(-1)).isEqualTo(EpochEndOffset.UNDEFINED);
        log.truncateFullyAndStartAt(120);
        assertThat(lookup.endOffsetFor(3)).isEqualTo(new EpochEndOffset(EpochEndOffset.UNDEFINED_EPOCH, 120));
    }

    @Test
    void followsTruncation() throws IOException {
        // proves: truncation into epoch 2's single batch removes the batch and the epoch: 1 is the latest again
        EpochEndOffsetLookup lookup = lookupOverEpochs1And2And5();
        log.truncateTo(60);
        assertThat(log.logEndOffset()).isEqualTo(50);
        assertThat(lookup.endOffsetFor(5)).isEqualTo(new EpochEndOffset(1, 50));
        assertThat(lookup.endOffsetFor(2)).isEqualTo(new EpochEndOffset(1, 50));
    }

    @Test
    void worksOverPlainFunctionsWithHugeEpochs() {
        // proves: the floor search is a binary search, fine for epochs near Integer.MAX_VALUE
        int big = Integer.MAX_VALUE - 10;
        EpochEndOffsetLookup lookup = EpochEndOffsetLookup.of(
            epoch -> epoch >= 7 && epoch <= big ? OptionalLong.of(epoch < big ? 100 : 150) : OptionalLong.empty(),
            () -> OptionalInt.of(big), () -> 0L, () -> 150L);
        assertThat(lookup.endOffsetFor(big - 1)).isEqualTo(new EpochEndOffset(7, 100));
        assertThat(lookup.endOffsetFor(big)).isEqualTo(new EpochEndOffset(big, 150));
    }
}
