package io.brook.bench;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;

/** {@code key=value} client properties from the command line. */
final class ClientProps {
  private ClientProps() {}

  static void putAll(List<String> pairs, Map<String, Object> into, CommandSpec spec) {
    if (pairs == null) {
      return;
    }
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new ParameterException(spec.commandLine(), "Expected key=value, got '" + pair + "'");
      }
      into.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
    }
  }
}
