package io.brook.verticles.datadir;

import io.brook.storage.DurableFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code brook.pid} in a broker's data directory: the process id of the broker using it, one line,
 * for {@code kill} and {@code ./run.sh --stop}. Written (whole, by rename) once the directory is
 * locked, so it names the lock's holder; removed at a clean stop. A {@code kill -9} leaves it behind,
 * stale: the next broker on the directory overwrites it, and {@code run.sh --stop} checks that the
 * process it names is alive and a Brook node before signalling it.
 */
public final class PidFile {
  public static final String NAME = "brook.pid";

  private PidFile() {}

  public static void write(Path dataDir) throws IOException {
    DurableFile.write(dataDir.resolve(NAME),
        (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII));
  }

  public static void delete(Path dataDir) throws IOException {
    Files.deleteIfExists(dataDir.resolve(NAME));
  }
}
