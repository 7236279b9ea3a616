package io.brook.cli;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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

  /**
   * Replicas per partition as kafka-topics' {@code --replica-assignment} writes them: partitions separated
   * by commas, each partition's broker ids by colons, the first its preferred leader ({@code 1:2,2:3}).
   */
  static final class ReplicaAssignment implements ITypeConverter<List<List<Integer>>> {
    @Override
    public List<List<Integer>> convert(String value) {
      List<List<Integer>> partitions = new ArrayList<>();
      for (String partition : value.split(",", -1)) {
        List<Integer> replicas = new ArrayList<>();
        for (String broker : partition.split(":", -1)) {
          int id = integer(broker.trim());
          if (id < 0) {
            throw new TypeConversionException("broker ids are 0 or more, was " + broker);
          }
          replicas.add(id);
        }
        partitions.add(replicas);
      }
      return partitions;
    }
  }

  /** A broker id (node.id), 0 or more. */
  static final class BrokerId implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int number = integer(value);
      if (number < 0) {
        throw new TypeConversionException("a broker id is 0 or more, was " + value);
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

  /**
   * A topic name as it goes into a URL path: not empty, not {@code .} or {@code ..} (a path would resolve them
   * to another resource; Kafka refuses both names too). Which names are legal is the broker's to say.
   */
  static final class TopicName implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      return checkTopicName(value);
    }
  }

  static String checkTopicName(String name) {
    if (name.isEmpty()) {
      throw new TypeConversionException("a topic name must not be empty");
    }
    if (name.equals(".") || name.equals("..")) {
      throw new TypeConversionException("'" + name + "' is not a topic name");
    }
    return name;
  }

  /** One topic config override, {@code KEY=VALUE}: split at the first '='. */
  record ConfigEntry(String key, String value) {}

  /** {@code KEY=VALUE} with a non-blank key; the value may be empty (the broker says whether it is valid). */
  static final class ConfigEntryConverter implements ITypeConverter<ConfigEntry> {
    @Override
    public ConfigEntry convert(String value) {
      int equals = value.indexOf('=');
      if (equals < 0) {
        throw new TypeConversionException("expected KEY=VALUE, e.g. retention.ms=86400000, not '" + value + "'");
      }
      String key = value.substring(0, equals);
      if (key.isBlank()) {
        throw new TypeConversionException("the config name before '=' is empty in '" + value + "'");
      }
      return new ConfigEntry(key, value.substring(equals + 1));
    }
  }

  /** The entries as a map, in order; a key given twice keeps its last value, as a repeated option would. */
  static Map<String, String> configMap(List<ConfigEntry> entries) {
    Map<String, String> configs = new LinkedHashMap<>();
    entries.forEach(entry -> configs.put(entry.key(), entry.value()));
    return configs;
  }

  /** A config name to remove: not blank. */
  static final class ConfigName implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (value.isBlank()) {
        throw new TypeConversionException("a config name must not be empty");
      }
      return value;
    }
  }

  /**
   * A point in time as epoch ms: epoch ms, or ISO-8601 as the HTTP API reads it (an instant, a date-time with an
   * offset, or a date-time or date taken as UTC). Times before 1970-01-01T00:00:00Z are refused: record
   * timestamps cannot be negative, and -1 and -2 are Kafka's "latest" and "earliest". So are times whose ms do
   * not fit a long.
   */
  static final class EpochMs implements ITypeConverter<Long> {
    static final String FORMS = "epoch ms or ISO-8601 (e.g. 2024-05-01T10:00:00Z, 2024-05-01T12:00:00+02:00, "
        + "2024-05-01T10:00, 2024-05-01; UTC unless an offset is given)";

    @Override
    public Long convert(String value) {
      String text = value.trim();
      Instant instant = text.matches("[+-]?\\d+") ? fromMillis(text) : fromIso(text);
      if (instant.isBefore(Instant.EPOCH)) {
        throw new TypeConversionException("times before 1970-01-01T00:00:00Z are not supported, was '" + value + "'");
      }
      try {
        return instant.toEpochMilli();
      } catch (ArithmeticException tooFar) {
        throw new TypeConversionException("'" + value + "' is too far in the future (the limit is "
            + Instant.ofEpochMilli(Long.MAX_VALUE) + ")");
      }
    }

    private static Instant fromMillis(String text) {
      try {
        return Instant.ofEpochMilli(Long.parseLong(text));
      } catch (NumberFormatException tooLong) {
        throw new TypeConversionException("'" + text + "' ms is beyond the range of a long (at most "
            + Long.MAX_VALUE + ")");
      }
    }

    private static Instant fromIso(String text) {
      List<Function<String, Instant>> forms = List.of(
          Instant::parse,
          t -> OffsetDateTime.parse(t).toInstant(),
          t -> LocalDateTime.parse(t).toInstant(ZoneOffset.UTC),
          t -> LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC));
      for (Function<String, Instant> form : forms) {
        try {
          return form.apply(text);
        } catch (DateTimeParseException notThisForm) {
          // try the next, looser form
        } catch (DateTimeException outOfRange) {
          throw new TypeConversionException("'" + text + "' is out of range: " + outOfRange.getMessage());
        }
      }
      throw new TypeConversionException("expected epoch ms or ISO-8601 such as 2024-05-01T10:00:00Z, was '" + text + "'");
    }
  }
}
