package io.brook.verticles.datadir;

import io.brook.quorum.MetaProperties;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The data directory layout before node 1's data moved from {@code data/} to {@code data/node-1}:
 * the single-node Quick start kept its logs and {@code meta.properties} directly in {@code data/},
 * and the other nodes' directories ({@code data/node-2}, ...) beside them. A node started on a new,
 * empty data directory whose parent holds this node's data would silently start empty, its topics'
 * records left behind; it is refused instead, with the one command that moves the data over.
 */
public final class FormerLayout {
  private FormerLayout() {}

  /** Throws when {@code dataDir} is not yet a data directory but its parent holds node {@code nodeId}'s. */
  public static void throwIfDataIsInParent(Path dataDir, int nodeId) throws IOException {
    Path dir = dataDir.toAbsolutePath().normalize();
    Path parent = dir.getParent();
    if (parent == null || Files.exists(dir.resolve(MetaProperties.NAME))
        || !Files.isRegularFile(parent.resolve(MetaProperties.NAME)) || nodeIdOf(parent) != nodeId) {
      return;
    }
    throw new IllegalStateException("data dir " + dir + " is new, but " + parent + " holds node " + nodeId
        + "'s data (the layout before data/node-N): stop every node and move it with: cd " + parent
        + " && mkdir -p " + dir.getFileName() + " && mv " + String.join(" ", movable(parent, dir)) + " "
        + dir.getFileName() + "/   (or start this node on " + parent + " as its data dir)");
  }

  /** What the old data directory holds of its own: all but the nodes' directories in it (and ZooKeeper's). */
  private static List<String> movable(Path parent, Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(parent)) {
      return entries.filter(entry -> !entry.equals(dir) && !isOtherDataDir(entry))
          .map(entry -> entry.getFileName().toString())
          .filter(name -> !name.equals("zookeeper"))
          .sorted().toList();
    }
  }

  private static boolean isOtherDataDir(Path entry) {
    return entry.getFileName().toString().matches("node-[0-9]+") && Files.isDirectory(entry);
  }

  private static int nodeIdOf(Path dir) throws IOException {
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(dir.resolve(MetaProperties.NAME), StandardCharsets.UTF_8)) {
      props.load(in);
    }
    try {
      return Integer.parseInt(props.getProperty("node.id", "").trim());
    } catch (NumberFormatException unreadable) {
      return -1; // MetaProperties reports an unreadable file when that directory is opened itself
    }
  }
}
