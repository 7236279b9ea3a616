package io.brook.cli;

import static io.brook.cli.Json.array;
import static io.brook.cli.Json.number;
import static io.brook.cli.Json.object;
import static io.brook.cli.Json.text;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * What decommissioning broker {@code nodeId} would leave behind: the partitions it still hosts, and for each the
 * {@code partitions reassign} that would move its replica to another live (UNFENCED) broker, the least loaded
 * first. The other replicas keep their order and the new one goes last, so the next replica becomes the
 * preferred leader and leadership stays on a broker that has the data. A partition whose replicas already cover
 * every live broker has no move (null). Built from the HTTP API's cluster description and topic metadata.
 */
record DecommissionPlan(int nodeId, List<Move> moves) {

  /** One partition on the broker, and where its replicas would go ({@code to} null: no live broker can take it). */
  record Move(String topic, int partition, List<Integer> from, List<Integer> to) {
    String name() {
      return topic + ":" + partition;
    }
  }

  /** Asks the node for the cluster and every topic's partitions (in parallel), and plans. */
  static DecommissionPlan fetch(BrookHttp http, int nodeId, Map<String, Object> cluster) {
    List<CompletableFuture<Map<String, Object>>> topics = new ArrayList<>();
    for (Object item : array(http.get("/api/topics").get("topics"))) {
      topics.add(http.getAsync(TopicsCommand.topicPath(text(object(item), "name")) + "/partitions"));
    }
    List<Map<String, Object>> described = topics.stream().map(BrookHttp::join).toList();
    return of(nodeId, cluster, described);
  }

  /**
   * @param cluster {@code GET /api/cluster}
   * @param topics {@code GET /api/topics/:name/partitions} of each topic
   */
  static DecommissionPlan of(int nodeId, Map<String, Object> cluster, List<Map<String, Object>> topics) {
    Map<Integer, Long> load = new TreeMap<>(); // live brokers other than nodeId → replicas they host, as planned
    for (Object item : array(cluster.get("brokers"))) {
      Map<String, Object> broker = object(item);
      int id = (int) number(broker, "nodeId");
      if (id != nodeId && "UNFENCED".equals(text(broker, "state"))) {
        load.put(id, number(broker, "replicaCount"));
      }
    }
    List<Move> moves = new ArrayList<>();
    topics.stream().sorted(Comparator.comparing(topic -> text(topic, "name"))).forEach(topic -> {
      for (Object item : array(topic.get("partitions"))) {
        Map<String, Object> partition = object(item);
        List<Integer> replicas = array(partition.get("replicas")).stream().map(id -> ((Number) id).intValue()).toList();
        if (replicas.contains(nodeId)) {
          moves.add(move(text(topic, "name"), (int) number(partition, "partition"), replicas, nodeId, load));
        }
      }
    });
    moves.sort(Comparator.comparing(Move::topic).thenComparingInt(Move::partition));
    return new DecommissionPlan(nodeId, List.copyOf(moves));
  }

  private static Move move(String topic, int partition, List<Integer> replicas, int nodeId, Map<Integer, Long> load) {
    Integer target = load.entrySet().stream().filter(e -> !replicas.contains(e.getKey()))
        .min(Map.Entry.<Integer, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey).orElse(null);
    if (target == null) {
      return new Move(topic, partition, replicas, null);
    }
    load.merge(target, 1L, Long::sum);
    List<Integer> to = new ArrayList<>(replicas.stream().filter(id -> id != nodeId).toList());
    to.add(target);
    return new Move(topic, partition, replicas, List.copyOf(to));
  }

  boolean empty() {
    return moves.isEmpty();
  }

  /** The partitions, the commands that move them, and the way out with --force. */
  void print(PrintWriter out) {
    out.println("Broker " + nodeId + " still hosts " + moves.size() + " partition replica(s): "
        + String.join(", ", moves.stream().map(Move::name).toList()));
    out.println("Move them to other live brokers first, then remove the broker:");
    for (Move move : moves) {
      if (move.to() == null) {
        out.println("  # " + move.name() + " (replicas " + join(move.from()) + "): no live broker outside its "
            + "replicas can take it; start another broker, or remove it with --force and reassign later");
      } else {
        out.println("  bin/brook partitions reassign " + move.name() + " --replicas " + join(move.to()) + " --wait");
      }
    }
    out.println("Or remove it now: bin/brook cluster remove-broker " + nodeId + " --force (those partitions then stay "
        + "under-replicated until reassigned)");
  }

  private static String join(List<Integer> ids) {
    return String.join(",", ids.stream().map(String::valueOf).toList());
  }
}
