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

/** {@code brook cluster describe}: the controller and every registered broker, over the HTTP API. */
@Command(name = "cluster", mixinStandardHelpOptions = true, description = "Describe the cluster's brokers and controller.",
    subcommands = {ClusterCommand.Describe.class})
public final class ClusterCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing command: describe");
  }

  @Command(name = "describe", mixinStandardHelpOptions = true,
      description = {"The active controller and its epoch, then one line per registered broker: its addresses, "
          + "state (UNFENCED: serving; REGISTERED: catching up; FENCED: dead or stale), broker epoch, how long ago "
          + "the controller heard its last heartbeat, and how many partitions it leads and hosts."})
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
