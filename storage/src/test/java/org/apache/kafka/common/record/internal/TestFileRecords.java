package org.apache.kafka.common.record.internal;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * Test-only door into {@link FileRecords}' package-private constructor, so Brook's tests can put a
 * fault-injecting {@link FileChannel} under a real {@code FileRecords}. It lives in Kafka's package
 * on the test classpath only; production code never uses it.
 */
public final class TestFileRecords {

    private TestFileRecords() {
    }

    public static FileRecords withChannel(File file, FileChannel channel) throws IOException {
        return new FileRecords(file, channel, Integer.MAX_VALUE);
    }
}
