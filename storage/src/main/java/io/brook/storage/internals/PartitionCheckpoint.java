package io.brook.storage.internals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The per-partition checkpoint file {@code offsets.checkpoint}: the log start offset (advanced by
 * retention) and the recovery point (every offset below it is fsynced, so recovery starts there).
 *
 * <p>Format, text, one value a line:
 * <pre>
 *   0                          format version
 *   log-start-offset 1234
 *   recovery-point 5678
 * </pre>
 * Written atomically (temp file, fsync, rename, directory fsync). A file that does not parse is
 * reported at WARN and treated as absent, which means a full recovery: safe, only slower.
 */
public record PartitionCheckpoint(long logStartOffset, long recoveryPoint) {

    public static final String FILE_NAME = "offsets.checkpoint";
    private static final System.Logger LOG = System.getLogger(PartitionCheckpoint.class.getName());
    private static final String VERSION = "0";
    private static final String LOG_START_OFFSET = "log-start-offset ";
    private static final String RECOVERY_POINT = "recovery-point ";

    public static Optional<PartitionCheckpoint> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            if (lines.size() != 3 || !lines.get(0).equals(VERSION)
                || !lines.get(1).startsWith(LOG_START_OFFSET) || !lines.get(2).startsWith(RECOVERY_POINT)) {
                throw new IllegalArgumentException("unexpected layout " + lines);
            }
            long logStartOffset = Long.parseLong(lines.get(1).substring(LOG_START_OFFSET.length()));
            long recoveryPoint = Long.parseLong(lines.get(2).substring(RECOVERY_POINT.length()));
            return Optional.of(new PartitionCheckpoint(logStartOffset, recoveryPoint));
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "Ignoring malformed checkpoint {0} ({1}); the whole log will be recovered",
                file, e.getMessage());
            return Optional.empty();
        }
    }

    public void write(Path dir) throws IOException {
        String text = VERSION + "\n" + LOG_START_OFFSET + logStartOffset + "\n" + RECOVERY_POINT + recoveryPoint + "\n";
        LogFiles.atomicWrite(dir.resolve(FILE_NAME), text.getBytes(StandardCharsets.UTF_8));
    }
}
