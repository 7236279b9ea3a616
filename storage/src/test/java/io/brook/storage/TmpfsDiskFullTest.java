package io.brook.storage;

import org.apache.kafka.common.errors.KafkaStorageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.brook.storage.TestRecords.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real full disk: a 2 MiB tmpfs is filled by appends until the kernel says ENOSPC. Needs root
 * (mount); skipped where mounting is not permitted.
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
}
