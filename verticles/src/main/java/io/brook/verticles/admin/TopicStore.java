package io.brook.verticles.admin;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.common.errors.KafkaStorageException;

/**
 * The broker's durable list of topics: {@code <data.dir>/__cluster_metadata/topics.json},
 * {@code {"version": 1, "topics": [{"name", "partitions", "replicationFactor", "configs"}]}}.
 *
 * <p>Every save replaces the file atomically (write a temporary file, fsync, rename, fsync the
 * directory), so a crash leaves the old or the new list, never a torn one. A file that does not
 * parse stops the broker with a clear error instead of starting without its topics. Blocking:
 * call it from a worker thread.
 */
public final class TopicStore {
  static final int VERSION = 1;
  private final Path dir;
  private final Path file;

  public TopicStore(Path dataDir) {
    this.dir = dataDir.resolve("__cluster_metadata");
    this.file = dir.resolve("topics.json");
  }

  public List<TopicRecord> load() {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      JsonObject json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
      if (json.getInteger("version", -1) != VERSION) {
        throw new KafkaStorageException("Unsupported version of " + file + ": " + json.getValue("version"));
      }
      List<TopicRecord> topics = new ArrayList<>();
      for (Object topic : json.getJsonArray("topics", new JsonArray())) {
        topics.add(TopicRecord.fromJson((JsonObject) topic));
      }
      return topics;
    } catch (IOException | DecodeException | ClassCastException | NullPointerException e) {
      throw new KafkaStorageException("Topic metadata file " + file + " is unreadable or corrupt: " + e, e);
    }
  }

  public void save(Collection<TopicRecord> topics) {
    JsonArray array = new JsonArray();
    topics.stream().sorted(java.util.Comparator.comparing(TopicRecord::name)).forEach(t -> array.add(t.toJson()));
    byte[] bytes = new JsonObject().put("version", VERSION).put("topics", array).encodePrettily()
        .getBytes(StandardCharsets.UTF_8);
    try {
      Files.createDirectories(dir);
      Path temp = dir.resolve("topics.json.tmp");
      Files.write(temp, bytes);
      fsync(temp);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      fsync(dir);
    } catch (IOException e) {
      throw new KafkaStorageException("Failed to write topic metadata " + file + ": " + e.getMessage(), e);
    }
  }

  private static void fsync(Path path) throws IOException {
    try (FileChannel channel = FileChannel.open(path, Files.isDirectory(path)
        ? new StandardOpenOption[] {StandardOpenOption.READ} : new StandardOpenOption[] {StandardOpenOption.WRITE})) {
      channel.force(true);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
