package io.brook.cli;

import static io.brook.cli.Json.array;
import static io.brook.cli.Json.number;
import static io.brook.cli.Json.object;
import static io.brook.cli.Json.text;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code brook cluster describe}: the controller, every registered broker and the metadata quorum;
 * {@code brook cluster health}: healthy or not, and why (exit 0 or 1);
 * {@code brook cluster remove-broker ID}: decommission a stopped broker. Over the HTTP API.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    description = "Describe the cluster's brokers, controller and metadata quorum; check its health; decommission a "
        + "broker.",
    subcommands = {ClusterCommand.Describe.class, ClusterCommand.Health.class, ClusterCommand.RemoveBroker.class})
public final class ClusterCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing command: describe, health or remove-broker");
  }

  @Command(name = "describe", mixinStandardHelpOptions = true,
      description = {"The active controller and its epoch, then one line per registered broker: its addresses, "
          + "state (UNFENCED: serving; REGISTERED: catching up; FENCED: dead or stale), broker epoch, how long ago "
          + "the controller heard its last heartbeat, and how many partitions it leads and hosts. Then the "
          + "metadata quorum: its epoch, committed offset, and each voter's (and observer's) metadata log end, lag "
          + "and last fetch, as the controller sees them."})
  static final class Describe implements Runnable {
    static final String[] HEADER = {"ID", "HOST", "HTTP", "BRIDGE", "STATE", "EPOCH", "HEARTBEAT", "LEADERS",
        "REPLICAS", "ROLE"};

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
      Map<String, Object> cluster = BrookCli.http(spec).get("/api/cluster");
      long controllerId = number(cluster, "controllerId");
      List<Object> brokers = array(cluster.get("brokers"));
      long unfenced = brokers.stream().filter(b -> "UNFENCED".equals(object(b).get("state"))).count();
      PrintWriter out = TopicsCommand.out(spec);
      out.printf("Controller: %s\tControllerEpoch: %d\tBrokers: %d (%d unfenced)%n",
          controllerId < 0 ? "none" : Long.toString(controllerId), number(cluster, "controllerEpoch"), brokers.size(),
          unfenced);
      List<String[]> rows = new ArrayList<>();
      rows.add(HEADER);
      for (Object item : brokers) {
        rows.add(row(object(item), controllerId));
      }
      printTable(out, rows);
      Object quorum = cluster.get("quorum");
      if (quorum != null) {
        printQuorum(out, object(quorum));
      }
    }

    static final String[] QUORUM_HEADER = {"NODE", "DIRECTORY", "ROLE", "LOG-END", "LAG", "LAST-FETCH"};

    static void printQuorum(PrintWriter out, Map<String, Object> quorum) {
      long leader = number(quorum, "leaderId");
      out.printf("%nMetadata quorum: leader %s, epoch %d, committed offset %d, log end %d%n",
          leader < 0 ? "none" : Long.toString(leader), number(quorum, "epoch"), number(quorum, "highWatermark"),
          number(quorum, "leaderLogEndOffset"));
      List<String[]> rows = new ArrayList<>();
      rows.add(QUORUM_HEADER);
      for (Object item : array(quorum.get("replicas"))) {
        Map<String, Object> replica = object(item);
        long id = number(replica, "nodeId");
        long end = number(replica, "logEndOffset");
        boolean voter = Boolean.TRUE.equals(replica.get("voter"));
        rows.add(new String[] {Long.toString(id), text(replica, "directoryId"),
            id == leader ? "leader" : voter ? "voter" : "observer",
            end < 0 ? "-" : Long.toString(end), end < 0 ? "-" : Long.toString(number(replica, "lag")),
            heartbeatAge(number(replica, "lastFetchAgeMs"))});
      }
      printTable(out, rows);
    }

    static String[] row(Map<String, Object> broker, long controllerId) {
      long bridge = number(broker, "bridgePort");
      return new String[] {
          Long.toString(number(broker, "nodeId")),
          text(broker, "host"),
          Long.toString(number(broker, "httpPort")),
          bridge < 0 ? "-" : Long.toString(bridge),
          text(broker, "state"),
          Long.toString(number(broker, "brokerEpoch")),
          heartbeatAge(number(broker, "lastHeartbeatAgeMs")),
          Long.toString(number(broker, "leaderCount")),
          Long.toString(number(broker, "replicaCount")),
          number(broker, "nodeId") == controllerId ? "controller" : ""};
    }

    /** "-" when the controller has not heard from the broker in its term; ms below 10 s, else s. */
    static String heartbeatAge(long ms) {
      if (ms < 0) {
        return "-";
      }
      return ms < 10_000 ? ms + "ms ago" : (ms / 1000) + "s ago";
    }
  }

  @Command(name = "health", mixinStandardHelpOptions = true,
      description = {"Whether the cluster is healthy (as rpk cluster health): there is a controller, every registered "
          + "broker is UNFENCED, and every partition has a leader and all its replicas in sync. Prints why not: the "
          + "brokers down, the leaderless and under-replicated partitions (at most 100 of each listed), the "
          + "controller and the metadata quorum. Exit code 0 when healthy, 1 when not (or when no answer came), "
          + "2 for bad usage. The same as GET /api/health."})
  static final class Health implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      Map<String, Object> health = BrookCli.http(spec).get("/api/health", 503);
      if (!health.containsKey("healthy")) { // a 503 that is an error (no broker answered), not a health report
        throw new ApiException(503, String.valueOf(health.get("error")), String.valueOf(health.get("message")));
      }
      print(TopicsCommand.out(spec), health);
      return Boolean.TRUE.equals(health.get("healthy")) ? 0 : 1;
    }

    static void print(PrintWriter out, Map<String, Object> health) {
      boolean healthy = Boolean.TRUE.equals(health.get("healthy"));
      out.println("Healthy: " + (healthy ? "yes" : "no"));
      if (!healthy) {
        out.println("Reasons: " + String.join("; ", strings(health.get("reasons"))));
      }
      long controller = number(health, "controllerId");
      out.println("Controller: " + (controller < 0 ? "none" : Long.toString(controller)));
      List<String> down = new ArrayList<>();
      for (Object item : array(health.get("brokersDown"))) {
        down.add(number(object(item), "nodeId") + " (" + text(object(item), "state") + ")");
      }
      out.println("Brokers: " + join(strings(health.get("brokers"))) + "\tDown: " + join(down));
      partitions(out, "Leaderless partitions", health, "leaderlessPartitionCount", "leaderlessPartitions");
      partitions(out, "Under-replicated partitions", health, "underReplicatedPartitionCount",
          "underReplicatedPartitions");
      Object quorum = health.get("quorum");
      if (quorum != null) {
        Map<String, Object> q = object(quorum);
        long leader = number(q, "leaderId");
        out.printf("Metadata quorum: leader %s, epoch %d, voters %s%n", leader < 0 ? "none" : Long.toString(leader),
            number(q, "epoch"), join(strings(q.get("voters"))));
      }
    }

    private static void partitions(PrintWriter out, String title, Map<String, Object> health, String countKey,
                                   String namesKey) {
      long count = number(health, countKey);
      List<String> names = strings(health.get(namesKey));
      String listed = names.size() < count ? ", the first " + names.size() + " listed" : "";
      out.println(title + " (" + count + listed + "): " + join(names));
    }

    private static List<String> strings(Object array) {
      return array(array).stream().map(item -> item instanceof Number n ? Long.toString(n.longValue())
          : String.valueOf(item)).toList();
    }

    private static String join(List<String> items) {
      return items.isEmpty() ? "-" : String.join(", ", items);
    }
  }

  @Command(name = "remove-broker", mixinStandardHelpOptions = true,
      description = {"Decommission a stopped broker for good: it leaves the metadata quorum's voters (another broker "
          + "takes its place when one is available) and the cluster's registrations, and no longer shows in "
          + "`cluster describe`. A running broker is refused. So is a broker that still hosts partition replicas: "
          + "the command lists them and prints the `partitions reassign` commands that move them to other live "
          + "brokers; run those, or give --force to remove it anyway (those partitions stay under-replicated until "
          + "reassigned)."})
  static final class RemoveBroker implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Parameters(index = "0", paramLabel = "ID", converter = Arguments.BrokerId.class,
        description = "The broker's node.id.")
    int nodeId;

    @picocli.CommandLine.Option(names = "--force",
        description = "Remove it even though it still hosts partition replicas.")
    boolean force;

    @Override
    public Integer call() {
      BrookHttp http = BrookCli.http(spec);
      Map<String, Object> cluster = force ? Map.of() : http.get("/api/cluster");
      if (!force && stoppedBroker(cluster)) {
        DecommissionPlan plan = DecommissionPlan.fetch(http, nodeId, cluster);
        if (!plan.empty()) {
          plan.print(TopicsCommand.out(spec));
          PrintWriter err = spec.commandLine().getErr();
          err.println("Error: broker " + nodeId + " still hosts " + plan.moves().size() + " partition replica(s); "
              + "not removed (move them as shown above, or give --force)");
          err.flush();
          return 1;
        }
      }
      // a running or unknown broker, or none of its replicas visible to this user: the controller decides
      http.delete("/api/cluster/brokers/" + nodeId + (force ? "?force=true" : ""));
      TopicsCommand.out(spec).printf("Removed broker %d.%n", nodeId);
      return 0;
    }

    /** Whether the broker is registered and FENCED: a plan is worth showing only for a broker that may go. */
    private boolean stoppedBroker(Map<String, Object> cluster) {
      return array(cluster.get("brokers")).stream().map(Json::object)
          .anyMatch(b -> number(b, "nodeId") == nodeId && "FENCED".equals(text(b, "state")));
    }
  }

  /** Left-aligned columns two spaces apart; trailing blanks trimmed. */
  static void printTable(PrintWriter out, List<String[]> rows) {
    int columns = rows.get(0).length;
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int c = 0; c < columns; c++) {
        widths[c] = Math.max(widths[c], row[c].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < columns; c++) {
        line.append(row[c]);
        if (c < columns - 1) {
          line.append(" ".repeat(widths[c] - row[c].length() + 2));
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
