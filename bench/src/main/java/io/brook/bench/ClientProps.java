package io.brook.bench;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code key=value} client properties from the command line, and the options that take them
 * ({@link Producer}, {@link Consumer}), mixed into the commands with {@code @Mixin}.
 */
final class ClientProps {
  private ClientProps() {}

  static void putAll(List<String> pairs, Map<String, ? super String> into, CommandSpec spec) {
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

  /** A repeatable {@code KEY=VALUE} option; a bad pair is reported as a usage error of the command. */
  abstract static class PropsOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    abstract List<String> pairs();

    /** Puts the pairs given on the command line into {@code into}, over what it holds. */
    void putAll(Map<String, Object> into) {
      ClientProps.putAll(pairs(), into, spec);
    }
  }

  /** {@code --producer-prop}: any producer config. */
  static final class Producer extends PropsOption {
    @Option(names = {"--producer-prop", "--producer-props"}, arity = "1..*", paramLabel = "KEY=VALUE",
        description = "Any producer config, repeatable.")
    List<String> producerProps;

    @Override
    List<String> pairs() {
      return producerProps;
    }
  }

  /** {@code --consumer-prop}: any consumer config. */
  static final class Consumer extends PropsOption {
    @Option(names = {"--consumer-prop", "--consumer-props"}, arity = "1..*", paramLabel = "KEY=VALUE",
        description = "Any consumer config, repeatable.")
    List<String> consumerProps;

    @Override
    List<String> pairs() {
      return consumerProps;
    }
  }
}
