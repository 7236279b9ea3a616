package io.brook.metadata;

import org.apache.kafka.common.Uuid;

/** The topic the controller created: its id, and its partition count and replication factor after defaults. */
public record CreateTopicReply(Uuid topicId, int partitions, int replicationFactor) {
}
