package io.brook.storage.internals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LeaderEpochCacheTest {

    @TempDir
    Path dir;

    @Test
    void persistsInKafkasCheckpointFormat() throws IOException {
        // proves: the file is "version, count, epoch offset" lines and reloads to the same entries
        LeaderEpochCache cache = LeaderEpochCache.load(dir);
        cache.assign(0, 0);
        cache.assign(0, 5);   // same epoch: no new entry
        cache.assign(2, 10);
        assertThat(Files.readString(dir.resolve(LeaderEpochCache.FILE_NAME))).isEqualTo("0\n2\n0 0\n2 10\n");
        assertThat(LeaderEpochCache.load(dir).entries()).isEqualTo(Map.of(0, 0L, 2, 10L));
    }

    @Test
    void endOffsetsAndTruncation() throws IOException {
        // proves: an epoch ends where the next begins; truncation from either end keeps the cache truthful
        LeaderEpochCache cache = LeaderEpochCache.load(dir);
        cache.assign(1, 0);
        cache.assign(3, 10);
        cache.assign(4, 20);
        assertThat(cache.endOffsetFor(1, 30)).hasValue(10);
        assertThat(cache.endOffsetFor(2, 30)).hasValue(10);
        assertThat(cache.endOffsetFor(4, 30)).hasValue(30);
        assertThat(cache.endOffsetFor(5, 30)).isEmpty();
        cache.truncateFromEnd(20);
        assertThat(cache.latestEpoch()).hasValue(3);
        cache.truncateFromStart(15);
        assertThat(cache.entries()).isEqualTo(Map.of(3, 15L));
        assertThat(LeaderEpochCache.load(dir).entries()).isEqualTo(Map.of(3, 15L));
    }

    @Test
    void malformedFileLoadsEmpty() throws IOException {
        // proves: a damaged cache file is reported and ignored rather than failing the log open
        Files.writeString(dir.resolve(LeaderEpochCache.FILE_NAME), "0\n2\n5 100\n3 200\n");
        assertThat(LeaderEpochCache.load(dir).entries()).isEmpty();
    }
}
