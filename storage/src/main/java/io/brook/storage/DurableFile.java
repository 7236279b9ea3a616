package io.brook.storage;

import io.brook.storage.internals.LogFiles;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Small state files that must survive a crash whole or not at all (a replica's vote, its node
 * identity): written to a temporary file, fsynced, renamed over the old one, and the directory
 * fsynced, so a reader sees either the old content or the new.
 */
public final class DurableFile {
  private DurableFile() {}

  public static void write(Path file, byte[] content) throws IOException {
    LogFiles.atomicWrite(file, content);
  }
}
