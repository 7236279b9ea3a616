package io.brook.quorum;

import io.brook.storage.DurableFile;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.Uuid;

/**
 * {@code meta.properties} of a broker's data directory (Kafka's file of the same name): the node id
 * the directory belongs to, the directory's own id (made once, when the directory is first used),
 * and the id of the cluster it joined (absent until it founds or joins one). A directory that
 * belongs to another node id, or a file that cannot be parsed, stops the broker with the reason.
 */
public record MetaProperties(int nodeId, String directoryId, Optional<String> clusterId) {
  public static final String NAME = "meta.properties";

  /** Reads the file, or makes one with a new directory id for a directory used for the first time. */
  public static MetaProperties loadOrCreate(Path dataDir, int nodeId) throws IOException {
    return loadOrCreate(dataDir, nodeId, "data.dir");
  }

  /** As {@link #loadOrCreate(Path, int)}; {@code configKey} names the directory's config key in messages. */
  public static MetaProperties loadOrCreate(Path dataDir, int nodeId, String configKey) throws IOException {
    Path file = dataDir.resolve(NAME);
    if (!Files.exists(file)) {
      MetaProperties fresh = new MetaProperties(nodeId, Uuid.randomUuid().toString(), Optional.empty());
      fresh.write(dataDir);
      return fresh;
    }
    Properties props = new Properties();
    props.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
    MetaProperties meta;
    try {
      String cluster = props.getProperty("cluster.id");
      meta = new MetaProperties(Integer.parseInt(props.getProperty("node.id")),
          requireNonBlank(props.getProperty("directory.id"), "directory.id"),
          cluster == null || cluster.isBlank() ? Optional.empty() : Optional.of(cluster));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IOException("Cannot parse " + file + " (" + e.getMessage() + ")", e);
    }
    if (meta.nodeId() != nodeId) {
      throw new IOException("The " + configKey + " directory " + dataDir + " belongs to node " + meta.nodeId()
          + ", not to node " + nodeId + " (" + file + "): start node " + meta.nodeId() + " on it, or give node " + nodeId
          + " its own " + configKey);
    }
    return meta;
  }

  private static String requireNonBlank(String value, String key) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("missing " + key);
    }
    return value;
  }

  public MetaProperties withClusterId(String id) {
    return new MetaProperties(nodeId, directoryId, Optional.of(id));
  }

  /** This directory as it was before it founded or joined a cluster (its directory id kept). */
  public MetaProperties withoutClusterId() {
    return new MetaProperties(nodeId, directoryId, Optional.empty());
  }

  public ReplicaKey replicaKey() {
    return new ReplicaKey(nodeId, directoryId);
  }

  public void write(Path dataDir) throws IOException {
    Properties props = new Properties();
    props.setProperty("version", "1");
    props.setProperty("node.id", String.valueOf(nodeId));
    props.setProperty("directory.id", directoryId);
    clusterId.ifPresent(id -> props.setProperty("cluster.id", id));
    StringWriter text = new StringWriter();
    props.store(text, "Brook broker data directory");
    Files.createDirectories(dataDir);
    DurableFile.write(dataDir.resolve(NAME), text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** A new cluster's id: random, in Kafka's base64 form. */
  public static String newClusterId() {
    return Uuid.randomUuid().toString();
  }
}
