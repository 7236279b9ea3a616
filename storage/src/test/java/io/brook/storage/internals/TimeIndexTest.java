package io.brook.storage.internals;

import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimeIndexTest {

    @TempDir
    Path dir;

    @Test
    void keepsOnlyIncreasingTimestampsAndLooksUpStrictlyBelow() throws IOException {
        // proves: 12-byte entries, monotonic timestamps, and the strict lookup used by offsetForTimestamp
        try (TimeIndex index = new TimeIndex(dir.resolve("00000000000000000010.timeindex"), 10, 1200)) {
            index.reserve(4);
            index.maybeAppend(100, 12, false);
            index.maybeAppend(100, 13, false); // same timestamp: skipped
            index.maybeAppend(200, 15, false);
            index.maybeAppend(150, 16, false); // smaller timestamp: skipped
            assertThat(index.entries()).isEqualTo(2);
            assertThat(index.lookupBefore(100)).isEqualTo(new TimestampOffset(RecordBatch.NO_TIMESTAMP, 10));
            assertThat(index.lookupBefore(101)).isEqualTo(new TimestampOffset(100, 12));
            assertThat(index.lookupBefore(200)).isEqualTo(new TimestampOffset(100, 12));
            assertThat(index.lookupBefore(201)).isEqualTo(new TimestampOffset(200, 15));
            assertThatThrownBy(() -> index.maybeAppend(300, 14, false)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theLastSlotIsReservedForTheRollEntry() throws IOException {
        // proves: isFull leaves one slot so the final entry on roll always fits
        try (TimeIndex index = new TimeIndex(dir.resolve("00000000000000000000.timeindex"), 0, 36)) {
            index.reserve(3);
            index.maybeAppend(1, 1, false);
            index.maybeAppend(2, 2, false);
            assertThat(index.isFull()).isTrue();
            assertThatThrownBy(() -> index.maybeAppend(3, 3, false)).isInstanceOf(IllegalStateException.class);
            index.maybeAppend(3, 3, true);
            assertThat(index.lastEntry()).isEqualTo(new TimestampOffset(3, 3));
            index.maybeAppend(4, 4, true); // truly full: ignored rather than overflowing
            assertThat(index.entries()).isEqualTo(3);
        }
    }

    @Test
    void sanityCheckRejectsTornOrDecreasingFiles() throws IOException {
        // proves: the checks that make a corrupt time index get rebuilt
        Path file = dir.resolve("00000000000000000000.timeindex");
        try (TimeIndex index = new TimeIndex(file, 0, 1200)) {
            index.reserve(2);
            index.maybeAppend(10, 1, false);
            index.maybeAppend(20, 2, false);
        }
        try (TimeIndex index = new TimeIndex(file, 0, 1200)) {
            index.sanityCheck(100);
        }
        Files.write(file, new byte[] {0, 0, 0, 0, 0, 0, 0, 15, 0, 0, 0, 5}, java.nio.file.StandardOpenOption.APPEND);
        try (TimeIndex index = new TimeIndex(file, 0, 1200)) {
            assertThatThrownBy(() -> index.sanityCheck(100)).isInstanceOf(CorruptIndexException.class);
        }
        Files.write(file, new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
        try (TimeIndex index = new TimeIndex(file, 0, 1200)) {
            assertThatThrownBy(() -> index.sanityCheck(100)).isInstanceOf(CorruptIndexException.class);
        }
    }

    @Test
    void truncateToDropsEntriesAtOrAfterTheOffset() throws IOException {
        // proves: follower truncation removes the time entries of removed offsets
        try (TimeIndex index = new TimeIndex(dir.resolve("00000000000000000000.timeindex"), 0, 1200)) {
            index.reserve(3);
            index.maybeAppend(10, 1, false);
            index.maybeAppend(20, 5, false);
            index.maybeAppend(30, 9, false);
            index.truncateTo(5);
            assertThat(index.lastEntry()).isEqualTo(new TimestampOffset(10, 1));
        }
    }
}
