package io.brook.verticles.log;

import io.brook.storage.DurableFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.kafka.common.Uuid;

/**
 * {@code partition.metadata} in a partition's directory, as Kafka writes it ({@code version: 0} and
 * {@code topic_id: <id>}): which incarnation of the topic the log belongs to, so a directory left
 * by a topic deleted and re-created under the same name while this broker was down is recognised
 * and removed, never reused. Blocking: call from a worker thread.
 */
final class PartitionMetadataFile {
  static final String NAME = "partition.metadata";

  private PartitionMetadataFile() {}

  /** The topic id in {@code dir}'s file; empty when there is no file (a directory from before it existed). */
  static Optional<Uuid> read(Path dir) throws IOException {
    Path file = dir.resolve(NAME);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    String version = null;
    String topicId = null;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      if (key.equals("version")) {
        version = value;
      } else if (key.equals("topic_id")) {
        topicId = value;
      }
    }
    if (!"0".equals(version) || topicId == null) {
      throw new IOException("Malformed " + file + " (version " + version + ", topic_id " + topicId + ")");
    }
    try {
      return Optional.of(Uuid.fromString(topicId));
    } catch (IllegalArgumentException e) {
      throw new IOException("Malformed topic_id in " + file + ": " + topicId, e);
    }
  }

  static void write(Path dir, Uuid topicId) throws IOException {
    Files.createDirectories(dir);
    DurableFile.write(dir.resolve(NAME), ("version: 0\ntopic_id: " + topicId + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
