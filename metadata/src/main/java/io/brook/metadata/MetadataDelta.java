package io.brook.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.TopicIdPartition;

/**
 * What changed for one broker between two images: the partitions it now leads or follows whose
 * state changed (with their new epochs and ISR), the replicas it no longer hosts (topic deleted,
 * re-created under a new id, or reassigned away), and the hosted topics whose configs changed. The
 * broker's replica manager reacts to it: start or switch leaders and followers, delete local logs.
 *
 * <p>A partition whose leader becomes -1 appears among {@link #followers()} (the broker still hosts
 * it but nobody leads it: it stops fetching). Lists are in topic name and partition order.
 *
 * <p>Cost: unchanged topics are the same instance in both images and are skipped by reference, so
 * a diff costs O(topics + partitions of the changed topics).
 */
public record MetadataDelta(int nodeId, List<ReplicaChange> leaders, List<ReplicaChange> followers,
                            List<TopicIdPartition> removed, Set<String> changedConfigs) {

    public MetadataDelta {
        leaders = List.copyOf(leaders);
        followers = List.copyOf(followers);
        removed = List.copyOf(removed);
        changedConfigs = Set.copyOf(changedConfigs);
    }

    /** What changed for broker {@code nodeId} from {@code before} to {@code after}. */
    public static MetadataDelta forBroker(MetadataImage before, MetadataImage after, int nodeId) {
        Collector collector = new Collector(nodeId);
        TreeSet<String> names = new TreeSet<>(before.topics().keySet());
        names.addAll(after.topics().keySet());
        for (String name : names) {
            TopicImage old = before.topics().get(name);
            TopicImage current = after.topics().get(name);
            if (old != current) {
                collector.diffTopic(old, current);
            }
        }
        return new MetadataDelta(nodeId, collector.leaders, collector.followers, collector.removed,
            collector.changedConfigs);
    }

    public boolean isEmpty() {
        return leaders.isEmpty() && followers.isEmpty() && removed.isEmpty() && changedConfigs.isEmpty();
    }

    /** Accumulates one broker's changes, topic by topic. */
    private static final class Collector {
        final int nodeId;
        final List<ReplicaChange> leaders = new ArrayList<>();
        final List<ReplicaChange> followers = new ArrayList<>();
        final List<TopicIdPartition> removed = new ArrayList<>();
        final Set<String> changedConfigs = new TreeSet<>();

        Collector(int nodeId) {
            this.nodeId = nodeId;
        }

        void diffTopic(TopicImage old, TopicImage current) {
            if (old != null && (current == null || !old.topicId().equals(current.topicId()))) {
                removeAllHosted(old); // deleted or re-created: the old topic's replicas go
                old = null;
            }
            if (current == null) {
                return;
            }
            boolean hosts = false;
            for (int i = 0; i < current.partitionCount(); i++) {
                PartitionRegistration before = old != null && i < old.partitionCount() ? old.partitions().get(i) : null;
                hosts |= diffPartition(current, i, before, current.partitions().get(i));
            }
            if (hosts && old != null && !old.configs().equals(current.configs())) {
                changedConfigs.add(current.name());
            }
        }

        /** Records the change of one partition; returns whether the broker hosts it now. */
        boolean diffPartition(TopicImage topic, int partition, PartitionRegistration before,
                              PartitionRegistration after) {
            boolean hostedBefore = before != null && before.isReplica(nodeId);
            boolean hostedNow = after.isReplica(nodeId);
            TopicIdPartition tp = new TopicIdPartition(topic.topicId(), partition, topic.name());
            if (!hostedNow) {
                if (hostedBefore) {
                    removed.add(tp);
                }
                return false;
            }
            if (!hostedBefore || !before.equals(after)) {
                ReplicaChange change = new ReplicaChange(tp, hostedBefore ? Optional.of(before) : Optional.empty(), after);
                (after.leader() == nodeId ? leaders : followers).add(change);
            }
            return true;
        }

        void removeAllHosted(TopicImage topic) {
            for (int i = 0; i < topic.partitionCount(); i++) {
                if (topic.partitions().get(i).isReplica(nodeId)) {
                    removed.add(new TopicIdPartition(topic.topicId(), i, topic.name()));
                }
            }
        }
    }
}
