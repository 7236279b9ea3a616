package io.brook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The decommission plan: only the broker's partitions, each to the least loaded live broker outside its replicas. */
class DecommissionPlanTest {
  static Map<String, Object> broker(int id, String state, long replicas) {
    return Map.of("nodeId", (long) id, "state", state, "replicaCount", replicas);
  }

  static Map<String, Object> partition(int p, Integer... replicas) {
    return Map.of("partition", (long) p, "replicas", List.of((Object[]) replicas));
  }

  @Test
  void movesEachReplicaToTheLeastLoadedLiveBrokerOutsideItsReplicas() {
    // proves: broker 3's replicas go to live brokers not already replicas (4 and 5, least loaded first, ties to the
    // lower id), the new one last so the next replica is preferred; a fenced broker is never a target; a partition
    // whose replicas cover every live broker gets no move
    Map<String, Object> cluster = Map.of("brokers", List.of(broker(1, "UNFENCED", 9), broker(2, "UNFENCED", 9),
        broker(3, "FENCED", 3), broker(4, "UNFENCED", 1), broker(5, "UNFENCED", 1), broker(6, "FENCED", 0)));
    List<Map<String, Object>> topics = List.of(
        Map.of("name", "b", "partitions", List.of(partition(0, 3, 1, 2), partition(1, 1, 2)))
        , Map.of("name", "a", "partitions", List.of(partition(0, 1, 3), partition(1, 3, 1, 2, 4, 5))));
    DecommissionPlan plan = DecommissionPlan.of(3, cluster, topics);
    assertThat(plan.moves()).containsExactly(
        new DecommissionPlan.Move("a", 0, List.of(1, 3), List.of(1, 4)),
        new DecommissionPlan.Move("a", 1, List.of(3, 1, 2, 4, 5), null),
        new DecommissionPlan.Move("b", 0, List.of(3, 1, 2), List.of(1, 2, 5)));
    StringWriter out = new StringWriter();
    plan.print(new PrintWriter(out, true));
    assertThat(out.toString()).isEqualTo("""
        Broker 3 still hosts 3 partition replica(s): a:0, a:1, b:0
        Move them to other live brokers first, then remove the broker:
          bin/brook partitions reassign a:0 --replicas 1,4 --wait
          # a:1 (replicas 3,1,2,4,5): no live broker outside its replicas can take it; start another broker, \
        or remove it with --force and reassign later
          bin/brook partitions reassign b:0 --replicas 1,2,5 --wait
        Or remove it now: bin/brook cluster remove-broker 3 --force (those partitions then stay under-replicated \
        until reassigned)
        """);
    assertThat(DecommissionPlan.of(6, cluster, topics).empty()).isTrue();
  }
}
