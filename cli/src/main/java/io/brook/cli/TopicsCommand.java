package io.brook.cli;

import static io.brook.cli.Json.array;
import static io.brook.cli.Json.number;
import static io.brook.cli.Json.object;
import static io.brook.cli.Json.text;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code brook topics create|list|describe|delete|alter|purge}: topic administration over the HTTP API. */
@Command(name = "topics", mixinStandardHelpOptions = true,
    description = "Create, list, describe, alter, purge and delete topics.",
    subcommands = {TopicsCommand.Create.class, TopicsCommand.ListTopics.class, TopicsCommand.Describe.class,
        TopicsCommand.Delete.class, TopicsCommand.Alter.class, TopicsCommand.Purge.class})
public final class TopicsCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing command: create, list, describe, delete, alter or purge");
  }

  static String topicPath(String name) {
    return "/api/topics/" + BrookHttp.encode(name);
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a topic.")
  static final class Create implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", converter = Arguments.TopicName.class,
        description = "Topic name ([a-zA-Z0-9._-], at most 249 characters).")
    String name;

    // null when not given: the broker's default. Never -1 or 0 for "default": the API reads -1 that way
    @Option(names = "--partitions", paramLabel = "N", converter = Arguments.AtLeastOne.class,
        description = "Number of partitions, at least 1 (default: the broker's num.partitions).")
    Integer partitions;

    @Option(names = "--replication-factor", paramLabel = "R", converter = Arguments.AtLeastOne.class,
        description = "Replicas per partition, at least 1 (default: the broker's default.replication.factor).")
    Integer replicationFactor;

    @Option(names = "--replica-assignment", paramLabel = "B:B,B:B",
        converter = Arguments.ReplicaAssignment.class,
        description = "The replicas of each partition, as kafka-topics takes them: partitions separated by commas, "
            + "their broker ids by colons, the first the preferred leader (1:2,2:3: partition 0 on brokers 1 and 2, "
            + "partition 1 on 2 and 3). Instead of --partitions and --replication-factor.")
    List<List<Integer>> replicaAssignment;

    @Option(names = "--config", paramLabel = "K=V", converter = Arguments.ConfigEntryConverter.class,
        description = "A topic config override, e.g. retention.ms=86400000 (repeatable).")
    List<Arguments.ConfigEntry> configs = new ArrayList<>();

    @Override
    public void run() {
      if (replicaAssignment != null && (partitions != null || replicationFactor != null)) {
        throw new ParameterException(spec.commandLine(),
            "Give --replica-assignment, or --partitions and --replication-factor, not both");
      }
      StringBuilder body = Json.quote(new StringBuilder("{\"name\":"), name);
      if (replicaAssignment != null) {
        writeAssignment(body.append(",\"replicaAssignment\":"), replicaAssignment);
      }
      if (partitions != null) {
        body.append(",\"partitions\":").append(partitions);
      }
      if (replicationFactor != null) {
        body.append(",\"replicationFactor\":").append(replicationFactor);
      }
      body.append(",\"configs\":");
      writeStrings(body, Arguments.configMap(configs)).append('}');
      BrookCli.http(spec).post("/api/topics", bytes(body));
      out(spec).println("Created topic " + name + ".");
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List topic names.")
  static final class ListTopics implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = {"-l", "--long"}, description = "Also show partitions and replication factor.")
    boolean details;

    @Option(names = "--include-internal", description = "Also list internal topics (names starting with __).")
    boolean internal;

    @Override
    public void run() {
      Map<String, Object> answer = BrookCli.http(spec).get("/api/topics" + (internal ? "?internal=true" : ""));
      PrintWriter out = out(spec);
      for (Object item : array(answer.get("topics"))) {
        Map<String, Object> topic = object(item);
        if (details) {
          out.printf("%s\tPartitionCount: %d\tReplicationFactor: %d%n", text(topic, "name"),
              number(topic, "partitions"), number(topic, "replicationFactor"));
        } else {
          out.println(text(topic, "name"));
        }
      }
    }
  }

  @Command(name = "describe", mixinStandardHelpOptions = true,
      description = "Describe a topic: configs, and each partition's leader, replicas and offsets.")
  static final class Describe implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", converter = Arguments.TopicName.class)
    String name;

    @Override
    public void run() {
      Map<String, Object> topic = BrookCli.http(spec).get(topicPath(name));
      List<Object> partitions = array(topic.get("partitions"));
      PrintWriter out = out(spec);
      out.printf("Topic: %s\tPartitionCount: %d\tReplicationFactor: %d\tConfigs: %s%n", text(topic, "name"),
          partitions.size(), number(topic, "replicationFactor"), joinConfigs(object(topic.get("configOverrides"))));
      for (Object item : partitions) {
        Map<String, Object> p = object(item);
        // Offline only when there are some, as Kafka's kafka-topics prints it
        List<Object> offline = p.get("offlineReplicas") == null ? List.of() : array(p.get("offlineReplicas"));
        out.printf("\tTopic: %s\tPartition: %d\tLeader: %d\tReplicas: %s\tIsr: %s%s\tLogStartOffset: %d"
                + "\tHighWatermark: %d\tLogEndOffset: %d\tSize: %d\tSegments: %d%n",
            text(topic, "name"), number(p, "partition"), number(p, "leader"), joinList(p.get("replicas")),
            joinList(p.get("isr")), offline.isEmpty() ? "" : "\tOffline: " + joinList(offline),
            number(p, "logStartOffset"), number(p, "highWatermark"),
            number(p, "logEndOffset"), number(p, "sizeBytes"), number(p, "segments"));
      }
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a topic and its data.")
  static final class Delete implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", converter = Arguments.TopicName.class)
    String name;

    @Override
    public void run() {
      BrookCli.http(spec).delete(topicPath(name));
      out(spec).println("Deleted topic " + name + ".");
    }
  }

  /**
   * Kafka's kafka-delete-records: moves partitions' log start offsets up, so the records below are
   * gone for every reader. One line per partition; exits 1 if any partition failed.
   */
  @Command(name = "purge", mixinStandardHelpOptions = true,
      description = "Delete a topic's records below an offset (all partitions up to their high watermark by default).")
  static final class Purge implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TOPIC", converter = Arguments.TopicName.class)
    String name;

    @Option(names = "--partition", paramLabel = "P", description = "Only this partition (default: every partition).")
    Integer partition;

    @Option(names = "--offset", paramLabel = "N",
        description = "Delete the records below offset N of --partition (default: -1, its high watermark).")
    Long offset;

    @Override
    public void run() {
      if (partition != null && partition < 0) {
        throw new ParameterException(spec.commandLine(), "--partition must be >= 0, was " + partition);
      }
      if (offset != null && partition == null) {
        throw new ParameterException(spec.commandLine(), "--offset needs --partition (every partition is purged "
            + "up to its high watermark)");
      }
      if (offset != null && offset < -1) {
        throw new ParameterException(spec.commandLine(), "--offset must be >= 0, or -1 for the high watermark, was "
            + offset);
      }
      String body = partition == null ? "{}"
          : "{\"partitions\":[{\"partition\":" + partition + ",\"offset\":" + (offset == null ? -1 : offset) + "}]}";
      Map<String, Object> answer = BrookCli.http(spec).post(topicPath(name) + "/records/delete", bytes(body));
      PrintWriter out = out(spec);
      int failed = 0;
      for (Object item : array(answer.get("results"))) {
        Map<String, Object> result = object(item);
        if (result.get("error") == null) {
          out.printf("Topic: %s\tPartition: %d\tLowWatermark: %d%n", name, number(result, "partition"),
              number(result, "lowWatermark"));
        } else {
          failed++;
          out.printf("Topic: %s\tPartition: %d\tError: %s: %s%n", name, number(result, "partition"),
              text(result, "error"), text(result, "message"));
        }
      }
      out.flush();
      if (failed > 0) {
        throw new CliException(failed + " partition(s) of " + name + " could not be purged");
      }
    }
  }

  @Command(name = "alter", mixinStandardHelpOptions = true,
      description = "Add partitions, or set or remove topic config overrides.")
  static final class Alter implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", converter = Arguments.TopicName.class)
    String name;

    @Option(names = "--partitions", paramLabel = "N", converter = Arguments.AtLeastOne.class,
        description = "Raise the partition count to N (partitions are only ever added; keyed records of existing keys "
            + "may then map to other partitions).")
    Integer partitions;

    @Option(names = "--replica-assignment", paramLabel = "B:B,B:B",
        converter = Arguments.ReplicaAssignment.class,
        description = "With --partitions: the replicas of each new partition, in order, as kafka-topics takes them "
            + "(partitions separated by commas, broker ids by colons; default: placed like a new topic's).")
    List<List<Integer>> replicaAssignment;

    @Option(names = "--config", paramLabel = "K=V", converter = Arguments.ConfigEntryConverter.class,
        description = "Set a config override (repeatable).")
    List<Arguments.ConfigEntry> set = new ArrayList<>();

    @Option(names = "--delete-config", paramLabel = "K", converter = Arguments.ConfigName.class,
        description = "Remove an override, back to the default (repeatable).")
    List<String> delete = new ArrayList<>();

    @Override
    public void run() {
      if (partitions == null && set.isEmpty() && delete.isEmpty()) {
        throw new ParameterException(spec.commandLine(),
            "Give --partitions N, or at least one --config K=V or --delete-config K");
      }
      if (replicaAssignment != null && partitions == null) {
        throw new ParameterException(spec.commandLine(), "--replica-assignment places new partitions: give --partitions N");
      }
      if (partitions != null) {
        StringBuilder body = new StringBuilder("{\"count\":").append(partitions);
        if (replicaAssignment != null) {
          writeAssignment(body.append(",\"replicaAssignment\":"), replicaAssignment);
        }
        Map<String, Object> answer = BrookCli.http(spec).post(topicPath(name) + "/partitions", bytes(body.append('}')));
        out(spec).println("Topic " + name + " now has " + array(answer.get("partitions")).size() + " partitions.");
      }
      if (set.isEmpty() && delete.isEmpty()) {
        return;
      }
      StringBuilder body = new StringBuilder("{\"set\":");
      writeStrings(body, Arguments.configMap(set)).append(",\"delete\":[");
      for (int i = 0; i < delete.size(); i++) {
        Json.quote(body.append(i == 0 ? "" : ","), delete.get(i));
      }
      body.append("]}");
      Map<String, Object> answer = BrookCli.http(spec).put(topicPath(name) + "/configs", bytes(body));
      out(spec).println("Completed updating config for topic " + name + ". Overrides: "
          + joinConfigs(object(answer.get("configOverrides"))));
    }
  }

  static PrintWriter out(CommandSpec spec) {
    return spec.commandLine().getOut();
  }

  static byte[] bytes(CharSequence json) {
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static StringBuilder writeAssignment(StringBuilder out, List<List<Integer>> assignment) {
    out.append('[');
    for (int i = 0; i < assignment.size(); i++) {
      out.append(i == 0 ? "" : ",").append(assignment.get(i).toString().replace(" ", ""));
    }
    return out.append(']');
  }

  private static StringBuilder writeStrings(StringBuilder out, Map<String, String> values) {
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, String> entry : values.entrySet()) {
      Json.quote(out.append(first ? "" : ","), entry.getKey()).append(':');
      Json.quote(out, entry.getValue());
      first = false;
    }
    return out.append('}');
  }

  private static String joinConfigs(Map<String, Object> configs) {
    List<String> parts = new ArrayList<>();
    configs.forEach((key, value) -> parts.add(key + "=" + value));
    return String.join(",", parts);
  }

  private static String joinList(Object values) {
    List<String> parts = new ArrayList<>();
    array(values).forEach(item -> parts.add(String.valueOf(item)));
    return String.join(",", parts);
  }
}
