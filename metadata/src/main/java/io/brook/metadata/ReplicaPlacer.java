package io.brook.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Places the replicas of new partitions, as Kafka's rack-unaware {@code assignReplicasToBrokers}:
 * partition {@code p}'s first replica (its preferred leader) is broker {@code (p + start) mod n}, so
 * leaders go round the brokers; each following replica is shifted from the first by
 * {@code 1 + (shift + j) mod (n - 1)}, and {@code shift} grows by one every {@code n} partitions, so
 * followers spread too. {@code start} and the initial {@code shift} are random (seeded), so that many
 * small topics do not all put their leaders on the first broker.
 *
 * <p>Owned by the controller thread (it draws from the controller's {@link Random}).
 */
final class ReplicaPlacer {

    private final Random random;

    ReplicaPlacer(Random random) {
        this.random = random;
    }

    /**
     * Replica lists for partitions {@code firstPartition .. firstPartition + count - 1}.
     *
     * @param brokers the candidate brokers, ascending and distinct; at least {@code replicationFactor}
     */
    List<List<Integer>> place(List<Integer> brokers, int firstPartition, int count, int replicationFactor) {
        int n = brokers.size();
        if (replicationFactor < 1 || replicationFactor > n) {
            throw new IllegalArgumentException("replication factor " + replicationFactor + " with " + n + " brokers");
        }
        int startIndex = random.nextInt(n);
        int shift = random.nextInt(n);
        List<List<Integer>> assignments = new ArrayList<>(count);
        for (int partition = firstPartition; partition < firstPartition + count; partition++) {
            if (partition > 0 && partition % n == 0) {
                shift++;
            }
            int first = (partition + startIndex) % n;
            List<Integer> replicas = new ArrayList<>(replicationFactor);
            replicas.add(brokers.get(first));
            for (int j = 0; j < replicationFactor - 1; j++) {
                replicas.add(brokers.get(replicaIndex(first, shift, j, n)));
            }
            assignments.add(List.copyOf(replicas));
        }
        return assignments;
    }

    private static int replicaIndex(int firstIndex, int shift, int replica, int brokerCount) {
        int offset = 1 + (shift + replica) % (brokerCount - 1);
        return (firstIndex + offset) % brokerCount;
    }
}
