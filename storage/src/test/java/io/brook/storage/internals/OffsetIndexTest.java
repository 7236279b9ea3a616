package io.brook.storage.internals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OffsetIndexTest {

    @TempDir
    Path dir;

    @Test
    void lookupReturnsTheLargestEntryAtOrBelowTheTarget() throws IOException {
        // proves: floor lookups, including below the first entry, on Kafka's 8-byte entry format
        try (OffsetIndex index = new OffsetIndex(dir.resolve("00000000000000000100.index"), 100, 1024)) {
            index.reserve(3);
            index.append(105, 400);
            index.append(110, 900);
            index.append(120, 1500);
            assertThat(index.lookup(99)).isEqualTo(new OffsetPosition(100, 0));
            assertThat(index.lookup(104)).isEqualTo(new OffsetPosition(100, 0));
            assertThat(index.lookup(105)).isEqualTo(new OffsetPosition(105, 400));
            assertThat(index.lookup(119)).isEqualTo(new OffsetPosition(110, 900));
            assertThat(index.lookup(5000)).isEqualTo(new OffsetPosition(120, 1500));
        }
    }

    @Test
    void appendRejectsEntriesThatDoNotIncrease() throws IOException {
        // proves: the strictly-increasing invariant is enforced on the write side too
        try (OffsetIndex index = new OffsetIndex(dir.resolve("00000000000000000000.index"), 0, 1024)) {
            index.reserve(2);
            index.append(10, 100);
            assertThatThrownBy(() -> index.append(10, 200)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> index.append(11, 100)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void fullIndexRefusesAppends() throws IOException {
        // proves: capacity is segment.index.bytes rounded down to whole entries
        try (OffsetIndex index = new OffsetIndex(dir.resolve("00000000000000000000.index"), 0, 20)) {
            assertThat(index.maxEntries()).isEqualTo(2);
            index.reserve(3);
            index.append(1, 10);
            index.append(2, 20);
            assertThat(index.isFull()).isTrue();
            assertThatThrownBy(() -> index.append(3, 30)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void truncateToRemovesEntriesAtOrAfterTheOffset() throws IOException {
        // proves: truncation keeps exactly the entries below the offset
        try (OffsetIndex index = new OffsetIndex(dir.resolve("00000000000000000000.index"), 0, 1024)) {
            index.reserve(3);
            index.append(5, 50);
            index.append(10, 100);
            index.append(15, 150);
            index.truncateTo(10);
            assertThat(index.entries()).isEqualTo(1);
            assertThat(index.lastEntry()).isEqualTo(new OffsetPosition(5, 50));
            index.append(8, 80);
            assertThat(index.lastEntry()).isEqualTo(new OffsetPosition(8, 80));
        }
    }

    @Test
    void closeTrimsThePreallocatedFileAndReopenCountsTheEntries() throws IOException {
        // proves: preallocation on create, trim on close, entries recovered from the file length
        Path file = dir.resolve("00000000000000000000.index");
        try (OffsetIndex index = new OffsetIndex(file, 0, 4096)) {
            assertThat(Files.size(file)).isEqualTo(4096);
            index.reserve(2);
            index.append(3, 30);
            index.append(7, 70);
        }
        assertThat(Files.size(file)).isEqualTo(16);
        try (OffsetIndex reopened = new OffsetIndex(file, 0, 4096)) {
            assertThat(reopened.entries()).isEqualTo(2);
            assertThat(reopened.lookup(8)).isEqualTo(new OffsetPosition(7, 70));
            reopened.sanityCheck(100);
            assertThatThrownBy(() -> reopened.sanityCheck(70)).isInstanceOf(CorruptIndexException.class);
        }
    }

    @Test
    void preallocatedZerosFromACrashFailTheSanityCheck() throws IOException {
        // proves: an untrimmed index left by a crash is detected (its zero entries do not increase)
        Path file = dir.resolve("00000000000000000000.index");
        OffsetIndex index = new OffsetIndex(file, 0, 4096);
        index.reserve(1);
        index.append(3, 30);
        index.flush();
        index.closeWithoutTrim();
        try (OffsetIndex reopened = new OffsetIndex(file, 0, 4096)) {
            assertThat(reopened.entries()).isEqualTo(512);
            assertThatThrownBy(() -> reopened.sanityCheck(10_000)).isInstanceOf(CorruptIndexException.class);
        }
    }

    @Test
    void reserveBacksThePagesEntriesWillUse() throws IOException {
        // proves: entries are written only into pages that were backed by a normal write first
        Path file = dir.resolve("00000000000000000000.index");
        try (OffsetIndex index = new OffsetIndex(file, 0, 1 << 20)) {
            assertThatThrownBy(() -> index.append(1, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("reserved");
            index.reserve(600);
            for (int i = 1; i <= 600; i++) {
                index.append(i, i * 10);
            }
        }
    }
}
