package io.brook.verticles.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
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
  private static final System.Logger LOG = System.getLogger(PartitionDirs.class.getName());
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

  /**
   * Makes {@code partition}'s directory the log of topic {@code topicId}: a directory another
   * incarnation of the topic left (deleted and re-created under the same name while this broker was
   * down) is removed first, never reused; a directory from before {@code partition.metadata} existed
   * is taken as it is. Answers whether the directory now names {@code topicId}: on a full disk the log
   * is still hosted (it goes offline and reopens once there is room, see storage/README.md) and the
   * caller writes the file later with {@link #recordTopicId}.
   */
  public boolean claim(TopicPartition partition, Uuid topicId) {
    Path dir = dir(partition);
    Optional<Uuid> owner = Optional.empty();
    if (Files.isDirectory(dir)) {
      try {
        owner = PartitionMetadataFile.read(dir);
      } catch (IOException e) { // keep the data: the file is only rewritten
        LOG.log(System.Logger.Level.WARNING, e.getMessage() + ": taking " + dir + " as the log of topic id " + topicId);
      }
    }
    if (owner.isPresent() && !owner.get().equals(topicId)) {
      LOG.log(System.Logger.Level.WARNING, "Removing " + dir + ": it holds topic id " + owner.get() + ", a deleted "
          + "incarnation of " + partition.topic() + " (now topic id " + topicId + ")");
      delete(partition);
    }
    if (owner.equals(Optional.of(topicId))) {
      return true;
    }
    try {
      PartitionMetadataFile.write(dir, topicId);
      return true;
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "Cannot write " + dir.resolve(PartitionMetadataFile.NAME) + " for " + partition
          + " (" + e.getMessage() + "); retrying until there is room");
      return false;
    }
  }

  /** Writes the topic id a {@link #claim} could not write; answers whether it is written now. Quiet: retried. */
  public boolean recordTopicId(TopicPartition partition, Uuid topicId) {
    try {
      PartitionMetadataFile.write(dir(partition), topicId);
      LOG.log(System.Logger.Level.INFO, "Wrote " + PartitionMetadataFile.NAME + " for " + partition);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Removes the partition directories this broker hosts no replica of, by the metadata it has caught
   * up with ({@code hosted} names their directories): left by topics deleted, or replicas moved
   * away, while it was down. {@code keep} names other directories to leave alone (the metadata log).
   * Answers what was removed.
   */
  public List<Path> removeStrays(Set<String> hosted, Set<String> keep) {
    List<Path> strays = orphans(hosted).stream().filter(dir -> !keep.contains(dir.getFileName().toString())).toList();
    List<Path> removed = new java.util.ArrayList<>();
    for (Path stray : strays) {
      String name = stray.getFileName().toString();
      int dash = name.lastIndexOf('-');
      try {
        delete(new TopicPartition(name.substring(0, dash), Integer.parseInt(name.substring(dash + 1))));
        removed.add(stray);
      } catch (RuntimeException e) { // not a partition's name after all (or not removable): left alone
        LOG.log(System.Logger.Level.WARNING, "Leaving " + stray + " alone: " + e.getMessage());
      }
    }
    return removed;
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
  public List<Path> orphans(Set<String> knownDirNames) {
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
