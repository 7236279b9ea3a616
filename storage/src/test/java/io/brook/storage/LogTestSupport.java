package io.brook.storage;

import org.apache.kafka.common.record.internal.MemoryRecords;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Helpers for the partition log tests: opening logs, simulating crashes, reading everything back. */
public final class LogTestSupport {

    private LogTestSupport() {
    }

    public static LogConfig config(Map<String, ?> overrides) {
        return LogConfig.fromMap(overrides);
    }

    public static PartitionLog open(Path dir, LogConfig config, Time time) {
        try {
            return PartitionLog.open(dir, config, time);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends as leader (epoch 0) and asserts success. */
    public static AppendResult appendOk(PartitionLog log, MemoryRecords records) {
        AppendResult result = log.appendAsLeader(records, 0);
        assertThat(result.error()).as("append error").isNull();
        return result;
    }

    /** Leaves the directory as a kill -9 would: no flush, no clean-shutdown marker. */
    public static void crash(PartitionLog log) {
        log.closeHandlers();
    }

    /** Every record value from {@code fromOffset} to the log end, following segments. */
    public static List<String> readAllValues(PartitionLog log, long fromOffset) {
        return readValues(log, fromOffset, log.logEndOffset());
    }

    /** Every record value from {@code fromOffset} up to {@code toOffsetExclusive}, following segments. */
    public static List<String> readValues(PartitionLog log, long fromOffset, long toOffsetExclusive) {
        List<String> values = new ArrayList<>();
        long offset = fromOffset;
        while (offset < toOffsetExclusive) {
            ReadResult result = log.read(offset, Integer.MAX_VALUE, Long.MAX_VALUE, true);
            MemoryRecords records = result.toMemoryRecords();
            List<Long> offsets = TestRecords.offsets(records);
            assertThat(offsets).as("read at %d", offset).isNotEmpty();
            List<String> batchValues = TestRecords.values(records);
            for (int i = 0; i < offsets.size(); i++) {
                if (offsets.get(i) >= offset && offsets.get(i) < toOffsetExclusive) {
                    values.add(batchValues.get(i));
                }
            }
            offset = offsets.get(offsets.size() - 1) + 1;
        }
        return values;
    }

    /** Every record offset from the log start to the log end. */
    public static List<Long> readAllOffsets(PartitionLog log) {
        List<Long> all = new ArrayList<>();
        long offset = log.logStartOffset();
        while (offset < log.logEndOffset()) {
            MemoryRecords records = log.read(offset, Integer.MAX_VALUE, Long.MAX_VALUE, true).toMemoryRecords();
            List<Long> offsets = TestRecords.offsets(records);
            assertThat(offsets).isNotEmpty();
            all.addAll(offsets);
            offset = offsets.get(offsets.size() - 1) + 1;
        }
        return all;
    }

    public static List<Path> filesEndingWith(Path dir, String suffix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void copyDir(Path from, Path to) {
        try {
            Files.createDirectories(to);
            try (Stream<Path> files = Files.list(from)) {
                for (Path file : files.toList()) {
                    Files.copy(file, to.resolve(file.getFileName()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
