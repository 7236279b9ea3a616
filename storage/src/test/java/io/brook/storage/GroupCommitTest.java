package io.brook.storage;

import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.brook.storage.TestRecords.batch;
import static org.assertj.core.api.Assertions.assertThat;

/** Group commit costs one write per segment and at most one fsync, counted on the segment channel. */
class GroupCommitTest extends LogFixture {

    final FaultyFileChannel.Faults counters = new FaultyFileChannel.Faults();

    private static List<MemoryRecords> requests(int count) {
        List<MemoryRecords> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            requests.add(batch(1L, "request-" + i, "second record"));
        }
        return requests;
    }

    @Test
    void manyRequestsAreWrittenWithOneWriteAndOneFsync() throws IOException {
        // proves: ten requests cost one write syscall and, with flush.messages=1, one fsync of the log file
        log = openLog(LogConfig.fromMap(Map.of(LogConfig.FLUSH_MESSAGES_CONFIG, 1L)),
            FaultyFileChannel.files(counters));
        counters.writeCalls.set(0);
        counters.forceCalls.set(0);

        List<AppendResult> results = log.appendAsLeader(requests(10), 3);

        assertThat(results).allMatch(AppendResult::ok);
        assertThat(counters.writeCalls.get()).isEqualTo(1);
        assertThat(counters.forceCalls.get()).isEqualTo(1);
        assertThat(log.recoveryPoint()).isEqualTo(20);
    }

    @Test
    void aGroupSpanningARollCostsOneWritePerSegment() throws IOException {
        // proves: when the group does not fit the active segment it is split at the roll, not per request
        int requestBytes = requests(1).get(0).sizeInBytes();
        log = openLog(LogConfig.fromMap(Map.of(LogConfig.SEGMENT_BYTES_CONFIG, requestBytes * 6)),
            FaultyFileChannel.files(counters));
        counters.writeCalls.set(0);
        counters.forceCalls.set(0);

        List<AppendResult> results = log.appendAsLeader(requests(10), 0);

        assertThat(results).allMatch(AppendResult::ok);
        assertThat(log.numberOfSegments()).isEqualTo(2);
        assertThat(counters.writeCalls.get()).isEqualTo(2);
        assertThat(counters.forceCalls.get()).as("defaults leave fsync to the OS").isZero();
    }
}
