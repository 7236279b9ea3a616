package io.brook.storage;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;

import static io.brook.storage.LogTestSupport.appendOk;
import static io.brook.storage.LogTestSupport.open;
import static io.brook.storage.TestRecords.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TruncationAndReplicationTest {

    @TempDir
    Path root;
    final MockTime time = new MockTime();
    final LogConfig config = LogConfig.fromMap(Map.of(LogConfig.SEGMENT_BYTES_CONFIG, 300,
        LogConfig.FILE_DELETE_DELAY_MS_CONFIG, 0L));
    PartitionLog leader;
    PartitionLog follower;

    @AfterEach
    void closeLogs() {
        for (PartitionLog log : new PartitionLog[] {leader, follower}) {
            if (log != null) {
                log.close();
            }
        }
    }

    /** A batch as a leader would have written it: given offsets and epoch. */
    private static MemoryRecords replicated(long baseOffset, int epoch, String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(1L, null, values[i].getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withRecords(RecordBatch.CURRENT_MAGIC_VALUE, baseOffset, Compression.NONE,
            org.apache.kafka.common.record.TimestampType.CREATE_TIME, RecordBatch.NO_PRODUCER_ID,
            RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_SEQUENCE, epoch, false, records);
    }

    @Test
    void followerCopiesTheLeadersBatchesByteForByte() {
        // proves: leader reads fed to appendAsFollower keep offsets and epochs, across segments
        leader = open(root.resolve("leader"), config, time);
        follower = open(root.resolve("follower"), config, time);
        for (int epoch = 0; epoch < 3; epoch++) {
            for (int i = 0; i < 4; i++) {
                assertThat(leader.appendAsLeader(batch(1L, "e" + epoch + "-" + i, "x"), epoch).ok()).isTrue();
            }
        }
        while (follower.logEndOffset() < leader.logEndOffset()) {
            ReadResult fetched = leader.read(follower.logEndOffset(), 250, Long.MAX_VALUE, true);
            follower.appendAsFollower(fetched.toMemoryRecords());
        }
        assertThat(LogTestSupport.readAllValues(follower, 0)).isEqualTo(LogTestSupport.readAllValues(leader, 0));
        assertThat(follower.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, true).readFully())
            .isEqualTo(leader.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, true).readFully());
        assertThat(follower.endOffsetForEpoch(1)).isEqualTo(leader.endOffsetForEpoch(1));
        assertThat(follower.endOffsetForEpoch(1)).hasValue(16);
        assertThat(follower.endOffsetForEpoch(2)).hasValue(24);
    }

    @Test
    void followerRejectsBatchesThatDoNotContinueTheLog() {
        // proves: a gap or an overlap with the log end is refused, and a bad CRC is refused
        follower = open(root.resolve("follower"), config, time);
        follower.appendAsFollower(replicated(0, 0, "a", "b"));
        assertThatThrownBy(() -> follower.appendAsFollower(replicated(3, 0, "d")))
            .isInstanceOf(InvalidRecordException.class).hasMessageContaining("continues at 2");
        assertThatThrownBy(() -> follower.appendAsFollower(replicated(1, 0, "b")))
            .isInstanceOf(InvalidRecordException.class);
        MemoryRecords corrupt = replicated(2, 0, "c");
        corrupt.buffer().put(corrupt.sizeInBytes() - 1, (byte) 9);
        assertThatThrownBy(() -> follower.appendAsFollower(corrupt)).isInstanceOf(CorruptRecordException.class);
        assertThat(follower.logEndOffset()).isEqualTo(2);
    }

    @Test
    void truncateToRemovesTheSuffixAcrossSegmentsAndAppendsContinue() {
        // proves: truncation deletes later segments, cuts the one holding the offset, and the log end follows
        leader = open(root.resolve("leader"), config, time);
        for (int i = 0; i < 12; i++) {
            appendOk(leader, batch(1L, TestRecords.filler('t', 40) + i));
        }
        assertThat(leader.numberOfSegments()).isGreaterThan(2);
        leader.flush();

        leader.truncateTo(5);
        assertThat(leader.logEndOffset()).isEqualTo(5);
        assertThat(leader.recoveryPoint()).isEqualTo(5);
        assertThat(LogTestSupport.readAllOffsets(leader)).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(appendOk(leader, batch(1L, "new")).firstOffset()).isEqualTo(5);
        leader.close();
        leader = open(root.resolve("leader"), config, time);
        assertThat(leader.logEndOffset()).isEqualTo(6);
        assertThat(LogTestSupport.readAllValues(leader, 5)).containsExactly("new");
    }

    @Test
    void truncateToInsideABatchRemovesTheWholeBatch() {
        // proves: batches are never split; the log end lands on the batch boundary below the offset
        leader = open(root.resolve("leader"), LogConfig.defaults(), time);
        appendOk(leader, batch(1L, "a", "b"));
        appendOk(leader, batch(1L, "c", "d", "e"));
        leader.truncateTo(3);
        assertThat(leader.logEndOffset()).isEqualTo(2);
        leader.truncateTo(10);
        assertThat(leader.logEndOffset()).isEqualTo(2);
    }

    @Test
    void truncationForgetsTheEpochsOfRemovedOffsets() {
        // proves: the leader epoch cache follows truncation, so endOffsetForEpoch stays truthful
        leader = open(root.resolve("leader"), LogConfig.defaults(), time);
        leader.appendAsLeader(batch(1L, "a"), 1);
        leader.appendAsLeader(batch(1L, "b"), 1);
        leader.appendAsLeader(batch(1L, "c"), 3);
        assertThat(leader.endOffsetForEpoch(1)).hasValue(2);
        assertThat(leader.endOffsetForEpoch(2)).as("epoch 2 never wrote: ends where 3 starts").hasValue(2);
        assertThat(leader.endOffsetForEpoch(3)).hasValue(3);
        assertThat(leader.endOffsetForEpoch(4)).isEmpty();
        assertThat(leader.endOffsetForEpoch(0)).isEmpty();

        leader.truncateTo(2);
        assertThat(leader.latestEpoch()).hasValue(1);
        assertThat(leader.endOffsetForEpoch(1)).hasValue(2);
        leader.close();
        leader = open(root.resolve("leader"), LogConfig.defaults(), time);
        assertThat(leader.endOffsetForEpoch(1)).hasValue(2);
        assertThat(leader.endOffsetForEpoch(3)).isEqualTo(OptionalLong.empty());
    }

    @Test
    void truncateFullyAndStartAtRestartsTheLogAtAnyOffset() {
        // proves: the log can be emptied and restarted at a new start offset, and that survives reopen
        leader = open(root.resolve("leader"), config, time);
        for (int i = 0; i < 8; i++) {
            appendOk(leader, batch(1L, TestRecords.filler('f', 40)));
        }
        leader.truncateFullyAndStartAt(1000);
        assertThat(leader.logStartOffset()).isEqualTo(1000);
        assertThat(leader.logEndOffset()).isEqualTo(1000);
        assertThat(leader.numberOfSegments()).isEqualTo(1);
        assertThat(appendOk(leader, batch(1L, "x")).firstOffset()).isEqualTo(1000);
        leader.close();
        leader = open(root.resolve("leader"), config, time);
        assertThat(leader.logStartOffset()).isEqualTo(1000);
        assertThat(LogTestSupport.readAllValues(leader, 1000)).containsExactly("x");
        assertThat(LogTestSupport.filesEndingWith(root.resolve("leader"), ".log")).hasSize(1);
    }

    @Test
    void closeAndDeleteRemovesTheDirectory() {
        // proves: topic deletion removes every file of the partition
        Path dir = root.resolve("doomed");
        PartitionLog doomed = open(dir, config, time);
        appendOk(doomed, batch(1L, "a"));
        doomed.closeAndDelete();
        assertThat(dir).doesNotExist();
    }
}
