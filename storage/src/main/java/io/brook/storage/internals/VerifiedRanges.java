package io.brook.storage.internals;

import java.util.Map;
import java.util.TreeMap;

/**
 * The byte ranges of one segment file whose batches are known to be intact in this process: they
 * passed validation before they were written, during recovery, or the first time a read served
 * them. A read checks the CRC32C of the batches outside these ranges only, so every byte costs one
 * CRC pass per process lifetime, not one per read.
 *
 * <p>Invariant: ranges are disjoint, non-empty and not adjacent (adjacent ones are merged). At most
 * {@link #MAX_RANGES}: beyond that a new range is not recorded (its batches are checked again when
 * read again), which bounds memory under random reads.
 *
 * <p>Not thread-safe: owned by the segment's owner thread.
 */
final class VerifiedRanges {

    static final int MAX_RANGES = 1024;

    /** start position to end position (exclusive). */
    private final TreeMap<Integer, Integer> ranges = new TreeMap<>();

    /** Whether every byte of {@code [start, end)} is verified. */
    boolean covers(int start, int end) {
        Map.Entry<Integer, Integer> floor = ranges.floorEntry(start);
        return floor != null && floor.getValue() >= end;
    }

    /** Records {@code [start, end)} as verified, merging with overlapping or adjacent ranges. */
    void add(int start, int end) {
        if (end <= start) {
            return;
        }
        int newStart = start;
        int newEnd = end;
        Map.Entry<Integer, Integer> floor = ranges.floorEntry(start);
        if (floor != null && floor.getValue() >= start) {
            newStart = floor.getKey();
            newEnd = Math.max(newEnd, floor.getValue());
        }
        Map.Entry<Integer, Integer> next;
        while ((next = ranges.ceilingEntry(newStart)) != null && next.getKey() <= newEnd) {
            newEnd = Math.max(newEnd, next.getValue());
            ranges.remove(next.getKey());
        }
        if (ranges.size() >= MAX_RANGES && !ranges.containsKey(newStart)) {
            return;
        }
        ranges.put(newStart, newEnd);
    }

    /** Forgets everything at or after {@code position} (the file was cut there, or bytes there are corrupt). */
    void removeFrom(int position) {
        ranges.tailMap(position, true).clear();
        Map.Entry<Integer, Integer> floor = ranges.floorEntry(position);
        if (floor != null && floor.getValue() > position) {
            ranges.put(floor.getKey(), position);
        }
    }

    /** Forgets {@code [start, end)}. */
    void remove(int start, int end) {
        Map.Entry<Integer, Integer> floor = ranges.floorEntry(start);
        Integer afterEnd = null;
        Map.Entry<Integer, Integer> last = ranges.lowerEntry(end);
        if (last != null && last.getValue() > end) {
            afterEnd = last.getValue();
        }
        ranges.subMap(start, true, end, false).clear();
        if (floor != null && floor.getKey() < start && floor.getValue() > start) {
            ranges.put(floor.getKey(), start);
        }
        if (afterEnd != null) {
            ranges.put(end, afterEnd);
        }
    }

    void clear() {
        ranges.clear();
    }

    int size() {
        return ranges.size();
    }

    @Override
    public String toString() {
        return ranges.toString();
    }
}
