package io.brook.storage.internals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;

import static java.lang.System.Logger.Level.WARNING;

/**
 * Which leader epoch wrote which offsets: epoch to the first offset written in it. A follower
 * that lost its leader asks the new leader for the end offset of its own latest epoch and
 * truncates there, which is what keeps replicas from diverging after failover.
 *
 * <p>Persisted as {@code leader-epoch-checkpoint}, Kafka's format:
 * <pre>
 *   0                 format version
 *   2                 number of entries
 *   3 0               epoch start-offset
 *   5 1200
 * </pre>
 * rewritten atomically whenever the entries change (a new epoch, a truncation), which is rare.
 *
 * <p>Invariants: epochs and start offsets both strictly increase.
 * Not thread-safe: owned by the partition log's owner thread.
 */
public final class LeaderEpochCache {

    public static final String FILE_NAME = "leader-epoch-checkpoint";
    private static final System.Logger LOG = System.getLogger(LeaderEpochCache.class.getName());

    private final Path file;
    private final TreeMap<Integer, Long> startOffsets = new TreeMap<>();
    private boolean dirty;

    private LeaderEpochCache(Path file) {
        this.file = file;
    }

    /** Loads the cache of a partition directory; a missing or malformed file gives an empty cache. */
    public static LeaderEpochCache load(Path dir) throws IOException {
        LeaderEpochCache cache = new LeaderEpochCache(dir.resolve(FILE_NAME));
        List<String> lines;
        try {
            lines = Files.readAllLines(cache.file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return cache;
        }
        try {
            cache.parse(lines);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            LOG.log(WARNING, "Ignoring malformed leader epoch checkpoint {0}: {1}", cache.file, e.getMessage());
            cache.startOffsets.clear();
        }
        return cache;
    }

    private void parse(List<String> lines) {
        if (!lines.get(0).equals("0")) {
            throw new IllegalArgumentException("unknown version " + lines.get(0));
        }
        int count = Integer.parseInt(lines.get(1).trim());
        if (lines.size() != count + 2) {
            throw new IllegalArgumentException("expected " + count + " entries, found " + (lines.size() - 2));
        }
        for (String line : lines.subList(2, lines.size())) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length != 2) {
                throw new IllegalArgumentException("bad entry '" + line + "'");
            }
            int epoch = Integer.parseInt(fields[0]);
            long startOffset = Long.parseLong(fields[1]);
            Map.Entry<Integer, Long> last = startOffsets.lastEntry();
            if (last != null && (epoch <= last.getKey() || startOffset <= last.getValue())) {
                throw new IllegalArgumentException("entry '" + line + "' does not increase");
            }
            startOffsets.put(epoch, startOffset);
        }
    }

    /** Records that {@code epoch} starts at {@code startOffset}, if it is newer than the latest epoch. */
    public void assign(int epoch, long startOffset) {
        if (epoch < 0) {
            return;
        }
        Map.Entry<Integer, Long> latest = startOffsets.lastEntry();
        if (latest != null && epoch <= latest.getKey()) {
            if (epoch < latest.getKey()) {
                LOG.log(WARNING, "Ignoring epoch {0} at offset {1} in {2}: latest epoch is {3}",
                    epoch, startOffset, file, latest.getKey());
            }
            return;
        }
        startOffsets.values().removeIf(offset -> offset >= startOffset);
        startOffsets.put(epoch, startOffset);
        persist();
    }

    public OptionalInt latestEpoch() {
        return startOffsets.isEmpty() ? OptionalInt.empty() : OptionalInt.of(startOffsets.lastKey());
    }

    /**
     * The offset after the last one written in {@code epoch} (or in the latest epoch below it): the
     * start of the next epoch, or {@code logEndOffset} for the latest epoch. Empty when the cache
     * knows nothing at or below {@code epoch}, or {@code epoch} is newer than the latest.
     */
    public OptionalLong endOffsetFor(int epoch, long logEndOffset) {
        if (startOffsets.isEmpty() || epoch < startOffsets.firstKey() || epoch > startOffsets.lastKey()) {
            return OptionalLong.empty();
        }
        Map.Entry<Integer, Long> next = startOffsets.higherEntry(epoch);
        return OptionalLong.of(next == null ? logEndOffset : next.getValue());
    }

    /** The epoch whose batches hold {@code offset} (the latest one starting at or before it), or empty. */
    public OptionalInt epochForOffset(long offset) {
        Map.Entry<Integer, Long> holding = null;
        for (Map.Entry<Integer, Long> entry : startOffsets.entrySet()) {
            if (entry.getValue() <= offset) {
                holding = entry;
            }
        }
        return holding == null ? OptionalInt.empty() : OptionalInt.of(holding.getKey());
    }

    /** Forgets epochs that start at or after {@code endOffset} (after the log was truncated there). */
    public void truncateFromEnd(long endOffset) {
        if (startOffsets.values().removeIf(offset -> offset >= endOffset)) {
            persist();
        }
    }

    /** Drops epochs wholly below {@code startOffset}; the epoch covering it now starts there. */
    public void truncateFromStart(long startOffset) {
        Map.Entry<Integer, Long> covering = null;
        for (Map.Entry<Integer, Long> entry : startOffsets.entrySet()) {
            if (entry.getValue() <= startOffset) {
                covering = entry;
            }
        }
        if (covering == null || covering.getValue() == startOffset && covering.getKey().equals(startOffsets.firstKey())) {
            return;
        }
        int coveringEpoch = covering.getKey();
        startOffsets.headMap(coveringEpoch, false).clear();
        startOffsets.put(coveringEpoch, startOffset);
        persist();
    }

    public void clear() {
        if (!startOffsets.isEmpty()) {
            startOffsets.clear();
            persist();
        }
    }

    /** A snapshot of the entries, epoch to start offset. */
    public Map<Integer, Long> entries() {
        return new TreeMap<>(startOffsets);
    }

    /**
     * Writes the file. A failure (a full disk, say) must not fail the append that changed the
     * cache, so it is logged, remembered, and retried by {@link #persistIfDirty()} on the next flush.
     */
    private void persist() {
        try {
            write();
            dirty = false;
        } catch (IOException e) {
            dirty = true;
            LOG.log(WARNING, "Could not write " + file + "; will retry on the next flush", e);
        }
    }

    /** Retries a failed write; throws if it fails again. */
    public void persistIfDirty() throws IOException {
        if (dirty) {
            write();
            dirty = false;
        }
    }

    private void write() throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("0");
        lines.add(Integer.toString(startOffsets.size()));
        startOffsets.forEach((epoch, offset) -> lines.add(epoch + " " + offset));
        LogFiles.atomicWrite(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
