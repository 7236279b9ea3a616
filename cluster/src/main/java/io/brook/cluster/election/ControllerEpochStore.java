package io.brook.cluster.election;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * The highest controller epoch this broker has accepted, and from which controller, in
 * {@code <data.dir>/controller.epoch} (one line: {@code <epoch> <controllerId>}). It is what keeps epochs
 * from going backwards when the cluster counter is lost (Hazelcast after a full restart, ZooKeeper after
 * losing its data): the next controller allocates above it, and brokers refuse anything below it. The
 * controller id tells a reused epoch apart: after a full restart with a Hazelcast counter back at 0, a
 * node may allocate an epoch another controller already had; brokers that accepted the first one refuse
 * the second.
 *
 * <p>Invariant: the epoch on disk never decreases; {@link #raise} ignores lower values. A write is a temp
 * file, fsync, {@code ATOMIC_MOVE} over the old file, fsync of the directory, so a crash leaves either
 * the old or the new value. All methods block (file I/O): call them off the event loop. Thread safe.
 */
public final class ControllerEpochStore {
  static final String FILE_NAME = "controller.epoch";

  /** An accepted controller epoch; {@code controllerId} is empty if unknown. */
  public record Accepted(long epoch, String controllerId) {
    public static final Accepted NONE = new Accepted(0, "");

    public Accepted {
      Objects.requireNonNull(controllerId);
      if (epoch < 0 || controllerId.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("bad accepted epoch " + epoch + " '" + controllerId + "'");
      }
    }
  }

  private final Path file;
  private final Path tmp;
  private Accepted stored; // null until loaded; guarded by this

  public ControllerEpochStore(Path dataDir) {
    this.file = dataDir.resolve(FILE_NAME);
    this.tmp = dataDir.resolve(FILE_NAME + ".tmp");
  }

  public Path file() {
    return file;
  }

  /**
   * Reads the persisted epoch, {@link Accepted#NONE} if the broker never accepted one. A file that does
   * not parse is an error, never "none": reading a damaged file as 0 could let epochs go backwards.
   */
  public synchronized Accepted load() throws IOException {
    if (stored == null) {
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(tmp); // a write that crashed before its move; the old file still holds the value
      stored = Files.exists(file) ? parse(Files.readString(file, StandardCharsets.US_ASCII)) : Accepted.NONE;
    }
    return stored;
  }

  /**
   * Persists {@code accepted} if its epoch is higher than the stored one (or equal, with the controller
   * still unknown); returns whether it wrote.
   */
  public synchronized boolean raise(Accepted accepted) throws IOException {
    Accepted current = load();
    boolean higher = accepted.epoch() > current.epoch();
    boolean names = accepted.epoch() == current.epoch() && current.controllerId().isEmpty()
        && !accepted.controllerId().isEmpty();
    if (!higher && !names) {
      return false;
    }
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      String line = accepted.epoch() + " " + accepted.controllerId() + "\n";
      ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII));
      while (bytes.hasRemaining()) {
        ch.write(bytes);
      }
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    fsyncDirectory(); // the rename itself must survive a power cut
    stored = accepted;
    return true;
  }

  private void fsyncDirectory() throws IOException {
    try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // Windows cannot open a directory for fsync; the move is still atomic there
      if (!System.getProperty("os.name", "").toLowerCase().contains("win")) {
        throw e;
      }
    }
  }

  private Accepted parse(String text) throws IOException {
    String[] parts = text.trim().split("\\s+", 2);
    try {
      return new Accepted(Long.parseLong(parts[0]), parts.length > 1 ? parts[1] : "");
    } catch (IllegalArgumentException e) {
      throw new IOException("corrupt controller epoch file " + file + ": '" + text.trim() + "'", e);
    }
  }
}
