package io.brook.metadata;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedLeaderEpochException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidUpdateVersionException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.UnknownLeaderEpochException;
import org.apache.kafka.common.protocol.Errors;

/**
 * Partition leadership requests: ISR changes proposed by leaders ({@code AlterPartition}), explicit
 * leader elections (preferred or unclean) and the periodic preferred-leader rebalance.
 *
 * <p>An ISR change is accepted only from the current leader in the current leader epoch and
 * partition epoch: that is how a stale leader learns it has been replaced. Members it adds must be
 * unfenced replicas. Controller thread only (it keeps the time of the next rebalance check).
 */
final class PartitionControl {

    private static final long NOT_SCHEDULED = Long.MIN_VALUE;

    private final ControllerConfig config;
    private long nextBalanceMs = NOT_SCHEDULED;

    PartitionControl(ControllerConfig config) {
        this.config = config;
    }

    ControllerResult<PartitionRegistration> alterPartition(MetadataImage image, String topic, int partition,
                                                           int leaderId, int leaderEpoch, int partitionEpoch,
                                                           List<Integer> newIsr) {
        PartitionRegistration current = ControllerChecks.requirePartition(image, topic, partition);
        throwIfStale(current, topic, partition, leaderId, leaderEpoch, partitionEpoch);
        throwIfInvalidIsr(current, leaderId, newIsr);
        // A fenced broker does not join: it is left out rather than the proposal refused, because a
        // leader waits for an answer that commits something (replication/README.md: the leader keeps
        // its maximal ISR after a refusal until newer metadata comes, and a refusal would bring none).
        List<Integer> eligible = newIsr.stream()
            .filter(member -> member == leaderId || current.isInIsr(member) || image.isUnfenced(member)).toList();
        boolean unclean = TopicConfigRules.uncleanLeaderElection(image.topic(topic).orElseThrow(), config);
        PartitionChange change = new PartitionChangeBuilder(topic, partition, current, image, image::isUnfenced)
            .uncleanAllowed(unclean).isr(eligible).build()
            .orElseGet(() -> unchangedButNewEpoch(topic, partition, current));
        return ControllerResult.of(List.of(change), PartitionRegistration.from(change));
    }

    /** The same partition state at the next partition epoch: the leader's proposal is answered by metadata. */
    private static PartitionChange unchangedButNewEpoch(String topic, int partition, PartitionRegistration current) {
        return new PartitionChange(topic, partition, current.leader(), current.isr(), current.replicas(),
            current.leaderEpoch(), current.partitionEpoch() + 1, current.addingReplicas(), current.removingReplicas(),
            current.directories());
    }

    private static void throwIfStale(PartitionRegistration current, String topic, int partition, int leaderId,
                                     int leaderEpoch, int partitionEpoch) {
        String tp = topic + "-" + partition;
        if (leaderEpoch < current.leaderEpoch()) {
            throw new FencedLeaderEpochException(tp + ": leader epoch " + leaderEpoch + " is older than "
                + current.leaderEpoch());
        }
        if (leaderEpoch > current.leaderEpoch()) {
            throw new UnknownLeaderEpochException(tp + ": leader epoch " + leaderEpoch + " is newer than "
                + current.leaderEpoch());
        }
        if (leaderId != current.leader()) {
            throw new NotLeaderOrFollowerException(tp + ": node " + leaderId + " is not the leader ("
                + current.leader() + ")");
        }
        if (partitionEpoch != current.partitionEpoch()) {
            throw new InvalidUpdateVersionException(tp + ": partition epoch " + partitionEpoch + " is not the current "
                + current.partitionEpoch());
        }
    }

    private static void throwIfInvalidIsr(PartitionRegistration current, int leaderId, List<Integer> newIsr) {
        if (newIsr == null || newIsr.isEmpty() || new HashSet<>(newIsr).size() != newIsr.size()) {
            throw new InvalidRequestException("the ISR must be non-empty and distinct: " + newIsr);
        }
        if (!newIsr.contains(leaderId)) {
            throw new InvalidRequestException("the ISR " + newIsr + " does not contain the leader " + leaderId);
        }
        if (!current.replicas().containsAll(newIsr)) {
            throw new InvalidRequestException("the ISR " + newIsr + " has members that are not replicas "
                + current.replicas());
        }
    }

    /** Elects leaders of {@code partitions} (all partitions if null); one result per partition. */
    ControllerResult<Map<TopicPartition, Errors>> electLeaders(MetadataImage image, ElectionType type,
                                                              Collection<TopicPartition> partitions) {
        Collection<TopicPartition> targets = partitions != null ? partitions
            : image.partitionsWhere((tp, p) -> true).keySet();
        List<MetadataRecord> records = new ArrayList<>();
        Map<TopicPartition, Errors> results = new LinkedHashMap<>();
        for (TopicPartition tp : targets) {
            results.put(tp, electOne(image, type, tp, records));
        }
        return ControllerResult.of(records, results);
    }

    private Errors electOne(MetadataImage image, ElectionType type, TopicPartition tp, List<MetadataRecord> records) {
        Optional<PartitionRegistration> found = image.partition(tp);
        if (found.isEmpty()) {
            return Errors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        PartitionRegistration partition = found.get();
        if (type == ElectionType.PREFERRED) {
            return electPreferred(image, tp, partition, records);
        }
        if (partition.hasLeader()) {
            return Errors.ELECTION_NOT_NEEDED;
        }
        Optional<PartitionChange> change = new PartitionChangeBuilder(tp.topic(), tp.partition(), partition,
            image, image::isUnfenced).uncleanAllowed(true).build();
        change.ifPresent(records::add);
        return change.filter(c -> c.leader() != PartitionRegistration.NO_LEADER).isPresent()
            ? Errors.NONE : Errors.ELIGIBLE_LEADERS_NOT_AVAILABLE;
    }

    private static Errors electPreferred(MetadataImage image, TopicPartition tp, PartitionRegistration partition,
                                         List<MetadataRecord> records) {
        int preferred = partition.preferredLeader();
        if (partition.leader() == preferred) {
            return Errors.ELECTION_NOT_NEEDED;
        }
        if (!partition.isInIsr(preferred) || !image.isUnfenced(preferred) || image.isOffline(partition, preferred)) {
            return Errors.PREFERRED_LEADER_NOT_AVAILABLE;
        }
        new PartitionChangeBuilder(tp.topic(), tp.partition(), partition, image, image::isUnfenced).leader(preferred).build()
            .ifPresent(records::add);
        return Errors.NONE;
    }

    /**
     * The periodic auto leader rebalance: every {@code leader.imbalance.check.interval.seconds} (the first
     * check one interval after this controller's first call), moves leadership back to preferred
     * replicas that are unfenced and in the ISR, at most {@code auto.leader.rebalance.max.elections} per
     * check. Partitions being reassigned are left alone.
     */
    ControllerResult<List<TopicPartition>> maybeBalanceLeaders(MetadataImage image, long nowMs) {
        if (!config.autoLeaderRebalanceEnable()) {
            return ControllerResult.empty(List.of());
        }
        if (nextBalanceMs == NOT_SCHEDULED || nowMs < nextBalanceMs) {
            if (nextBalanceMs == NOT_SCHEDULED) {
                nextBalanceMs = nowMs + config.leaderImbalanceCheckIntervalMs();
            }
            return ControllerResult.empty(List.of());
        }
        nextBalanceMs = nowMs + config.leaderImbalanceCheckIntervalMs();
        Map<TopicPartition, PartitionRegistration> candidates = image.partitionsWhere((tp, p) ->
            !p.isReassigning() && p.leader() != p.preferredLeader() && p.isInIsr(p.preferredLeader())
                && image.isUnfenced(p.preferredLeader()) && !image.isOffline(p, p.preferredLeader()));
        List<TopicPartition> elected = candidates.keySet().stream().limit(config.autoLeaderRebalanceMaxElections())
            .toList();
        List<MetadataRecord> records = new ArrayList<>();
        for (TopicPartition tp : elected) {
            electPreferred(image, tp, candidates.get(tp), records);
        }
        return ControllerResult.of(records, elected);
    }
}
