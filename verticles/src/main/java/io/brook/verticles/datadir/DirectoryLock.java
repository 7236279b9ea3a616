package io.brook.verticles.datadir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A directory's {@code .lock} (Kafka's file of the same name), held with an exclusive {@link FileLock}
 * for as long as a broker uses the directory, so that a second broker on the same directory is refused
 * at start instead of writing into the same logs. The file holds the holder's PID, for the refusal's
 * message. The OS drops the lock when the process dies, {@code kill -9} included, so a lock never
 * outlives its broker and needs no cleaning up; the file itself stays, as Kafka's does.
 *
 * <p>Within one JVM (tests run several brokers in one) a directory is held at most once: a second
 * claim is refused from {@link #HELD} without opening the file, because closing any channel of a
 * file drops every POSIX lock this process has on it. Acquired and released on a worker thread.
 */
public final class DirectoryLock implements AutoCloseable {
  public static final String NAME = ".lock";
  private static final System.Logger LOG = System.getLogger(DirectoryLock.class.getName());
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private final Path dir;
  private final FileChannel channel;

  private DirectoryLock(Path dir, FileChannel channel) {
    this.dir = dir;
    this.channel = channel;
  }

  /**
   * Locks {@code dir} (which must exist) for this process, or throws {@link IllegalStateException}
   * naming the PID that holds it; {@code what} names the directory in that message ("data dir").
   */
  public static DirectoryLock acquire(Path dir, String what) throws IOException {
    Path key = dir.toRealPath();
    long self = ProcessHandle.current().pid();
    if (!HELD.add(key)) {
      throw inUse(dir, what, String.valueOf(self));
    }
    Path file = key.resolve(NAME);
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      if (channel.tryLock() == null) {
        throw inUse(dir, what, holder(channel));
      }
      recordHolder(channel, self);
      return new DirectoryLock(key, channel);
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close(); // this process holds no lock on the file: closing drops nothing of anyone's
      }
      HELD.remove(key);
      throw e;
    }
  }

  /** Best effort: on a full disk the lock holds all the same, and a refusal says "another process". */
  private static void recordHolder(FileChannel channel, long pid) {
    try {
      channel.truncate(0).write(ByteBuffer.wrap((pid + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "Cannot write the PID into " + NAME + ": " + e);
    }
  }

  /** The holder's PID as it wrote it into the file, read through the refused channel. */
  private static String holder(FileChannel channel) throws IOException {
    ByteBuffer content = ByteBuffer.allocate(32);
    channel.read(content, 0);
    String pid = new String(content.array(), 0, content.position(), StandardCharsets.US_ASCII).trim();
    return pid.matches("[0-9]+") ? pid : null;
  }

  private static IllegalStateException inUse(Path dir, String what, String pid) {
    return new IllegalStateException(what + " " + dir.toAbsolutePath() + " is in use by "
        + (pid == null ? "another process" : "PID " + pid) + " (" + dir.toAbsolutePath().resolve(NAME)
        + " is locked): stop that node first, or give this one a directory of its own");
  }

  /** Releases the lock (closing the channel drops it); the file stays. */
  @Override
  public void close() throws IOException {
    try {
      channel.close();
    } finally {
      HELD.remove(dir);
    }
  }
}
