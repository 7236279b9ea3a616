package io.brook.metadata;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.Uuid;

/**
 * A topic in the image: its id, replication factor (of new partitions), config overrides and
 * partitions, indexed by partition number (dense: 0 .. count-1). Immutable; an image change that
 * does not touch this topic keeps the same instance, which is what makes replay and diffs cheap.
 */
public record TopicImage(String name, Uuid topicId, int replicationFactor, Map<String, String> configs,
                         List<PartitionRegistration> partitions) {

    public TopicImage {
        RecordChecks.name(name, "name");
        Objects.requireNonNull(topicId, "topicId");
        configs = RecordChecks.configs(configs, "configs");
        partitions = List.copyOf(partitions);
    }

    public int partitionCount() {
        return partitions.size();
    }

    public Optional<PartitionRegistration> partition(int partition) {
        return partition >= 0 && partition < partitions.size()
            ? Optional.of(partitions.get(partition)) : Optional.empty();
    }
}
