package io.brook.metadata;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.Uuid;

/**
 * A topic is created with its id, replication factor and config overrides. Its partitions follow
 * as {@link Partition} records in the same batch, in partition order.
 *
 * <p>The {@code topicId} tells a re-created topic of the same name from the old one, so that a
 * broker never mistakes the old topic's files for the new topic's.
 */
public record CreateTopic(String name, Uuid topicId, int replicationFactor, Map<String, String> configs)
    implements MetadataRecord {

    public CreateTopic {
        RecordChecks.name(name, "name");
        Objects.requireNonNull(topicId, "topicId");
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replicationFactor must be >= 1, was " + replicationFactor);
        }
        configs = RecordChecks.configs(configs, "configs");
    }

    @Override
    public MetadataRecordType type() {
        return MetadataRecordType.CREATE_TOPIC;
    }
}
