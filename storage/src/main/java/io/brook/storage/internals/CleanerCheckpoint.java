package io.brook.storage.internals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * The per-partition file {@code cleaner-offset-checkpoint}: the first dirty offset, where the
 * cleaner's next round starts mapping keys (Kafka keeps one such file per data directory; Brook's
 * logs each have one owner, so each keeps its own).
 *
 * <p>Format, text: {@code 0} (format version), then {@code first-dirty-offset N}. Written
 * atomically after a round swapped in all its segments. A missing or malformed file means "from the
 * log start": the next round maps everything, which is slower but never wrong.
 */
public final class CleanerCheckpoint {

    private static final System.Logger LOG = System.getLogger(CleanerCheckpoint.class.getName());
    private static final String VERSION = "0";
    private static final String FIRST_DIRTY_OFFSET = "first-dirty-offset ";

    private CleanerCheckpoint() {
    }

    public static OptionalLong read(Path dir) throws IOException {
        Path file = dir.resolve(LogFiles.CLEANER_CHECKPOINT_FILE);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
        if (lines.size() == 2 && lines.get(0).equals(VERSION) && lines.get(1).startsWith(FIRST_DIRTY_OFFSET)) {
            try {
                return OptionalLong.of(Long.parseLong(lines.get(1).substring(FIRST_DIRTY_OFFSET.length())));
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        LOG.log(System.Logger.Level.WARNING, "Ignoring malformed {0} ({1}); the cleaner starts from the log start",
            file, lines);
        return OptionalLong.empty();
    }

    public static void write(Path dir, long firstDirtyOffset) throws IOException {
        String text = VERSION + "\n" + FIRST_DIRTY_OFFSET + firstDirtyOffset + "\n";
        LogFiles.atomicWrite(dir.resolve(LogFiles.CLEANER_CHECKPOINT_FILE), text.getBytes(StandardCharsets.UTF_8));
    }
}
