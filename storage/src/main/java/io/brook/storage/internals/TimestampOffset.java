package io.brook.storage.internals;

/**
 * A time index entry: no record at an offset {@code <= offset} in the segment has a timestamp
 * greater than {@code timestampMs}.
 */
public record TimestampOffset(long timestampMs, long offset) {
}
