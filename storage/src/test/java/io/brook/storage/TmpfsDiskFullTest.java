package io.brook.storage;

import io.brook.storage.internals.LogFiles;
import io.brook.storage.internals.PartitionCheckpoint;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.brook.storage.TestRecords.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real full disk: a 2 MiB tmpfs is filled by appends until the kernel says ENOSPC (and its last
 * free pages by a file, so that not even a checkpoint fits). Needs root (mount); skipped where
 * mounting is not permitted.
 */
@Tag("tmpfs")
class TmpfsDiskFullTest {

    @TempDir
    Path parent;
    Path mountPoint;
    boolean mounted;
    final MockTime time = new MockTime();

    @BeforeEach
    void mountSmallTmpfs() throws Exception {
        mountPoint = Files.createDirectories(parent.resolve("tmpfs"));
        mounted = run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mountPoint.toString());
        assumeTrue(mounted, "mounting a tmpfs is not permitted here");
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            run("umount", "-l", mountPoint.toString()); // lazy: never leave a mount behind
        }
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return false;
        }
        process.getInputStream().readAllBytes();
        return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    }

    @Test
    void appendsFailCleanlyWhenTheDiskIsFullAndResumeWhenSpaceIsBack() throws IOException {
        // proves: ENOSPC from the kernel fails appends with KafkaStorageException, nothing partial stays,
        // appends resume once space is freed, and a reopen sees exactly the acknowledged records
        Path ballast = mountPoint.resolve("ballast");
        Files.write(ballast, new byte[512 * 1024]);
        Path dir = mountPoint.resolve("topic-0");
        LogConfig config = LogConfig.fromMap(Map.of(LogConfig.SEGMENT_BYTES_CONFIG, 200 * 1024,
            LogConfig.SEGMENT_INDEX_BYTES_CONFIG, 8192, LogConfig.INDEX_INTERVAL_BYTES_CONFIG, 512));
        PartitionLog log = PartitionLog.open(dir, config, time);
        List<String> acknowledged = new ArrayList<>();
        int failures = 0;
        for (int i = 0; i < 2000 && failures < 20; i++) {
            String value = "record-" + i + "-" + TestRecords.filler('q', 3000);
            AppendResult result = log.appendAsLeader(batch(time.milliseconds(), value), 0);
            if (result.ok()) {
                assertThat(result.firstOffset()).isEqualTo(acknowledged.size());
                acknowledged.add(value);
            } else {
                assertThat(result.error()).isInstanceOf(KafkaStorageException.class);
                failures++;
            }
        }
        assertThat(failures).as("the disk filled up").isPositive();
        assertThat(log.isOffline()).isFalse();
        assertThat(log.logEndOffset()).isEqualTo(acknowledged.size());
        assertThat(LogTestSupport.readAllValues(log, 0)).isEqualTo(acknowledged);

        Files.delete(ballast);
        for (int i = 0; i < 5; i++) {
            String value = "after-" + i;
            AppendResult result = log.appendAsLeader(batch(time.milliseconds(), value), 0);
            assertThat(result.error()).isNull();
            acknowledged.add(value);
        }
        log.close();

        log = PartitionLog.open(dir, config, time);
        assertThat(LogTestSupport.readAllValues(log, 0)).isEqualTo(acknowledged);
        log.close();
    }

    private final LogConfig smallSegments = LogConfig.fromMap(Map.of(LogConfig.SEGMENT_BYTES_CONFIG, 64 * 1024,
        LogConfig.SEGMENT_INDEX_BYTES_CONFIG, 8192, LogConfig.INDEX_INTERVAL_BYTES_CONFIG, 512,
        LogConfig.FILE_DELETE_DELAY_MS_CONFIG, 60_000L));

    /**
     * Writes a 128 KiB ballast file (deleting it gives space back), appends 3 KB records until the
     * disk is full, then fills its last free pages; returns the acknowledged values.
     */
    private List<String> fillTheDisk(PartitionLog log) throws IOException {
        Files.write(mountPoint.resolve("ballast"), new byte[128 * 1024]);
        List<String> acknowledged = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            String value = "record-" + i + "-" + TestRecords.filler('q', 3000);
            AppendResult result = log.appendAsLeader(batch(time.milliseconds(), value), 0);
            if (!result.ok()) {
                assertThat(result.error()).isInstanceOf(KafkaStorageException.class);
                break;
            }
            acknowledged.add(value);
        }
        try (OutputStream out = Files.newOutputStream(mountPoint.resolve("last-pages"))) {
            for (int i = 0; i < 1024; i++) {
                out.write(new byte[4096]);
                out.flush();
            }
        } catch (IOException expected) {
            // ENOSPC: the disk is full to the last page
        }
        assertThat(Files.getFileStore(mountPoint).getUsableSpace()).as("usable bytes").isZero();
        return acknowledged;
    }

    @Test
    void retentionOnAFullDiskDeletesTheSegmentsFirstThenCheckpoints() throws IOException {
        // proves: with not one free page, lowering retention.bytes frees the space at once (not after
        // file.delete.delay.ms), the log stays online, the checkpoint then holds the new log start offset,
        // appends resume, and a crash keeps the start offset and every record retention did not remove
        Path dir = mountPoint.resolve("topic-0");
        PartitionLog log = PartitionLog.open(dir, smallSegments, time);
        List<String> acknowledged = fillTheDisk(log);
        assertThat(log.numberOfSegments()).isGreaterThan(10);

        log.updateConfig(smallSegments.withOverrides(Map.of(LogConfig.RETENTION_BYTES_CONFIG, 256 * 1024L)));
        assertThat(log.deleteOldSegments()).isPositive();
        assertThat(log.isOffline()).isFalse();
        long logStartOffset = log.logStartOffset();
        assertThat(log.sizeInBytes()).isGreaterThanOrEqualTo(256 * 1024L);
        assertThat(LogTestSupport.filesEndingWith(dir, LogFiles.DELETED_SUFFIX)).isEmpty();
        assertThat(Files.getFileStore(mountPoint).getUsableSpace()).isGreaterThan(1024 * 1024L);
        assertThat(log.isCheckpointStale()).isFalse();
        assertThat(PartitionCheckpoint.read(dir).orElseThrow().logStartOffset()).isEqualTo(logStartOffset);

        AppendResult after = log.appendAsLeader(batch(time.milliseconds(), "after"), 0);
        assertThat(after.ok()).isTrue();
        acknowledged.add("after");
        List<String> kept = acknowledged.subList((int) logStartOffset, acknowledged.size());
        assertThat(LogTestSupport.readAllValues(log, logStartOffset)).isEqualTo(kept);

        LogTestSupport.crash(log);
        log = PartitionLog.open(dir, smallSegments, time);
        assertThat(log.logStartOffset()).isEqualTo(logStartOffset);
        assertThat(LogTestSupport.readAllValues(log, logStartOffset)).isEqualTo(kept);
        PartitionLog reopened = log;
        assertThatThrownBy(() -> reopened.read(logStartOffset - 1, 1000, Long.MAX_VALUE, true))
            .isInstanceOf(OffsetOutOfRangeException.class);
        log.close();
    }

    @Test
    void flushOnAFullDiskLeavesTheCheckpointStaleNotTheLogOffline() throws IOException {
        // proves: an fsync that succeeds but whose checkpoint cannot be written keeps the log online, and the
        // checkpoint is written on the next flush once there is space
        Path dir = mountPoint.resolve("topic-0");
        PartitionLog log = PartitionLog.open(dir, smallSegments, time);
        List<String> acknowledged = fillTheDisk(log);
        log.flush();
        assertThat(log.isOffline()).isFalse();
        assertThat(log.isCheckpointStale()).isTrue();
        assertThat(log.recoveryPoint()).isEqualTo(log.logEndOffset());
        assertThat(PartitionCheckpoint.read(dir).orElseThrow().recoveryPoint()).isLessThan(log.logEndOffset());

        Files.delete(mountPoint.resolve("ballast"));
        log.maybeFlush();
        assertThat(log.isCheckpointStale()).isFalse();
        assertThat(PartitionCheckpoint.read(dir).orElseThrow().recoveryPoint()).isEqualTo(log.logEndOffset());
        assertThat(LogTestSupport.readAllValues(log, 0)).isEqualTo(acknowledged);
        log.close();
    }

    @Test
    void aLogOnAFullDiskOpensAndItsRetentionFreesTheSpace() throws IOException {
        // proves: a crashed log reopens on a full disk (its checkpoint stays the older, safe one), and its
        // retention can then free the space: an offline log needs no free space to come back
        Path dir = mountPoint.resolve("topic-0");
        PartitionLog log = PartitionLog.open(dir, smallSegments, time);
        List<String> acknowledged = fillTheDisk(log);
        LogTestSupport.crash(log);

        log = PartitionLog.open(dir, smallSegments.withOverrides(Map.of(LogConfig.RETENTION_BYTES_CONFIG, 256 * 1024L)),
            time);
        assertThat(log.isCheckpointStale()).isTrue();
        assertThat(LogTestSupport.readAllValues(log, 0)).isEqualTo(acknowledged);
        assertThat(log.deleteOldSegments()).isPositive();
        assertThat(log.isCheckpointStale()).isFalse();
        long logStartOffset = log.logStartOffset();
        assertThat(PartitionCheckpoint.read(dir).orElseThrow().logStartOffset()).isEqualTo(logStartOffset);
        assertThat(LogTestSupport.readAllValues(log, logStartOffset))
            .isEqualTo(acknowledged.subList((int) logStartOffset, acknowledged.size()));
        log.close();
    }
}
