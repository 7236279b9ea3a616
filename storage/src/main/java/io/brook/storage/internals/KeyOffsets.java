package io.brook.storage.internals;

import java.nio.ByteBuffer;

/**
 * What the cleaner needs of its dedupe buffer: key to the latest offset mapped, with a bound. The
 * implementation is the public {@code io.brook.storage.OffsetMap}, which the broker allocates.
 */
public interface KeyOffsets {

    void clear();

    int size();

    /** How many keys may be put; the cleaner stops mapping before it would exceed this. */
    int maxEntries();

    /** @throws IllegalStateException when full and {@code key} is new */
    void put(ByteBuffer key, long offset);

    /** The latest offset put for {@code key}, or -1. */
    long get(ByteBuffer key);
}
