package io.brook.verticles.datadir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A broker's hold on its directories, from start to stop: {@code data.dir} (and a separate
 * {@code metadata.log.dir}) locked against a second broker ({@link DirectoryLock}), the broker's PID
 * in {@code data.dir/brook.pid} ({@link PidFile}), and a data directory that a former layout left
 * empty refused ({@link FormerLayout}). Taken before anything reads or writes the directories, and
 * released after the logs are closed. Blocking file I/O: on a worker thread.
 */
public final class DataDirClaim implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(DataDirClaim.class.getName());
  private final Path dataDir;
  private final DirectoryLock data;
  private final Optional<DirectoryLock> metadata;
  /** Removes the pid file when the JVM exits still holding the claim: stopped during its start (no stop()). */
  private final Thread pidFileRemover;

  private DataDirClaim(Path dataDir, DirectoryLock data, Optional<DirectoryLock> metadata) {
    this.dataDir = dataDir;
    this.data = data;
    this.metadata = metadata;
    this.pidFileRemover = new Thread(() -> deletePidFile(dataDir), "brook-pid-file-remover");
    Runtime.getRuntime().addShutdownHook(pidFileRemover);
  }

  /** Claims the directories of node {@code nodeId}, or throws with the one line that says why not. */
  public static DataDirClaim take(int nodeId, Path dataDir, Path metadataLogDir) throws IOException {
    FormerLayout.throwIfDataIsInParent(dataDir, nodeId);
    Files.createDirectories(dataDir);
    DirectoryLock data = DirectoryLock.acquire(dataDir, "data dir");
    Optional<DirectoryLock> metadata = Optional.empty();
    try {
      if (!normalized(metadataLogDir).equals(normalized(dataDir))) {
        Files.createDirectories(metadataLogDir);
        metadata = Optional.of(DirectoryLock.acquire(metadataLogDir, "metadata.log.dir"));
      }
    } catch (IOException | RuntimeException e) {
      data.close();
      throw e;
    }
    writePidFile(dataDir);
    return new DataDirClaim(dataDir, data, metadata);
  }

  /**
   * Throws, with the line {@link #take} would say, if the directories of node {@code nodeId} cannot be
   * claimed now (a former layout, another broker holding them); claims nothing. For the node's start,
   * so that such a node is refused before it joins its cluster.
   */
  public static void throwIfTaken(int nodeId, Path dataDir, Path metadataLogDir) throws IOException {
    FormerLayout.throwIfDataIsInParent(dataDir, nodeId);
    for (Path dir : normalized(metadataLogDir).equals(normalized(dataDir)) ? java.util.List.of(dataDir)
        : java.util.List.of(dataDir, metadataLogDir)) {
      if (Files.isDirectory(dir)) {
        DirectoryLock.acquire(dir, dir == dataDir ? "data dir" : "metadata.log.dir").close();
      }
    }
  }

  /** Best effort: a broker on a full data disk still starts (its metadata may be on another disk). */
  private static void writePidFile(Path dataDir) {
    try {
      PidFile.write(dataDir);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "Cannot write " + dataDir.resolve(PidFile.NAME) + " (" + e
          + "): ./run.sh --stop will not find this node; stop it with Ctrl-C or kill " + ProcessHandle.current().pid());
    }
  }

  private static void deletePidFile(Path dataDir) {
    try {
      PidFile.delete(dataDir);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "Cannot remove " + dataDir.resolve(PidFile.NAME) + ": " + e);
    }
  }

  /** Removes the pid file, then releases the locks: once they are free, another broker may start here. */
  @Override
  public void close() throws IOException {
    try {
      Runtime.getRuntime().removeShutdownHook(pidFileRemover);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs (or ran) anyway
    }
    try {
      PidFile.delete(dataDir);
    } finally {
      try {
        if (metadata.isPresent()) {
          metadata.get().close();
        }
      } finally {
        data.close();
      }
    }
  }

  private static Path normalized(Path path) {
    return path.toAbsolutePath().normalize();
  }
}
