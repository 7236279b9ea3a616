package io.brook.storage;

import org.apache.kafka.common.errors.KafkaStorageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.brook.storage.TestRecords.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** I/O errors during appends (a full disk, a failing fsync) leave the log consistent and usable. */
class DiskFullTest extends LogFixture {

    final FaultyFileChannel.Faults faults = new FaultyFileChannel.Faults();

    /** Runs before the fixture closes the log, so that the close itself does not fail. */
    @AfterEach
    void healTheDisk() {
        faults.failWrites = false;
        faults.failTruncate = false;
        faults.failForce = false;
    }

    private PartitionLog openFaulty(LogConfig config) throws IOException {
        return openLog(config, FaultyFileChannel.files(faults));
    }

    @Test
    void failedWriteIsCutBackAndLaterAppendsSucceed() throws IOException {
        // proves: a write failing half way fails its whole group with KafkaStorageException, leaves the file
        // exactly as before, and the log accepts appends again once the disk has room
        log = openFaulty(LogConfig.defaults());
        List<String> expected = new ArrayList<>(List.of("a", "b"));
        assertThat(log.appendAsLeader(batch(1L, "a", "b"), 0).ok()).isTrue();
        Path segment = dir.resolve("00000000000000000000.log");
        long sizeBefore = Files.size(segment);

        faults.failWrites = true;
        faults.bytesBeforeFailure = 30;
        List<AppendResult> failed = log.appendAsLeader(List.of(batch(1L, "c"), batch(1L, "d")), 0);
        assertThat(failed).allSatisfy(result -> {
            assertThat(result.ok()).isFalse();
            assertThat(result.error()).isInstanceOf(KafkaStorageException.class);
        });
        assertThat(Files.size(segment)).isEqualTo(sizeBefore);
        assertThat(log.logEndOffset()).isEqualTo(2);
        assertThat(log.isOffline()).isFalse();
        assertThat(LogTestSupport.readAllValues(log, 0)).isEqualTo(expected);

        faults.failWrites = false;
        AppendResult after = log.appendAsLeader(batch(1L, "e"), 0);
        assertThat(after.firstOffset()).isEqualTo(2);
        expected.add("e");
        assertThat(LogTestSupport.readAllValues(log, 0)).isEqualTo(expected);

        LogTestSupport.crash(log);
        log = openFaulty(LogConfig.defaults());
        assertThat(LogTestSupport.readAllValues(log, 0)).isEqualTo(expected);
    }

    @Test
    void failureAfterARollLeavesAnEmptyActiveSegmentThatLaterAppendsUse() throws IOException {
        // proves: a failed write into a freshly rolled segment keeps offsets contiguous
        int batchBytes = batch(1L, TestRecords.filler('x', 50)).sizeInBytes();
        log = openFaulty(LogConfig.fromMap(Map.of(LogConfig.SEGMENT_BYTES_CONFIG, batchBytes)));
        assertThat(log.appendAsLeader(batch(1L, TestRecords.filler('x', 50)), 0).ok()).isTrue();
        faults.failWrites = true;
        assertThat(log.appendAsLeader(batch(1L, TestRecords.filler('y', 50)), 0).ok()).isFalse();
        faults.failWrites = false;
        AppendResult after = log.appendAsLeader(batch(1L, TestRecords.filler('z', 50)), 0);
        assertThat(after.firstOffset()).isEqualTo(1);
        assertThat(log.segmentBaseOffsets()).containsExactly(0L, 1L);
        assertThat(LogTestSupport.readAllOffsets(log)).containsExactly(0L, 1L);
    }

    @Test
    void anAppendThatCannotBeRolledBackTakesTheLogOfflineAndReopenRecoversIt() throws IOException {
        // proves: if even the cut-back fails, the log refuses further work; a reopen drops the partial batch
        log = openFaulty(LogConfig.defaults());
        assertThat(log.appendAsLeader(batch(1L, "a"), 0).ok()).isTrue();
        faults.failWrites = true;
        faults.bytesBeforeFailure = 40;
        faults.failTruncate = true;
        AppendResult failed = log.appendAsLeader(batch(1L, "b"), 0);
        assertThat(failed.error()).isInstanceOf(KafkaStorageException.class);
        assertThat(log.isOffline()).isTrue();
        assertThatThrownBy(() -> log.appendAsLeader(batch(1L, "c"), 0)).isInstanceOf(KafkaStorageException.class);
        assertThatThrownBy(() -> log.read(0, 100, Long.MAX_VALUE, true)).isInstanceOf(KafkaStorageException.class);
        log.close();
        assertThat(dir.resolve(".brook_cleanshutdown")).doesNotExist();

        faults.failWrites = false;
        faults.failTruncate = false;
        log = openFaulty(LogConfig.defaults());
        assertThat(log.logEndOffset()).isEqualTo(1);
        assertThat(LogTestSupport.readAllValues(log, 0)).containsExactly("a");
        assertThat(log.appendAsLeader(batch(1L, "d"), 0).firstOffset()).isEqualTo(1);
    }

    @Test
    void failedFsyncFailsTheDurableAppendsAndTakesTheLogOffline() throws IOException {
        // proves: with flush.messages=1 an append whose fsync failed is not acknowledged
        log = openFaulty(LogConfig.fromMap(Map.of(LogConfig.FLUSH_MESSAGES_CONFIG, 1L)));
        assertThat(log.appendAsLeader(batch(1L, "a"), 0).ok()).isTrue();
        faults.failForce = true;
        AppendResult result = log.appendAsLeader(batch(1L, "b"), 0);
        assertThat(result.ok()).isFalse();
        assertThat(result.error()).isInstanceOf(KafkaStorageException.class).hasMessageContaining("fsync");
        assertThat(log.isOffline()).isTrue();
        assertThat(log.recoveryPoint()).isEqualTo(1);
    }
}
