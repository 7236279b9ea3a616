package io.brook.storage.internals;

import org.apache.kafka.common.utils.internals.ByteBufferUnmapper;

import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import java.util.function.IntToLongFunction;

/**
 * A memory-mapped file of fixed-size entries sorted by offset: the common part of
 * {@link OffsetIndex} and {@link TimeIndex}.
 *
 * <p>Format: {@code entries * entrySize()} bytes of entries from the start of the file, then zero
 * or more bytes of preallocation. An index of the active segment is preallocated to
 * {@code segment.index.bytes} (rounded down to whole entries) as a sparse file and trimmed to its
 * entries when the segment rolls or the log closes. When an existing file is opened every whole
 * entry in it counts; a preallocated file left by a crash therefore shows trailing zero entries,
 * which {@code sanityCheck} rejects, and the owner rebuilds the index from the log.
 *
 * <p>Disk-full safety: writing through a mapping into a hole of a sparse file that the file
 * system cannot back raises SIGBUS, which would kill the JVM. So before entries are added the
 * owner calls {@link #reserve(int)}, which backs the pages they will touch with a normal
 * positional write; that fails with an ordinary {@link IOException} when the disk is full.
 *
 * <p>Not thread-safe: owned by the thread that owns the partition log.
 */
public abstract class AbstractIndex implements Closeable {

    private static final int PAGE_BYTES = 4096;
    private static final ByteBuffer ZERO_PAGE = ByteBuffer.allocateDirect(PAGE_BYTES).asReadOnlyBuffer();

    protected final long baseOffset;
    private final Path file;
    private MappedByteBuffer mmap;
    private int entries;
    private int maxEntries;
    /** File bytes known to be backed by disk blocks, so that mmap writes below it cannot SIGBUS. */
    private long allocatedBytes;

    protected AbstractIndex(Path file, long baseOffset, int maxIndexBytes) throws IOException {
        this.file = file;
        this.baseOffset = baseOffset;
        boolean newlyCreated = !Files.exists(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            if (newlyCreated) {
                raf.setLength(roundDownToEntries(maxIndexBytes));
            }
            long lengthBytes = raf.length();
            this.mmap = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, lengthBytes);
            this.entries = newlyCreated ? 0 : (int) (lengthBytes / entrySize());
        }
        this.maxEntries = mmap.limit() / entrySize();
        this.allocatedBytes = roundUpToPage((long) entries * entrySize());
        mmap.position(entries * entrySize());
    }

    /** Bytes per entry. */
    protected abstract int entrySize();

    /** Checks the entries against the log this index describes; throws if they cannot be trusted. */
    public abstract void sanityCheck(long logSizeBytes);

    public Path file() {
        return file;
    }

    public long baseOffset() {
        return baseOffset;
    }

    public int entries() {
        return entries;
    }

    public int maxEntries() {
        return maxEntries;
    }

    public boolean isFull() {
        return entries >= maxEntries;
    }

    /** Size of the file in bytes (preallocation included). */
    public long lengthBytes() {
        return mmap.limit();
    }

    /** Backs with disk blocks the pages the next {@code moreEntries} entries will be written to. */
    public void reserve(int moreEntries) throws IOException {
        long targetBytes = Math.min((long) maxEntries, (long) entries + moreEntries) * entrySize();
        if (targetBytes <= allocatedBytes) {
            return;
        }
        long endBytes = Math.min(roundUpToPage(targetBytes), mmap.limit());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (long position = allocatedBytes; position < endBytes; position += PAGE_BYTES) {
                ByteBuffer zeros = ZERO_PAGE.duplicate();
                zeros.limit((int) Math.min(PAGE_BYTES, endBytes - position));
                while (zeros.hasRemaining()) {
                    channel.write(zeros, position + zeros.position());
                }
            }
        }
        allocatedBytes = endBytes;
    }

    /** Adds an entry at the end; the caller has checked ordering and capacity. */
    protected void appendEntry(long offset, Consumer<ByteBuffer> writer) {
        if (entries >= maxEntries) {
            throw new IllegalStateException("Attempt to append to a full index " + file + " (" + entries + " entries)");
        }
        if ((long) (entries + 1) * entrySize() > allocatedBytes) {
            throw new IllegalStateException("Index " + file + " entry " + entries + " was not reserved before append");
        }
        writer.accept(mmap);
        entries++;
    }

    /** Relative offset stored in an entry; the caller guarantees it fits an int. */
    protected int relativeOffset(long offset) {
        long relative = offset - baseOffset;
        if (relative < 0 || relative > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Offset " + offset + " does not fit index " + file
                + " with base offset " + baseOffset);
        }
        return (int) relative;
    }

    protected ByteBuffer buffer() {
        return mmap;
    }

    /** Drops all entries (used before rebuilding the index from the log). */
    public void reset() {
        truncateToEntries(0);
    }

    /** Keeps the first {@code newEntries} entries. */
    protected void truncateToEntries(int newEntries) {
        entries = newEntries;
        mmap.position(newEntries * entrySize());
    }

    /**
     * Index of the last entry whose key is {@code <= target} (or {@code < target} when
     * {@code strict}), -1 when there is none. Keys must be non-decreasing.
     */
    protected int largestLowerBound(long target, boolean strict, IntToLongFunction key) {
        int low = 0;
        int high = entries - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            long midKey = key.applyAsLong(mid);
            boolean below = strict ? midKey < target : midKey <= target;
            if (below) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found;
    }

    /** Changes the file length (keeping entries) and remaps it. */
    public void resize(int newMaxIndexBytes) throws IOException {
        long newLengthBytes = Math.max(roundDownToEntries(newMaxIndexBytes), (long) entries * entrySize());
        if (newLengthBytes == mmap.limit()) {
            return;
        }
        unmap();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(newLengthBytes);
            mmap = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, newLengthBytes);
        }
        maxEntries = mmap.limit() / entrySize();
        allocatedBytes = Math.min(allocatedBytes, newLengthBytes);
        mmap.position(entries * entrySize());
    }

    /** Shrinks the file to exactly its entries (on roll and close) so a reopen counts no zeros. */
    public void trimToValidSize() throws IOException {
        resize(entries * entrySize());
    }

    /** Writes dirty pages of the mapping to disk. */
    public void flush() {
        mmap.force();
    }

    @Override
    public void close() throws IOException {
        if (mmap == null) {
            return;
        }
        trimToValidSize();
        unmap();
    }

    /** Releases the mapping without trimming (for files about to be deleted or rebuilt). */
    public void closeWithoutTrim() throws IOException {
        unmap();
    }

    private void unmap() throws IOException {
        if (mmap != null) {
            ByteBufferUnmapper.unmap(file.toString(), mmap);
            mmap = null;
        }
    }

    private long roundDownToEntries(long bytes) {
        return bytes - bytes % entrySize();
    }

    private static long roundUpToPage(long bytes) {
        return (bytes + PAGE_BYTES - 1) / PAGE_BYTES * PAGE_BYTES;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(file=" + file + ", baseOffset=" + baseOffset + ", entries=" + entries
            + ", maxEntries=" + maxEntries + ")";
    }
}
