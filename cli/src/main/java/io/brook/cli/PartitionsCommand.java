package io.brook.cli;

import static io.brook.cli.Json.array;
import static io.brook.cli.Json.number;
import static io.brook.cli.Json.object;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code brook partitions reassign|elect-leaders}: moving partitions and their leaders, over the HTTP API. */
@Command(name = "partitions", mixinStandardHelpOptions = true, description = "Reassign partitions and elect their leaders.",
    subcommands = {PartitionsCommand.Reassign.class, PartitionsCommand.ElectLeaders.class})
public final class PartitionsCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing command: reassign or elect-leaders");
  }

  /** A partition as the user names it: {@code TOPIC:PARTITION}. */
  record TopicPartition(String topic, int partition) {
    @Override
    public String toString() {
      return topic + ":" + partition;
    }
  }

  /** Parses {@code TOPIC:PARTITION}; a usage error (exit 2) otherwise. */
  static final class TopicPartitionConverter implements ITypeConverter<TopicPartition> {
    @Override
    public TopicPartition convert(String value) {
      int colon = value.lastIndexOf(':');
      if (colon <= 0 || colon == value.length() - 1) {
        throw new TypeConversionException("expected TOPIC:PARTITION, e.g. orders:0, not '" + value + "'");
      }
      try {
        int partition = Integer.parseInt(value.substring(colon + 1));
        if (partition < 0) {
          throw new NumberFormatException();
        }
        return new TopicPartition(Arguments.checkTopicName(value.substring(0, colon)), partition);
      } catch (NumberFormatException e) {
        throw new TypeConversionException("the partition in '" + value + "' must be a number >= 0");
      }
    }
  }

  @Command(name = "reassign", mixinStandardHelpOptions = true,
      description = {"Move a partition to other brokers: the new replicas catch up as followers, then the controller "
          + "drops the old ones. The leader changes only if it is not among the new replicas (the first new replica "
          + "in sync then leads). Otherwise the first replica, the preferred leader, takes over at the next "
          + "preferred election: the controller's auto leader rebalance (every "
          + "leader.imbalance.check.interval.seconds, 300 s) or `partitions elect-leaders` now, as in Kafka. "
          + "--cancel stops a running reassignment (the original replicas stay)."})
  static final class Reassign implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TOPIC:PARTITION", converter = TopicPartitionConverter.class)
    TopicPartition partition;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
      @Option(names = "--replicas", paramLabel = "ID", split = ",", splitSynopsisLabel = ",", required = true,
          description = "The new replica brokers; the first is the preferred leader (it leads after the next "
              + "preferred election).")
      List<Integer> replicas;

      @Option(names = "--cancel", required = true, description = "Cancel the partition's running reassignment.")
      boolean cancel;
    }

    @Option(names = "--wait", description = "Wait until the reassignment completes.")
    boolean await;

    @Option(names = "--timeout-ms", paramLabel = "T", defaultValue = "300000",
        description = "With --wait: give up after this long, 0 or more (default: ${DEFAULT-VALUE}).")
    long timeoutMs;

    @Override
    public void run() {
      if (timeoutMs < 0) {
        throw new ParameterException(spec.commandLine(), "--timeout-ms must be 0 or more, was " + timeoutMs);
      }
      if (target.replicas != null && target.replicas.stream().anyMatch(id -> id < 0)) {
        throw new ParameterException(spec.commandLine(), "--replicas takes broker ids (>= 0), was " + target.replicas);
      }
      BrookHttp http = BrookCli.http(spec);
      String path = TopicsCommand.topicPath(partition.topic()) + "/partitions/" + partition.partition() + "/reassign";
      PrintWriter out = TopicsCommand.out(spec);
      if (target.cancel) {
        Map<String, Object> answer = http.delete(path);
        out.println("Cancelled the reassignment of " + partition + ": " + state(answer));
        return;
      }
      StringBuilder body = new StringBuilder("{\"replicas\":[");
      for (int i = 0; i < target.replicas.size(); i++) {
        body.append(i == 0 ? "" : ",").append(target.replicas.get(i));
      }
      Map<String, Object> answer = http.post(path, TopicsCommand.bytes(body.append("]}")));
      if (!Boolean.TRUE.equals(answer.get("reassigning"))) {
        // committed (a reorder moves no data); with --wait, also until a describe shows it, which any
        // broker answers from its own copy of the metadata
        out.println("Reassigned " + partition + ": " + state(await ? awaitDone(http, target.replicas) : answer));
        return;
      }
      out.println("Reassignment of " + partition + " to " + join(target.replicas) + " started: " + state(answer));
      if (!await) {
        out.println("Follow it with: bin/brook topics describe " + partition.topic());
        return;
      }
      out.flush();
      Map<String, Object> done = awaitDone(http, target.replicas);
      out.println("Reassigned " + partition + ": " + state(done));
    }

    /** Polls the partition's metadata until its replicas are the targets, all in sync. */
    private Map<String, Object> awaitDone(BrookHttp http, List<Integer> targets) {
      long deadline = System.currentTimeMillis() + timeoutMs;
      String path = TopicsCommand.topicPath(partition.topic()) + "/partitions";
      while (true) {
        Map<String, Object> current = array(http.get(path).get("partitions")).stream().map(Json::object)
            .filter(p -> number(p, "partition") == partition.partition()).findFirst()
            .orElseThrow(() -> new CliException("partition " + partition + " no longer exists"));
        List<Long> replicas = longs(current.get("replicas"));
        List<Long> isr = longs(current.get("isr"));
        List<Long> wanted = targets.stream().map(Integer::longValue).toList();
        if (replicas.equals(wanted) && isr.containsAll(wanted)) {
          return current;
        }
        if (System.currentTimeMillis() > deadline) {
          throw new CliException("the reassignment of " + partition + " did not complete within " + timeoutMs
              + " ms (now " + state(current) + "); it goes on: check with bin/brook topics describe " + partition.topic());
        }
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CliException("interrupted");
        }
      }
    }

    private static List<Long> longs(Object values) {
      return array(values).stream().map(v -> ((Number) v).longValue()).toList();
    }
  }

  @Command(name = "elect-leaders", mixinStandardHelpOptions = true,
      description = {"Elect partition leaders. preferred (default): each partition's first replica leads again when it "
          + "is alive and in sync (after a broker came back). unclean: a leaderless partition takes any live replica, "
          + "even one that is not in sync (records may be lost). Every partition when no --partition is given."})
  static final class ElectLeaders implements Runnable {
    enum Type { preferred, unclean }

    @Spec
    CommandSpec spec;

    @Option(names = "--type", paramLabel = "preferred|unclean", defaultValue = "preferred",
        description = "Election type (default: ${DEFAULT-VALUE}).")
    Type type;

    @Option(names = "--partition", paramLabel = "TOPIC:PARTITION", converter = TopicPartitionConverter.class,
        description = "A partition to elect (repeatable); all when none is given.")
    List<TopicPartition> partitions = new ArrayList<>();

    @Override
    public void run() {
      StringBuilder body = new StringBuilder("{\"preferred\":").append(type == Type.preferred).append(",\"partitions\":[");
      for (int i = 0; i < partitions.size(); i++) {
        Json.quote(body.append(i == 0 ? "" : ","), partitions.get(i).toString());
      }
      Map<String, Object> answer = BrookCli.http(spec).post("/api/partitions/elect-leaders",
          TopicsCommand.bytes(body.append("]}")));
      Map<String, Object> results = object(answer.get("results"));
      PrintWriter out = TopicsCommand.out(spec);
      if (results.isEmpty()) {
        out.println("No partitions to elect.");
        return;
      }
      List<String> elected = new ArrayList<>();
      List<String> notNeeded = new ArrayList<>();
      Map<String, String> failed = new TreeMap<>();
      new TreeMap<>(results).forEach((partition, result) -> {
        switch (String.valueOf(result)) {
          case "NONE" -> elected.add(partition);
          case "ELECTION_NOT_NEEDED" -> notNeeded.add(partition);
          default -> failed.put(partition, String.valueOf(result));
        }
      });
      if (!elected.isEmpty()) {
        out.println("Elected a new leader (" + type + ") for: " + String.join(", ", elected));
      }
      if (!notNeeded.isEmpty()) {
        out.println((type == Type.preferred ? "Preferred leader already leads" : "Leader already present")
            + " (no election needed) for: " + String.join(", ", notNeeded));
      }
      failed.forEach((partition, error) -> out.println("Election failed for " + partition + ": " + error
          + hint(error)));
      if (!failed.isEmpty()) {
        out.flush();
        throw new CliException(failed.size() + " partition(s) could not be elected");
      }
    }

    private static String hint(String error) {
      return switch (error) {
        case "PREFERRED_LEADER_NOT_AVAILABLE" -> " (the preferred replica is down or not in sync)";
        case "ELIGIBLE_LEADERS_NOT_AVAILABLE" -> " (no live replica to lead)";
        case "UNKNOWN_TOPIC_OR_PARTITION" -> " (no such partition)";
        default -> "";
      };
    }
  }

  /** "Leader: 1  Replicas: 1,2,3  Isr: 1,2" from a partition's JSON. */
  static String state(Map<String, Object> partition) {
    return "Leader: " + number(partition, "leader") + "\tReplicas: " + join(array(partition.get("replicas")))
        + "\tIsr: " + join(array(partition.get("isr")));
  }

  private static String join(List<?> values) {
    List<String> parts = new ArrayList<>();
    values.forEach(v -> parts.add(String.valueOf(v)));
    return String.join(",", parts);
  }
}
