package io.brook.metadata;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.NoReassignmentInProgressException;
import org.apache.kafka.common.errors.ReassignmentInProgressException;

/**
 * Partition reassignment, as Kafka's: the target replicas not yet hosting the partition are added
 * first ({@code addingReplicas}; replicas become targets followed by the replicas to remove, the
 * latter in {@code removingReplicas}). The new replicas catch up as followers and their leader
 * proposes them into the ISR; the {@link PartitionChangeBuilder} completes the reassignment in the
 * same change that makes every target an ISR member: replicas become the targets, removed replicas
 * leave the ISR, and a leader outside the targets hands over to the first eligible target.
 *
 * <p>One reassignment per partition at a time: a second is refused until the first completes or
 * is cancelled. Stateless; controller thread only.
 */
final class ReassignmentControl {

    private final ControllerConfig config;

    ReassignmentControl(ControllerConfig config) {
        this.config = config;
    }

    ControllerResult<PartitionRegistration> reassign(MetadataImage image, String topic, int partition,
                                                     List<Integer> newReplicas) {
        PartitionRegistration current = ControllerChecks.requirePartition(image, topic, partition);
        List<Integer> targets = ControllerChecks.requireReplicaList(image, newReplicas);
        if (current.isReassigning()) {
            throw new ReassignmentInProgressException(topic + "-" + partition + " is already being reassigned to "
                + current.targetReplicas());
        }
        List<Integer> adding = targets.stream().filter(id -> !current.isReplica(id)).toList();
        ControllerChecks.requireRoomOnBrokers(image, config.maxReplicasPerBroker(), List.of(adding));
        List<Integer> removing = current.replicas().stream().filter(id -> !targets.contains(id)).toList();
        List<Integer> merged = new ArrayList<>(targets);
        merged.addAll(removing);
        return change(current,
            builder(image, topic, partition, current).replicas(merged, adding, removing));
    }

    ControllerResult<PartitionRegistration> cancel(MetadataImage image, String topic, int partition) {
        PartitionRegistration current = ControllerChecks.requirePartition(image, topic, partition);
        if (!current.isReassigning()) {
            throw new NoReassignmentInProgressException(topic + "-" + partition + " is not being reassigned");
        }
        List<Integer> original = current.replicas().stream().filter(id -> !current.addingReplicas().contains(id))
            .toList();
        List<Integer> isr = current.isr().stream().filter(original::contains).toList();
        if (isr.isEmpty()) {
            throw new InvalidReplicaAssignmentException("cannot cancel the reassignment of " + topic + "-" + partition
                + ": no original replica is in sync (ISR " + current.isr() + ")");
        }
        return change(current,
            builder(image, topic, partition, current).replicas(original, List.of(), List.of()).isr(isr));
    }

    private PartitionChangeBuilder builder(MetadataImage image, String topic, int partition,
                                           PartitionRegistration current) {
        boolean unclean = TopicConfigRules.uncleanLeaderElection(image.topic(topic).orElseThrow(), config);
        return new PartitionChangeBuilder(topic, partition, current, image, image::isUnfenced).uncleanAllowed(unclean);
    }

    private static ControllerResult<PartitionRegistration> change(PartitionRegistration current,
                                                                  PartitionChangeBuilder builder) {
        return builder.build()
            .map(c -> ControllerResult.of(List.<MetadataRecord>of(c), PartitionRegistration.from(c)))
            .orElseGet(() -> ControllerResult.empty(current));
    }
}
