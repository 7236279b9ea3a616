package io.brook.verticles.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.internals.Topic;

/**
 * Where partition logs live under {@code data.dir}: one directory {@code <topic>-<partition>} each,
 * as in Kafka. A deleted partition's directory is first renamed to {@code <topic>-<partition>.<uuid>-delete}
 * (atomic, so a crash never leaves half a log under the live name) and then removed; a broker
 * finishes such removals at start. Blocking: call from a worker thread.
 */
public final class PartitionDirs {
  private static final String DELETE_SUFFIX = "-delete";
  private final Path dataDir;

  public PartitionDirs(Path dataDir) {
    this.dataDir = dataDir;
  }

  /**
   * The partition's directory, refused (KafkaStorageException) unless the topic name is a legal one
   * and the directory lies directly inside data.dir: metadata is checked before it gets here, and
   * this is the last line against a name that would escape the data directory.
   */
  public Path dir(TopicPartition partition) {
    try {
      Topic.validate(partition.topic());
    } catch (InvalidTopicException e) {
      throw new KafkaStorageException("Refusing a directory for " + partition + ": " + e.getMessage());
    }
    Path root = dataDir.toAbsolutePath().normalize();
    Path dir = root.resolve(partition.topic() + "-" + partition.partition()).normalize();
    if (!root.equals(dir.getParent())) {
      throw new KafkaStorageException("Refusing a directory for " + partition + " outside " + root);
    }
    return dataDir.resolve(dir.getFileName());
  }

  public void delete(TopicPartition partition) {
    Path live = dir(partition);
    if (!Files.exists(live)) {
      return;
    }
    Path doomed = dataDir.resolve(live.getFileName() + "." + UUID.randomUUID().toString().replace("-", "") + DELETE_SUFFIX);
    try {
      Files.move(live, doomed);
      deleteRecursively(doomed);
    } catch (IOException e) {
      throw new KafkaStorageException("Failed to delete the log of " + partition + ": " + e.getMessage(), e);
    }
  }

  /** Removes what deletions interrupted by a crash left behind. */
  public void finishInterruptedDeletes() {
    if (!Files.isDirectory(dataDir)) {
      return;
    }
    try (Stream<Path> entries = Files.list(dataDir)) {
      List<Path> doomed = entries.filter(p -> p.getFileName().toString().endsWith(DELETE_SUFFIX)).toList();
      for (Path dir : doomed) {
        deleteRecursively(dir);
      }
    } catch (IOException e) {
      throw new KafkaStorageException("Failed to clean up deleted logs in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  /** Directories under data.dir that look like partition logs but belong to no known partition. */
  public List<Path> orphans(java.util.Set<String> knownDirNames) {
    if (!Files.isDirectory(dataDir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dataDir)) {
      return entries.filter(Files::isDirectory)
          .filter(p -> p.getFileName().toString().matches(".+-[0-9]+"))
          .filter(p -> !knownDirNames.contains(p.getFileName().toString()))
          .toList();
    } catch (IOException e) {
      throw new KafkaStorageException("Failed to list " + dataDir + ": " + e.getMessage(), e);
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
