package io.brook.quorum;

import io.brook.storage.DurableFile;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The {@link ElectionState} in {@code quorum-state} of the metadata log's directory (Kafka keeps its
 * own in a file of the same name): a properties file replaced atomically and fsynced on every
 * write. A file that cannot be parsed stops the broker: guessing an epoch could mean voting twice.
 */
public final class ElectionStateFile implements ElectionStateStore {
  public static final String NAME = "quorum-state";
  private final Path file;
  private ElectionState cached;

  public ElectionStateFile(Path dir) {
    this.file = dir.resolve(NAME);
  }

  @Override
  public ElectionState read() {
    if (cached == null) {
      cached = load();
    }
    return cached;
  }

  private ElectionState load() {
    if (!Files.exists(file)) {
      return ElectionState.INITIAL;
    }
    try {
      Properties props = new Properties();
      props.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
      return new ElectionState(Integer.parseInt(required(props, "epoch")), Integer.parseInt(required(props, "voted.id")),
          props.getProperty("voted.directory.id", ""), Integer.parseInt(required(props, "leader.id")));
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException("Cannot read the quorum state " + file + ": " + e.getMessage()
          + ". It holds this broker's vote; restore it or move the metadata log directory away to rejoin as a new replica", e);
    }
  }

  private String required(Properties props, String key) {
    String value = props.getProperty(key);
    if (value == null) {
      throw new IllegalArgumentException("missing " + key);
    }
    return value;
  }

  @Override
  public void write(ElectionState state) {
    Properties props = new Properties();
    props.setProperty("epoch", String.valueOf(state.epoch()));
    props.setProperty("voted.id", String.valueOf(state.votedId()));
    props.setProperty("voted.directory.id", state.votedDirectoryId());
    props.setProperty("leader.id", String.valueOf(state.leaderId()));
    StringWriter text = new StringWriter();
    try {
      props.store(text, "Brook metadata quorum state: the highest epoch seen and this replica's vote in it");
      Files.createDirectories(file.getParent());
      DurableFile.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the quorum state " + file, e);
    }
    cached = state;
  }
}
