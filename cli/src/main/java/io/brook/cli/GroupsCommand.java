package io.brook.cli;

import static io.brook.cli.Json.array;
import static io.brook.cli.Json.number;
import static io.brook.cli.Json.object;
import static io.brook.cli.Json.text;
import static io.brook.cli.TopicsCommand.bytes;
import static io.brook.cli.TopicsCommand.out;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code brook groups list|describe|delete|reset-offsets}: consumer groups over the HTTP API, with
 * the columns of Kafka's kafka-consumer-groups.sh.
 */
@Command(name = "groups", mixinStandardHelpOptions = true,
    description = "List, describe and delete consumer groups, and reset their offsets.",
    subcommands = {GroupsCommand.ListGroups.class, GroupsCommand.Describe.class, GroupsCommand.Delete.class,
        GroupsCommand.ResetOffsets.class})
public final class GroupsCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing command: list, describe, delete or reset-offsets");
  }

  static String groupPath(String group) {
    return "/api/groups/" + BrookHttp.encode(group);
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List consumer groups.")
  static final class ListGroups implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = {"-l", "--long"}, description = "Also show each group's state and coordinator.")
    boolean details;

    @Override
    public void run() {
      Map<String, Object> answer = BrookCli.http(spec).get("/api/groups");
      PrintWriter out = out(spec);
      if (details) {
        out.printf("%-30s %-20s %s%n", "GROUP", "STATE", "COORDINATOR");
      }
      for (Object item : array(answer.get("groups"))) {
        Map<String, Object> group = object(item);
        if (details) {
          out.printf("%-30s %-20s %d%n", text(group, "groupId"), text(group, "state"), number(group, "coordinator"));
        } else {
          out.println(text(group, "groupId"));
        }
      }
      List<Object> unavailable = array(answer.get("unavailable"));
      if (!unavailable.isEmpty()) {
        spec.commandLine().getErr().println("Warning: brokers " + unavailable + " did not list their groups "
            + "(down, or a coordinator still loading): the list may be incomplete.");
      }
    }
  }

  @Command(name = "describe", mixinStandardHelpOptions = true,
      description = "Describe a group: state, members, and per partition the committed offset, log end and lag.")
  static final class Describe implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "GROUP")
    String group;

    @Override
    public void run() {
      Map<String, Object> g = BrookCli.http(spec).get(groupPath(group));
      PrintWriter out = out(spec);
      List<Object> members = array(g.get("members"));
      out.printf("Group %s: %s, protocol %s, coordinator %d, %d member(s), total lag %d%n", group, text(g, "state"),
          emptyAsDash(text(g, "protocol")), number(g, "coordinator"), members.size(), number(g, "totalLag"));
      for (Object item : members) {
        Map<String, Object> m = object(item);
        List<String> owned = new ArrayList<>();
        array(m.get("partitions")).forEach(p -> owned.add(text(object(p), "topic") + "-" + number(object(p), "partition")));
        out.printf("  member %s (client %s, host %s): %s%n", text(m, "memberId"), text(m, "clientId"),
            text(m, "host"), owned.isEmpty() ? "no partitions" : String.join(", ", owned));
      }
      out.println();
      out.printf("%-20s %-25s %-9s %-15s %-15s %-8s %-40s %-15s %s%n", "GROUP", "TOPIC", "PARTITION",
          "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST", "CLIENT-ID");
      for (Object item : array(g.get("offsets"))) {
        Map<String, Object> row = object(item);
        long committed = number(row, "committedOffset");
        out.printf("%-20s %-25s %-9d %-15s %-15s %-8s %-40s %-15s %s%n", group, text(row, "topic"),
            number(row, "partition"), committed < 0 ? "-" : String.valueOf(committed), optional(row, "logEndOffset"),
            optional(row, "lag"), optionalText(row, "memberId"), optionalText(row, "host"),
            optionalText(row, "clientId"));
      }
    }

    private static String optional(Map<String, Object> row, String key) {
      return row.get(key) == null ? "-" : String.valueOf(number(row, key));
    }

    private static String optionalText(Map<String, Object> row, String key) {
      Object value = row.get(key);
      return value == null || value.toString().isEmpty() ? "-" : value.toString();
    }

    private static String emptyAsDash(String text) {
      return text == null || text.isEmpty() ? "-" : text;
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = "Delete a group's committed offsets and metadata (only a group without members).")
  static final class Delete implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "GROUP")
    String group;

    @Override
    public void run() {
      BrookCli.http(spec).delete(groupPath(group));
      out(spec).println("Deleted group " + group + ".");
    }
  }

  /** {@code TOPIC} or {@code TOPIC:P,P,...}. */
  record TopicPartitions(String topic, List<Integer> partitions) {}

  static final class TopicPartitionsConverter implements ITypeConverter<TopicPartitions> {
    @Override
    public TopicPartitions convert(String value) {
      int colon = value.lastIndexOf(':');
      if (colon < 0) {
        return new TopicPartitions(Arguments.checkTopicName(value), null);
      }
      List<Integer> partitions = new ArrayList<>();
      for (String p : value.substring(colon + 1).split(",")) {
        try {
          int partition = Integer.parseInt(p.trim());
          if (partition < 0) {
            throw new NumberFormatException();
          }
          partitions.add(partition);
        } catch (NumberFormatException e) {
          throw new TypeConversionException("'" + p + "' is not a partition number in '" + value
              + "' (expected TOPIC or TOPIC:P,P,...)");
        }
      }
      return new TopicPartitions(Arguments.checkTopicName(value.substring(0, colon)), partitions);
    }
  }

  static final class Target {
    @Option(names = "--to-earliest", required = true, description = "The earliest offset of each partition.")
    boolean earliest;

    @Option(names = "--to-latest", required = true, description = "The latest offset (the end) of each partition.")
    boolean latest;

    @Option(names = "--to-datetime", required = true, paramLabel = "ISO8601",
        description = "The first record at or after this time (e.g. 2026-12-06T10:00:00Z, or epoch ms).")
    String datetime;

    @Option(names = "--to-offset", required = true, paramLabel = "N", description = "This offset.")
    Long offset;

    @Option(names = "--shift-by", required = true, paramLabel = "N",
        description = "The committed offset plus N (negative: back).")
    Long shift;

    void into(Map<String, Object> body) {
      if (earliest) {
        body.put("to", "earliest");
      } else if (latest) {
        body.put("to", "latest");
      } else if (datetime != null) {
        body.put("to", "datetime");
        body.put("value", datetime);
      } else if (offset != null) {
        body.put("to", "offset");
        body.put("value", offset);
      } else {
        body.put("to", "shift");
        body.put("value", shift);
      }
    }
  }

  static final class Mode {
    @Option(names = "--dry-run", required = true, description = "Print the plan only (the default).")
    boolean dryRun;

    @Option(names = "--execute", required = true, description = "Commit the new offsets.")
    boolean execute;
  }

  @Command(name = "reset-offsets", mixinStandardHelpOptions = true,
      description = "Reset a group's committed offsets of a topic; the group must have no running consumer. "
          + "Prints the plan, and applies it only with --execute.")
  static final class ResetOffsets implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "GROUP")
    String group;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC[:P,P...]", converter = TopicPartitionsConverter.class,
        description = "The topic, and optionally its partitions (default: all of them).")
    TopicPartitions topic;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Mode mode;

    @Override
    public void run() {
      boolean execute = mode != null && mode.execute;
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("topic", topic.topic());
      if (topic.partitions() != null) {
        body.put("partitions", new ArrayList<Object>(topic.partitions()));
      }
      target.into(body);
      body.put("execute", execute);
      Map<String, Object> answer = BrookCli.http(spec).post(groupPath(group) + "/offsets", bytes(Json.write(body)));
      PrintWriter out = out(spec);
      out.printf("%-20s %-25s %-9s %-15s %s%n", "GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "NEW-OFFSET");
      for (Object item : array(answer.get("partitions"))) {
        Map<String, Object> row = object(item);
        long current = number(row, "currentOffset");
        out.printf("%-20s %-25s %-9d %-15s %d%n", group, topic.topic(), number(row, "partition"),
            current < 0 ? "-" : String.valueOf(current), number(row, "newOffset"));
      }
      out.println(execute ? "Offsets of group " + group + " reset." : "Dry run: nothing changed (add --execute to apply).");
    }
  }
}
