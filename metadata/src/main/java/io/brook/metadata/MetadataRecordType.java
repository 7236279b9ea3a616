package io.brook.metadata;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The registry of metadata record types: the stable name written as the Kafka record key, the
 * schema version written into the JSON value, and the Java class. Names and versions never change
 * meaning once released: a new field means a new version, a new record a new name.
 *
 * <p>Versions: 1 added {@code directoryId} and {@code logDir} to {@code RegisterBroker} and
 * {@code directories} to {@code Partition} and {@code PartitionChange} (older records read with them
 * empty: unknown).
 */
public enum MetadataRecordType {
    REGISTER_BROKER("RegisterBroker", 3, RegisterBroker.class),
    FENCE_BROKER("FenceBroker", 0, FenceBroker.class),
    UNFENCE_BROKER("UnfenceBroker", 0, UnfenceBroker.class),
    UNREGISTER_BROKER("UnregisterBroker", 0, UnregisterBroker.class),
    CREATE_TOPIC("CreateTopic", 0, CreateTopic.class),
    PARTITION("Partition", 1, Partition.class),
    PARTITION_CHANGE("PartitionChange", 1, PartitionChange.class),
    TOPIC_CONFIG("TopicConfig", 0, TopicConfig.class),
    REMOVE_TOPIC("RemoveTopic", 0, RemoveTopic.class),
    CONTROLLER_EPOCH("ControllerEpoch", 0, ControllerEpoch.class),
    USER_SCRAM_CREDENTIAL("UserScramCredential", 0, UserScramCredential.class),
    REMOVE_USER_SCRAM_CREDENTIAL("RemoveUserScramCredential", 0, RemoveUserScramCredential.class),
    CREATE_ACL("CreateAcl", 0, CreateAcl.class),
    REMOVE_ACL("RemoveAcl", 0, RemoveAcl.class),
    PRODUCER_IDS("ProducerIds", 0, ProducerIds.class);

    private static final Map<String, MetadataRecordType> BY_NAME = Arrays.stream(values())
        .collect(Collectors.toUnmodifiableMap(MetadataRecordType::typeName, Function.identity()));

    private final String typeName;
    private final short version;
    private final Class<? extends MetadataRecord> recordClass;

    MetadataRecordType(String typeName, int version, Class<? extends MetadataRecord> recordClass) {
        this.typeName = typeName;
        this.version = (short) version;
        this.recordClass = recordClass;
    }

    /** The key of this type's records in the metadata log. */
    public String typeName() {
        return typeName;
    }

    /** The newest schema version this code writes and reads. */
    public short version() {
        return version;
    }

    public Class<? extends MetadataRecord> recordClass() {
        return recordClass;
    }

    /**
     * The type named {@code typeName}.
     *
     * @throws UnsupportedMetadataRecordException if no type has that name (a newer Brook wrote it,
     *     or the log is corrupt)
     */
    public static MetadataRecordType forName(String typeName) {
        MetadataRecordType type = BY_NAME.get(typeName);
        if (type == null) {
            throw new UnsupportedMetadataRecordException("unknown metadata record type '" + typeName
                + "'; known types: " + BY_NAME.keySet().stream().sorted().toList());
        }
        return type;
    }
}
