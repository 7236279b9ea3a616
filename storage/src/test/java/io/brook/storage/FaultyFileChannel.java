package io.brook.storage;

import io.brook.storage.internals.SegmentFileFactory;
import org.apache.kafka.common.record.internal.TestFileRecords;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.StandardOpenOption;

/**
 * A {@link FileChannel} that counts writes and fsyncs and behaves like a real one until told to fail: writes then write a few
 * bytes (as a disk filling up mid-write does) and throw "No space left on device"; truncate and
 * force can fail too. Controlled through a shared {@link Faults}.
 */
final class FaultyFileChannel extends FileChannel {

    /** The switches, shared by every channel a test opens. */
    static final class Faults {
        volatile boolean failWrites;
        volatile int bytesBeforeFailure;
        volatile boolean failTruncate;
        volatile boolean failForce;
        /** Calls that reached the file, for tests that count writes and fsyncs. */
        final java.util.concurrent.atomic.AtomicInteger writeCalls = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger forceCalls = new java.util.concurrent.atomic.AtomicInteger();
    }

    private final FileChannel delegate;
    private final Faults faults;

    FaultyFileChannel(FileChannel delegate, Faults faults) {
        this.delegate = delegate;
        this.faults = faults;
    }

    /** Opens every segment file of a log on a faulty channel controlled by {@code faults}. */
    static SegmentFileFactory files(Faults faults) {
        return (file, exists) -> TestFileRecords.withChannel(file,
            new FaultyFileChannel(FileChannel.open(file.toPath(), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE), faults));
    }

    private IOException diskFull() {
        return new IOException("No space left on device (injected)");
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        faults.writeCalls.incrementAndGet();
        if (!faults.failWrites) {
            return delegate.write(src);
        }
        int partial = Math.min(faults.bytesBeforeFailure, src.remaining());
        if (partial > 0) {
            ByteBuffer head = src.duplicate();
            head.limit(head.position() + partial);
            delegate.write(head);
        }
        throw diskFull();
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        faults.writeCalls.incrementAndGet();
        if (faults.failWrites) {
            throw diskFull();
        }
        return delegate.write(srcs, offset, length);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        faults.writeCalls.incrementAndGet();
        if (faults.failWrites) {
            throw diskFull();
        }
        return delegate.write(src, position);
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        if (faults.failTruncate) {
            throw new IOException("Input/output error (injected)");
        }
        delegate.truncate(size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        faults.forceCalls.incrementAndGet();
        if (faults.failForce) {
            throw new IOException("Input/output error on fsync (injected)");
        }
        delegate.force(metaData);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return delegate.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return delegate.read(dsts, offset, length);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return delegate.read(dst, position);
    }

    @Override
    public long position() throws IOException {
        return delegate.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        delegate.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return delegate.size();
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return delegate.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return delegate.transferFrom(src, position, count);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return delegate.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return delegate.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return delegate.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        delegate.close();
    }
}
