package io.brook.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Cluster-wide leader elections caused by broker state changes, as {@link PartitionChange} records
 * (in topic and partition order, so results are deterministic):
 *
 * <ul>
 *   <li>brokers fenced: each leaves every ISR it is in when the ISR keeps at least one member
 *       (otherwise the ISR is kept, as Kafka keeps its last member), and partitions it led elect a
 *       new leader, or none;</li>
 *   <li>a broker unfenced: leaderless partitions it can now lead elect it (from the ISR, or as an
 *       out-of-sync replica where unclean election is enabled);</li>
 *   <li>unclean election turned on for a topic: its leaderless partitions elect any unfenced replica.</li>
 * </ul>
 *
 * <p>Stateless; each sweep scans all partitions once (O(partitions)), which happens only when a
 * broker's state changes.
 */
final class PartitionElection {

    private PartitionElection() {
    }

    /** Elections when every broker of {@code fenced} is fenced at once. */
    static List<PartitionChange> onFenced(MetadataImage image, Set<Integer> fenced, ControllerConfig config) {
        IntPredicate unfenced = id -> !fenced.contains(id) && image.isUnfenced(id);
        List<PartitionChange> changes = new ArrayList<>();
        for (String name : image.topicNames()) {
            TopicImage topic = image.topics().get(name);
            boolean unclean = TopicConfigRules.uncleanLeaderElection(topic, config);
            for (int i = 0; i < topic.partitionCount(); i++) {
                PartitionRegistration partition = topic.partitions().get(i);
                if (!touches(partition, fenced)) {
                    continue;
                }
                new PartitionChangeBuilder(name, i, partition, image, unfenced).uncleanAllowed(unclean)
                    .isr(isrWithout(partition.isr(), fenced)).build().ifPresent(changes::add);
            }
        }
        return changes;
    }

    /** Elections for the leaderless partitions broker {@code nodeId}, just unfenced, can lead. */
    static List<PartitionChange> onUnfenced(MetadataImage image, int nodeId, ControllerConfig config) {
        IntPredicate unfenced = id -> id == nodeId || image.isUnfenced(id);
        List<PartitionChange> changes = new ArrayList<>();
        for (String name : image.topicNames()) {
            TopicImage topic = image.topics().get(name);
            boolean unclean = TopicConfigRules.uncleanLeaderElection(topic, config);
            for (int i = 0; i < topic.partitionCount(); i++) {
                PartitionRegistration partition = topic.partitions().get(i);
                if (!partition.hasLeader() && partition.isReplica(nodeId)) {
                    new PartitionChangeBuilder(name, i, partition, image, unfenced).uncleanAllowed(unclean).build()
                        .ifPresent(changes::add);
                }
            }
        }
        return changes;
    }

    /** Elections for {@code topic}'s leaderless partitions, allowing out-of-sync leaders if {@code unclean}. */
    static List<PartitionChange> leaderless(MetadataImage image, TopicImage topic, boolean unclean) {
        List<PartitionChange> changes = new ArrayList<>();
        for (int i = 0; i < topic.partitionCount(); i++) {
            PartitionRegistration partition = topic.partitions().get(i);
            if (!partition.hasLeader()) {
                new PartitionChangeBuilder(topic.name(), i, partition, image, image::isUnfenced).uncleanAllowed(unclean)
                    .build().ifPresent(changes::add);
            }
        }
        return changes;
    }

    private static boolean touches(PartitionRegistration partition, Set<Integer> fenced) {
        return fenced.contains(partition.leader()) || partition.isr().stream().anyMatch(fenced::contains);
    }

    /** The ISR without the fenced brokers, or the ISR unchanged if that would leave it empty. */
    private static List<Integer> isrWithout(List<Integer> isr, Set<Integer> fenced) {
        List<Integer> remaining = isr.stream().filter(id -> !fenced.contains(id)).toList();
        return remaining.isEmpty() ? isr : remaining;
    }
}
