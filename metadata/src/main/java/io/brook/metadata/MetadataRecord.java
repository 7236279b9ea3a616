package io.brook.metadata;

/**
 * One entry of the cluster metadata log ({@code __cluster_metadata-0}). The log is the only durable
 * cluster state: every broker's {@link MetadataImage} is the result of replaying these records in
 * offset order, and the controller changes its own state only by replaying the records it proposed.
 *
 * <p>Every record is an immutable Java record with a stable {@linkplain MetadataRecordType type name}
 * and version, stored as a Kafka record (key = type name, value = JSON, see
 * {@link MetadataRecordSerde}). A record carries full state rather than a diff wherever that keeps
 * replay trivial (a {@link PartitionChange} is the partition's whole new state).
 *
 * <p>Records validate their own shape (no nulls, non-negative ids) in their constructors; whether a
 * record fits the image it is applied to is checked on replay ({@link MetadataImageBuilder}).
 */
public sealed interface MetadataRecord
    permits RegisterBroker, FenceBroker, UnfenceBroker, UnregisterBroker, CreateTopic, Partition,
    PartitionChange, TopicConfig, RemoveTopic, ControllerEpoch, UserScramCredential, RemoveUserScramCredential,
    CreateAcl, RemoveAcl, ProducerIds {

    /** The stable type of this record: its key in the log and its schema version. */
    MetadataRecordType type();
}
