package io.brook.storage.internals;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

import static java.lang.System.Logger.Level.WARNING;

/**
 * Deletes segments that retention or truncation removed from the log, after
 * {@code file.delete.delay.ms}: the files are renamed {@code *.deleted} at once (so a restart
 * never loads them again) but the log channel stays open until the delay passes, so a read slice
 * already handed to a transport can still be sent.
 *
 * <p>Not thread-safe: owned by the partition log's owner thread.
 */
public final class SegmentDeleter {

    private static final System.Logger LOG = System.getLogger(SegmentDeleter.class.getName());

    private record Pending(LogSegment segment, long deleteAtMs) {
    }

    private final Deque<Pending> pending = new ArrayDeque<>();

    /** Renames the segment's files now and deletes them once {@code delayMs} has passed. */
    public void schedule(LogSegment segment, long nowMs, long delayMs) throws IOException {
        segment.renameForDeletion();
        if (delayMs <= 0) {
            segment.deleteFiles();
        } else {
            pending.addLast(new Pending(segment, nowMs + delayMs));
        }
    }

    /** Deletes the segments whose delay has passed; returns how many. */
    public int deleteExpired(long nowMs) {
        int deleted = 0;
        while (!pending.isEmpty() && pending.peekFirst().deleteAtMs() <= nowMs) {
            deleteQuietly(pending.pollFirst().segment());
            deleted++;
        }
        return deleted;
    }

    /** Deletes every pending segment now (on close). */
    public void deleteAll() {
        while (!pending.isEmpty()) {
            deleteQuietly(pending.pollFirst().segment());
        }
    }

    public int pendingCount() {
        return pending.size();
    }

    private static void deleteQuietly(LogSegment segment) {
        try {
            segment.deleteFiles();
        } catch (IOException e) {
            // the files are already renamed *.deleted, and the next load removes them
            LOG.log(WARNING, "Could not delete the files of " + segment + "; they will be removed on the next load", e);
        }
    }
}
