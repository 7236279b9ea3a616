package io.brook.metadata;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Request checks shared by the controller's handlers, throwing Kafka's typed errors. */
final class ControllerChecks {

    private ControllerChecks() {
    }

    /**
     * Refuses, up front, new replicas ({@code assignments}: one list of brokers per new partition
     * replica set) that would put more than {@code maxReplicas} on a broker: a broker past its
     * open-files limit would fail later, partition by partition.
     */
    static void requireRoomOnBrokers(MetadataImage image, int maxReplicas, List<List<Integer>> assignments) {
        Map<Integer, Integer> adding = new HashMap<>();
        assignments.forEach(replicas -> replicas.forEach(id -> adding.merge(id, 1, Integer::sum)));
        if (adding.isEmpty()) {
            return;
        }
        Map<Integer, Integer> hosted = image.replicaCounts();
        adding.forEach((broker, added) -> {
            int total = hosted.getOrDefault(broker, 0) + added;
            if (total > maxReplicas) {
                throw new PolicyViolationException("This would place " + total + " partition replicas on broker "
                    + broker + ", above max.replicas.per.broker=" + maxReplicas + " (each replica holds open files "
                    + "and index space): add brokers, or raise the limit and the open-files limit");
            }
        });
    }

    static TopicImage requireTopic(MetadataImage image, String name) {
        if (name == null) {
            throw new UnknownTopicOrPartitionException("topic name is missing");
        }
        return image.topic(name).orElseThrow(() ->
            new UnknownTopicOrPartitionException("Topic '" + name + "' does not exist"));
    }

    static PartitionRegistration requirePartition(MetadataImage image, String topic, int partition) {
        TopicImage found = requireTopic(image, topic);
        return found.partition(partition).orElseThrow(() -> new UnknownTopicOrPartitionException("Topic '" + topic
            + "' has no partition " + partition + " (it has " + found.partitionCount() + ")"));
    }

    static void requireNodeId(int nodeId) {
        if (nodeId < 0) {
            throw new InvalidRequestException("node id must be >= 0, was " + nodeId);
        }
    }

    /** A replica list for a reassignment: non-empty, distinct, registered brokers only. */
    static List<Integer> requireReplicaList(MetadataImage image, Collection<Integer> replicas) {
        if (replicas == null || replicas.isEmpty()) {
            throw new InvalidReplicaAssignmentException("the replica list is empty");
        }
        List<Integer> list = List.copyOf(replicas);
        if (new HashSet<>(list).size() != list.size()) {
            throw new InvalidReplicaAssignmentException("duplicate replicas in " + list);
        }
        for (int id : list) {
            if (image.broker(id).isEmpty()) {
                throw new InvalidReplicaAssignmentException("broker " + id + " in " + list + " is not registered");
            }
        }
        return list;
    }
}
