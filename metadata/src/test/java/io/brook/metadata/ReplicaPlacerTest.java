package io.brook.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Placement follows Kafka's assignReplicasToBrokers: leaders round-robin from a random start, followers shifted. */
class ReplicaPlacerTest {

    static final List<Integer> BROKERS = List.of(1, 2, 3);

    @Test
    void replicasAreDistinctBrokers() {
        // proves: every partition gets rf distinct brokers from the candidates
        List<List<Integer>> placed = new ReplicaPlacer(new Random(1)).place(List.of(1, 2, 3, 4, 5), 0, 50, 3);
        assertThat(placed).hasSize(50).allSatisfy(replicas -> {
            assertThat(replicas).hasSize(3).doesNotHaveDuplicates();
            assertThat(List.of(1, 2, 3, 4, 5)).containsAll(replicas);
        });
    }

    @Test
    void oneTopicWithAMultipleOfBrokerCountIsExactlyEven() {
        // proves: n*k partitions put exactly k leaders and k*rf replicas on each of n brokers
        List<List<Integer>> placed = new ReplicaPlacer(new Random(7)).place(BROKERS, 0, 12, 2);
        assertThat(countLeaders(placed)).containsOnlyKeys(1, 2, 3).allSatisfy((b, n) -> assertThat(n).isEqualTo(4));
        assertThat(countReplicas(placed)).allSatisfy((b, n) -> assertThat(n).isEqualTo(8));
    }

    @Test
    void manySmallTopicsSpreadEvenly() {
        // proves: the random start spreads leaders and replicas of many 1-partition topics over 3 brokers
        ReplicaPlacer placer = new ReplicaPlacer(new Random(42));
        Map<Integer, Integer> leaders = new HashMap<>();
        Map<Integer, Integer> replicas = new HashMap<>();
        for (int topic = 0; topic < 600; topic++) {
            List<List<Integer>> placed = placer.place(BROKERS, 0, 1, 2);
            countLeaders(placed).forEach((b, n) -> leaders.merge(b, n, Integer::sum));
            countReplicas(placed).forEach((b, n) -> replicas.merge(b, n, Integer::sum));
        }
        assertThat(leaders).allSatisfy((b, n) -> assertThat(n).isBetween(160, 240)); // 200 expected each
        assertThat(replicas).allSatisfy((b, n) -> assertThat(n).isBetween(340, 460)); // 400 expected each
    }

    @Test
    void followersShiftEveryBrokerCountPartitions() {
        // proves: Kafka's shift: with start 0 and shift 0 on 3 brokers, rf 3 gives [1,2,3],[2,3,1],[3,1,2], then shifted
        List<List<Integer>> placed = new ReplicaPlacer(new FixedRandom()).place(BROKERS, 0, 6, 3);
        assertThat(placed).containsExactly(
            List.of(1, 2, 3), List.of(2, 3, 1), List.of(3, 1, 2),
            List.of(1, 3, 2), List.of(2, 1, 3), List.of(3, 2, 1));
    }

    @Test
    void addedPartitionsContinueThePattern() {
        // proves: placing partitions 3.. continues Kafka's numbering (shift counted from the partition id)
        List<List<Integer>> placed = new ReplicaPlacer(new FixedRandom()).place(BROKERS, 3, 3, 3);
        assertThat(placed).containsExactly(List.of(1, 3, 2), List.of(2, 1, 3), List.of(3, 2, 1));
    }

    @Test
    void sameSeedSamePlacement() {
        // proves: placement is deterministic given the seed (replay and tests are reproducible)
        assertThat(new ReplicaPlacer(new Random(5)).place(List.of(1, 2, 3, 4), 0, 20, 3))
            .isEqualTo(new ReplicaPlacer(new Random(5)).place(List.of(1, 2, 3, 4), 0, 20, 3));
    }

    private static Map<Integer, Integer> countLeaders(List<List<Integer>> placed) {
        Map<Integer, Integer> counts = new HashMap<>();
        placed.forEach(replicas -> counts.merge(replicas.get(0), 1, Integer::sum));
        return counts;
    }

    private static Map<Integer, Integer> countReplicas(List<List<Integer>> placed) {
        Map<Integer, Integer> counts = new HashMap<>();
        placed.forEach(replicas -> replicas.forEach(b -> counts.merge(b, 1, Integer::sum)));
        return counts;
    }

    /** A Random whose nextInt is always 0: start index 0, shift 0. */
    private static final class FixedRandom extends Random {
        @Override
        public int nextInt(int bound) {
            return 0;
        }
    }
}
