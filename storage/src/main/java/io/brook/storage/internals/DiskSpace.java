package io.brook.storage.internals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tells a full disk from other I/O failures, so that the log can take the few steps that are safe
 * and useful on a full disk (free space first, leave a checkpoint stale) instead of going offline.
 *
 * <p>A failure counts as "out of space" when some exception in its cause chain says
 * {@code No space left on device} (Linux's ENOSPC, and what the JDK reports for it), or when the
 * file store of the directory has less than {@link #LOW_SPACE_BYTES} usable bytes left (some code
 * paths lose the message). Either way the caller only ever uses the answer to pick between two
 * safe orders of the same steps; a wrong "yes" costs an early file deletion, never data.
 *
 * <p>Stateless.
 */
public final class DiskSpace {

    /** Below this many usable bytes a file store counts as full: a few checkpoint pages. */
    public static final long LOW_SPACE_BYTES = 64 * 1024;
    private static final String ENOSPC_MESSAGE = "No space left on device";
    private static final int MAX_CAUSES = 16;

    private DiskSpace() {
    }

    /** Whether {@code failure}, raised by I/O in {@code dir}, means the disk is full. */
    public static boolean isOutOfSpace(Throwable failure, Path dir) {
        return saysNoSpace(failure) || isLow(dir);
    }

    /** Whether the file store holding {@code dir} has less than {@link #LOW_SPACE_BYTES} usable bytes left. */
    public static boolean isLow(Path dir) {
        return usableBytes(dir) < LOW_SPACE_BYTES;
    }

    /** Whether the message of {@code failure} or of one of its causes is ENOSPC's. */
    public static boolean saysNoSpace(Throwable failure) {
        Throwable current = failure;
        for (int depth = 0; current != null && depth < MAX_CAUSES; depth++) {
            String message = current.getMessage();
            if (message != null && message.contains(ENOSPC_MESSAGE)) {
                return true;
            }
            current = current.getCause();
        }
        return false;
    }

    /** Usable bytes of the file store holding {@code dir}; {@code Long.MAX_VALUE} when unknown. */
    public static long usableBytes(Path dir) {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException | RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }
}
