package io.brook.storage.internals;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.OptionalLong;

/**
 * File names of a partition directory, Kafka's layout, and the few file-system operations the log
 * needs to be crash-safe (atomic replace, directory fsync).
 *
 * <pre>
 *   00000000000000000000.log        record batches (v2), base offset zero-padded to 20 digits
 *   00000000000000000000.index      sparse offset index ({@link OffsetIndex})
 *   00000000000000000000.timeindex  sparse time index ({@link TimeIndex})
 *   *.deleted                       a segment removed by retention/truncation, awaiting deletion
 *   *.cleaned                       the cleaner's new segment being written (removed on load)
 *   *.swap                          the cleaner's new segment, complete: load finishes its swap
 *   cleaner-offset-checkpoint       where the cleaner's next round starts ({@link CleanerCheckpoint})
 *   offsets.checkpoint              log start offset and recovery point ({@link PartitionCheckpoint})
 *   leader-epoch-checkpoint         leader epoch to start offset ({@link LeaderEpochCache})
 *   .brook_cleanshutdown            present only after a clean close
 *   *.tmp                           a checkpoint being written; never trusted
 * </pre>
 */
public final class LogFiles {

    public static final String LOG_SUFFIX = ".log";
    public static final String INDEX_SUFFIX = ".index";
    public static final String TIME_INDEX_SUFFIX = ".timeindex";
    public static final String DELETED_SUFFIX = ".deleted";
    public static final String TMP_SUFFIX = ".tmp";
    public static final String CLEAN_SHUTDOWN_FILE = ".brook_cleanshutdown";
    /** The cleaner's new segment while it is written; never trusted by recovery. */
    public static final String CLEANED_SUFFIX = ".cleaned";
    /** The cleaner's new segment once complete and fsynced: recovery completes its swap. */
    public static final String SWAP_SUFFIX = ".swap";
    public static final String CLEANER_CHECKPOINT_FILE = "cleaner-offset-checkpoint";

    private LogFiles() {
    }

    /** The 20-digit, zero-padded base offset that names a segment's files. */
    public static String filenamePrefix(long baseOffset) {
        return String.format("%020d", baseOffset);
    }

    /** {@code file} with {@code suffix} appended to its name ("" leaves it as it is). */
    public static Path withSuffix(Path file, String suffix) {
        return suffix.isEmpty() ? file : file.resolveSibling(file.getFileName() + suffix);
    }

    public static Path logFile(Path dir, long baseOffset) {
        return dir.resolve(filenamePrefix(baseOffset) + LOG_SUFFIX);
    }

    public static Path offsetIndexFile(Path dir, long baseOffset) {
        return dir.resolve(filenamePrefix(baseOffset) + INDEX_SUFFIX);
    }

    public static Path timeIndexFile(Path dir, long baseOffset) {
        return dir.resolve(filenamePrefix(baseOffset) + TIME_INDEX_SUFFIX);
    }

    /** The base offset of a segment file named {@code <20 digits><suffix>}, if it is one. */
    public static OptionalLong baseOffset(Path file, String suffix) {
        String name = file.getFileName().toString();
        if (!name.endsWith(suffix) || name.length() != 20 + suffix.length()) {
            return OptionalLong.empty();
        }
        String digits = name.substring(0, 20);
        if (!digits.chars().allMatch(Character::isDigit)) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(digits));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Replaces {@code target} with {@code content} so a crash leaves either the old or the new file.
     * If the write fails (a full disk) the temp file is removed again, so a failed attempt holds no
     * space, and {@code target} is untouched.
     */
    public static void atomicWrite(Path target, byte[] content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + TMP_SUFFIX);
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup); // the next load removes *.tmp anyway
            }
            throw e;
        }
        atomicMove(tmp, target);
        fsyncDir(target.getParent());
    }

    public static void atomicMove(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Makes creations, renames and deletions in {@code dir} durable. */
    public static void fsyncDir(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Creates the clean-shutdown marker durably. */
    public static void writeCleanShutdownMarker(Path dir) throws IOException {
        atomicWrite(dir.resolve(CLEAN_SHUTDOWN_FILE), new byte[0]);
    }

    /** Removes the clean-shutdown marker durably; returns whether it was there. */
    public static boolean removeCleanShutdownMarker(Path dir) throws IOException {
        boolean existed = Files.deleteIfExists(dir.resolve(CLEAN_SHUTDOWN_FILE));
        if (existed) {
            fsyncDir(dir);
        }
        return existed;
    }

    /** Deletes a directory tree; a missing directory is fine. */
    public static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
