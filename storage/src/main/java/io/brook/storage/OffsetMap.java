package io.brook.storage;

import io.brook.storage.internals.KeyOffsets;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The cleaner's dedupe buffer: key to the latest offset seen for it, in a fixed block of memory
 * (Kafka's {@code SkimpyOffsetMap}, {@code log.cleaner.dedupe.buffer.size}). A key is stored as its
 * 16-byte MD5 hash beside an 8-byte offset, in an open-addressing table with linear probing; a slot
 * whose hash is all zeros is empty. Two keys with the same MD5 would count as one key (as in Kafka).
 *
 * <p>Bounded: at most {@link #maxEntries()} keys ({@value #LOAD_FACTOR} of the slots, Kafka's
 * {@code log.cleaner.io.buffer.load.factor}); the cleaner stops mapping before it is full.
 *
 * <p>Not thread-safe. The broker's cleaner scheduler owns one and lends it to one log at a time
 * (inside the clean request); the log uses it only until it answers.
 */
public final class OffsetMap implements KeyOffsets {

    static final double LOAD_FACTOR = 0.9;
    private static final int HASH_BYTES = 16;
    private static final int ENTRY_BYTES = HASH_BYTES + Long.BYTES;

    private final ByteBuffer table;
    private final int slots;
    private final MessageDigest digest;
    private final byte[] hash = new byte[HASH_BYTES];
    private int entries;

    /** A map using {@code memoryBytes} (whole 24-byte slots) of heap. */
    public OffsetMap(int memoryBytes) {
        if (memoryBytes < ENTRY_BYTES) {
            throw new IllegalArgumentException("An offset map needs at least " + ENTRY_BYTES + " bytes, not " + memoryBytes);
        }
        this.slots = memoryBytes / ENTRY_BYTES;
        this.table = ByteBuffer.allocate(slots * ENTRY_BYTES);
        try {
            this.digest = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is a required JDK algorithm", e);
        }
    }

    public int slots() {
        return slots;
    }

    /** How many keys the cleaner may put before it stops mapping. */
    @Override
    public int maxEntries() {
        return Math.max(1, (int) (slots * LOAD_FACTOR));
    }

    @Override
    public int size() {
        return entries;
    }

    @Override
    public void clear() {
        if (entries > 0) {
            Arrays.fill(table.array(), (byte) 0);
            entries = 0;
        }
    }

    /**
     * Records {@code offset} as the latest for {@code key} (the cleaner puts offsets in increasing
     * order, so the last put wins).
     *
     * @throws IllegalStateException when the map holds {@link #maxEntries()} keys and this one is new
     */
    @Override
    public void put(ByteBuffer key, long offset) {
        int slot = find(key);
        int at = slot * ENTRY_BYTES;
        if (isEmpty(at)) {
            if (entries >= maxEntries()) {
                throw new IllegalStateException("The offset map is full (" + entries + " keys)");
            }
            table.put(at, hash);
            entries++;
        }
        table.putLong(at + HASH_BYTES, offset);
    }

    /** The latest offset put for {@code key}, or -1. */
    @Override
    public long get(ByteBuffer key) {
        int at = find(key) * ENTRY_BYTES;
        return isEmpty(at) ? -1L : table.getLong(at + HASH_BYTES);
    }

    /** The slot holding the key's hash, or the empty slot where it would go; leaves the hash in {@link #hash}. */
    private int find(ByteBuffer key) {
        digest.update(key.duplicate());
        try {
            digest.digest(hash, 0, HASH_BYTES);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
        int slot = Math.floorMod(ByteBuffer.wrap(hash).getInt(), slots);
        for (int probes = 0; probes < slots; probes++) {
            int at = slot * ENTRY_BYTES;
            if (isEmpty(at) || sameHash(at)) {
                return slot;
            }
            slot = slot + 1 == slots ? 0 : slot + 1;
        }
        throw new IllegalStateException("The offset map has no free slot");
    }

    private boolean sameHash(int at) {
        for (int i = 0; i < HASH_BYTES; i++) {
            if (table.get(at + i) != hash[i]) {
                return false;
            }
        }
        return true;
    }

    private boolean isEmpty(int at) {
        for (int i = 0; i < HASH_BYTES; i++) {
            if (table.get(at + i) != 0) {
                return false;
            }
        }
        return true;
    }
}
