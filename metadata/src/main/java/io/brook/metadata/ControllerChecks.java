package io.brook.metadata;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Request checks shared by the controller's handlers, throwing Kafka's typed errors. */
final class ControllerChecks {

    private ControllerChecks() {
    }

    static TopicImage requireTopic(MetadataImage image, String name) {
        if (name == null) {
            throw new UnknownTopicOrPartitionException("topic name is missing");
        }
        return image.topic(name).orElseThrow(() ->
            new UnknownTopicOrPartitionException("Topic '" + name + "' does not exist"));
    }

    static PartitionRegistration requirePartition(MetadataImage image, String topic, int partition) {
        return requireTopic(image, topic).partition(partition).orElseThrow(() ->
            new UnknownTopicOrPartitionException("Partition " + topic + "-" + partition + " does not exist"));
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
