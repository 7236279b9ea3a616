package io.brook.metadata;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;

/**
 * Manual replica assignments (CreateTopics' and CreatePartitions' {@code assignments}), checked as Kafka's
 * controller checks them (ReplicationControlManager#validateManualPartitionAssignment), each refusal an
 * {@link InvalidReplicaAssignmentException} with Kafka's message: every partition has a non-empty replica
 * list of the same length (a new topic's first list sets it; added partitions take the topic's replication
 * factor), no broker twice in a list, every broker registered, and at least one of them unfenced (it leads;
 * the others join the ISR once they fetch). A new topic's partitions are numbered 0..n-1 without a gap.
 * Stateless; the lists it returns are copies in partition order.
 */
final class ManualAssignments {

    private ManualAssignments() {
    }

    /** A new topic's replicas, partition 0 first; the replication factor is the lists' common length. */
    static List<List<Integer>> forNewTopic(MetadataImage image, Map<Integer, List<Integer>> byPartition,
                                           int maxPartitions) {
        if (byPartition.size() > maxPartitions) {
            throw new InvalidPartitionsException("Number of partitions must be between 1 and " + maxPartitions
                + ", was " + byPartition.size() + " in the manual partition assignment");
        }
        List<List<Integer>> lists = new ArrayList<>(byPartition.size());
        for (int partition = 0; partition < byPartition.size(); partition++) {
            if (!byPartition.containsKey(partition)) {
                throw new InvalidReplicaAssignmentException("partitions should be a consecutive 0-based integer "
                    + "sequence, was " + byPartition.keySet());
            }
            int replicationFactor = lists.isEmpty() ? -1 : lists.get(0).size();
            lists.add(checked(image, partition, byPartition.get(partition), replicationFactor));
        }
        return lists;
    }

    /** Replicas for the partitions a topic grows by, one list for each of {@code added} partitions from {@code first}. */
    static List<List<Integer>> forNewPartitions(MetadataImage image, TopicImage topic, int first,
                                                List<List<Integer>> lists, int added) {
        if (lists.size() != added) {
            throw new InvalidReplicaAssignmentException("Attempted to add " + added + " additional partition(s), but "
                + "only " + lists.size() + " assignment(s) were specified.");
        }
        List<List<Integer>> checked = new ArrayList<>(added);
        for (int i = 0; i < added; i++) {
            checked.add(checked(image, first + i, lists.get(i), topic.replicationFactor()));
        }
        return checked;
    }

    /** {@code replicationFactor} -1: any length. */
    private static List<Integer> checked(MetadataImage image, int partition, List<Integer> replicas,
                                         int replicationFactor) {
        if (replicas == null || replicas.isEmpty()) {
            throw new InvalidReplicaAssignmentException("The manual partition assignment includes an empty replica "
                + "list (partition " + partition + ").");
        }
        Set<Integer> seen = new HashSet<>();
        for (Integer broker : replicas) {
            if (broker == null || image.broker(broker).isEmpty()) {
                throw new InvalidReplicaAssignmentException("The manual partition assignment includes broker " + broker
                    + ", but no such broker is registered (partition " + partition + ": " + replicas + ").");
            }
            if (!seen.add(broker)) {
                throw new InvalidReplicaAssignmentException("The manual partition assignment includes the broker "
                    + broker + " more than once (partition " + partition + ": " + replicas + ").");
            }
        }
        if (replicationFactor != -1 && replicas.size() != replicationFactor) {
            throw new InvalidReplicaAssignmentException("The manual partition assignment includes a partition with "
                + replicas.size() + " replica(s), but this is not consistent with previous partitions, which have "
                + replicationFactor + " replica(s) (partition " + partition + ": " + replicas + ").");
        }
        if (replicas.stream().noneMatch(image::isUnfenced)) {
            throw new InvalidReplicaAssignmentException("All brokers specified in the manual partition assignment for "
                + "partition " + partition + " are fenced or in controlled shutdown.");
        }
        return List.copyOf(replicas);
    }
}
