package io.brook.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The CLI's argument types that picocli cannot check by itself. Each converter refuses a bad value at parse time,
 * so the command exits 2 with one line ("Invalid value for option '--partitions' (N): must be at least 1, was -1")
 * before any request: a value the broker would read as "use the default" ({@code -1} partitions), a wire-protocol
 * sentinel (a time of {@code -1} ms means "latest") or a broken URL path (an empty topic name) never leaves the CLI.
 * The broker still validates everything it is sent; these only catch what would be misread on the way there.
 */
final class Arguments {
  private Arguments() {}

  /** A count of at least 1: {@code --partitions}, {@code --replication-factor}. */
  static final class AtLeastOne implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int number = integer(value);
      if (number < 1) {
        throw new TypeConversionException("must be at least 1, was " + value);
      }
      return number;
    }
  }

  private static int integer(String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + value + "' is not a whole number (at most " + Integer.MAX_VALUE + ")");
    }
  }
}
