package io.brook.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The launcher's {@code -conf} argument, checked before the launcher reads it. The launcher takes a
 * file it cannot read or parse for inline JSON, fails to parse that too, logs a warning and starts
 * the node on the defaults: a typo in a path would start an empty broker beside the real one. Brook
 * refuses instead, with the path and the parse error. Inline JSON ({@code -conf '{"node.id":2}'})
 * stays accepted; a relative path is taken from the working directory, as the launcher takes it.
 */
final class ConfArgument {
  private static final String[] NAMES = {"-conf", "--conf"};

  private ConfArgument() {}

  /** The value of {@code -conf}/{@code --conf} (as {@code -conf X} or {@code -conf=X}), if given. */
  static Optional<String> find(String[] argv) {
    for (int i = 0; i < argv.length; i++) {
      for (String name : NAMES) {
        if (argv[i].equals(name) && i + 1 < argv.length) {
          return Optional.of(argv[i + 1]);
        }
        if (argv[i].startsWith(name + "=")) {
          return Optional.of(argv[i].substring(name.length() + 1));
        }
      }
    }
    return Optional.empty();
  }

  /** The config the value names, or an {@link IllegalArgumentException} whose message is one line. */
  static JsonObject read(String value) {
    if (value.strip().startsWith("{")) {
      try {
        return new JsonObject(value);
      } catch (DecodeException e) {
        throw new IllegalArgumentException("-conf is not a valid JSON object: " + oneLine(e));
      }
    }
    Path file;
    try {
      file = Path.of(value).toAbsolutePath();
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("config file '" + value + "' is not a valid path: " + e.getMessage());
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("config file " + file + (Files.exists(file) ? " is not a file" : " does not exist"));
    }
    try {
      return new JsonObject(Buffer.buffer(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new IllegalArgumentException("config file " + file + " cannot be read: " + e);
    } catch (DecodeException e) {
      throw new IllegalArgumentException("config file " + file + " is not a valid JSON object: " + oneLine(e));
    }
  }

  /** Jackson's message on one line, without the "Failed to decode:" prefix and its "[Source: REDACTED ...; ". */
  private static String oneLine(DecodeException e) {
    return String.valueOf(e.getMessage()).replaceFirst("^Failed to decode:\\s*", "")
        .replaceAll("\\[Source: [^;\\]]*; ", "[").replaceAll("\\s*\\R\\s*", " ");
  }
}
