package io.brook.metadata;

import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.TopicIdPartition;

/**
 * A partition a broker hosts whose state changed between two images: {@code previous} is empty when
 * the broker did not host it before (a new topic or partition, or a replica added by reassignment).
 */
public record ReplicaChange(TopicIdPartition partition, Optional<PartitionRegistration> previous,
                            PartitionRegistration current) {

    public ReplicaChange {
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(current, "current");
    }

    /** True if the broker did not host this partition before. */
    public boolean isNew() {
        return previous.isEmpty();
    }

    /** True if the leader or the leader epoch changed (the replica must switch role or re-fetch). */
    public boolean leadershipChanged() {
        return previous.map(p -> p.leader() != current.leader() || p.leaderEpoch() != current.leaderEpoch())
            .orElse(true);
    }
}
