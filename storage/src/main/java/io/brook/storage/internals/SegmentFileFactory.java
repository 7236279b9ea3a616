package io.brook.storage.internals;

import org.apache.kafka.common.record.internal.FileRecords;

import java.io.File;
import java.io.IOException;

/**
 * Opens the {@code .log} file of a segment. Production code uses {@link #DEFAULT}; tests pass a
 * factory whose channel fails on demand, to prove the log survives I/O errors such as a full disk.
 */
@FunctionalInterface
public interface SegmentFileFactory {

    /** Opens (creating when {@code !fileAlreadyExists}) a mutable segment file. */
    FileRecords open(File file, boolean fileAlreadyExists) throws IOException;

    SegmentFileFactory DEFAULT = (file, fileAlreadyExists) -> FileRecords.open(file, fileAlreadyExists, 0, false);
}
