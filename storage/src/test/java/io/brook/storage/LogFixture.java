package io.brook.storage;

import io.brook.storage.internals.SegmentFileFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Base of the tests that work on one partition log: a fresh temp directory, a mock clock, and the
 * log under test, closed after each test if the test opened one.
 */
abstract class LogFixture {

    @TempDir
    Path dir;
    final MockTime time = new MockTime();
    PartitionLog log;

    @AfterEach
    void closeLog() {
        if (log != null) {
            log.close();
        }
    }

    /** Opens (or reopens) the log in {@link #dir} on the mock clock; the caller assigns it to {@link #log}. */
    PartitionLog openLog(LogConfig config) {
        return LogTestSupport.open(dir, config, time);
    }

    /** As {@link #openLog(LogConfig)}, with segment files opened through {@code files}. */
    PartitionLog openLog(LogConfig config, SegmentFileFactory files) throws IOException {
        return PartitionLog.open(dir, config, time, files);
    }
}
