package io.brook.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every metadata record type survives key/value encoding and a Kafka batch unchanged; bad input fails loudly. */
class MetadataRecordSerdeTest {

    static final Uuid TOPIC_ID = Uuid.fromString("MAiJ0tIvRDmVYc4LXDTjLQ");

    /** One sample per record type; {@link #everyTypeHasASample()} keeps this list complete. */
    static Stream<MetadataRecord> samples() {
        return Stream.of(
            new RegisterBroker(1, 42L, "host-1", 8080, 7000, "0f1e-node", "BOoeTOhLSg6eH6sSgSB_Ag", "/var/brook/1",
                "kafka-1.example", 9092),
            new FenceBroker(1, 42L),
            new UnfenceBroker(1, 42L),
            new UnregisterBroker(3),
            new CreateTopic("orders", TOPIC_ID, 3, Map.of("retention.ms", "1000", "cleanup.policy", "delete")),
            new Partition("orders", 2, List.of(2, 0, 1), List.of(2, 0), 2, 0, 0, List.of("d2", "d0", "")),
            new PartitionChange("orders", 2, -1, List.of(2), List.of(2, 0, 1, 3), 7, 9, List.of(3), List.of(1),
                List.of("d2", "d0", "d1", "d3")),
            new TopicConfig("orders", Map.of("retention.ms", "5000")),
            new RemoveTopic("orders"),
            new ControllerEpoch(2, 5),
            SecuritySamples.credential("alice", ScramMechanism.SCRAM_SHA_256),
            new RemoveUserScramCredential("alice", ScramMechanism.SCRAM_SHA_512),
            new CreateAcl(SecuritySamples.acl(ResourceType.TOPIC, "orders-", PatternType.PREFIXED, "User:alice",
                AclOperation.DESCRIBE_CONFIGS, AclPermissionType.DENY)),
            new RemoveAcl(SecuritySamples.acl(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, "User:*",
                AclOperation.ALL, AclPermissionType.ALLOW)),
            new ProducerIds(2, 1_000L, 1_000));
    }

    @Test
    void everyTypeHasASample() {
        // proves: adding a record type without a round-trip sample fails this test
        assertThat(samples().map(MetadataRecord::type).collect(Collectors.toSet()))
            .containsExactlyInAnyOrder(MetadataRecordType.values());
    }

    @ParameterizedTest
    @MethodSource("samples")
    void roundTripsThroughKeyAndValue(MetadataRecord record) {
        // proves: deserialize(serialize(r)) == r for each type, and the key is the stable type name
        byte[] key = MetadataRecordSerde.key(record);
        assertThat(new String(key, StandardCharsets.UTF_8)).isEqualTo(record.type().typeName());
        assertThat(MetadataRecordSerde.deserialize(key, MetadataRecordSerde.value(record))).isEqualTo(record);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void roundTripsThroughAKafkaBatch(MetadataRecord record) {
        // proves: the records fit an ordinary v2 batch, as the metadata log stores them
        SimpleRecord simple = MetadataRecordSerde.toSimpleRecord(record, 1234L);
        MemoryRecords batch = MemoryRecords.withRecords(Compression.NONE, simple);
        Record read = batch.records().iterator().next();
        assertThat(read.timestamp()).isEqualTo(1234L);
        assertThat(MetadataRecordSerde.fromRecord(read)).isEqualTo(record);
    }

    @Test
    void valueIsVersionedJsonWithStableBytes() {
        // proves: the value names its schema version, and equal records (maps in any order) give equal bytes
        CreateTopic a = new CreateTopic("t", TOPIC_ID, 1, Map.of("b", "2", "a", "1"));
        CreateTopic b = new CreateTopic("t", TOPIC_ID, 1, new java.util.LinkedHashMap<>(Map.of("a", "1", "b", "2")));
        String json = new String(MetadataRecordSerde.value(a), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"v\":0,\"name\":\"t\",\"topicId\":\"" + TOPIC_ID
            + "\",\"replicationFactor\":1,\"configs\":{\"a\":\"1\",\"b\":\"2\"}}");
        assertThat(MetadataRecordSerde.value(b)).isEqualTo(MetadataRecordSerde.value(a));
    }

    @Test
    void byteBufferVariantDoesNotMoveThePosition() {
        // proves: reading from buffers leaves them as they were (the log's buffers are shared)
        MetadataRecord record = new FenceBroker(4, 9L);
        ByteBuffer key = ByteBuffer.wrap(MetadataRecordSerde.key(record));
        ByteBuffer value = ByteBuffer.wrap(MetadataRecordSerde.value(record));
        assertThat(MetadataRecordSerde.deserialize(key, value)).isEqualTo(record);
        assertThat(key.position()).isZero();
        assertThat(value.position()).isZero();
    }

    @Test
    void unknownTypeIsAClearError() {
        // proves: a record type this code does not know is refused with its name, not skipped
        assertThatThrownBy(() -> MetadataRecordSerde.deserialize(bytes("FrobnicateBroker"), bytes("{\"v\":0}")))
            .isInstanceOf(UnsupportedMetadataRecordException.class)
            .hasMessageContaining("unknown metadata record type 'FrobnicateBroker'")
            .hasMessageContaining("RegisterBroker");
    }

    @Test
    void newerVersionIsUnsupported() {
        // proves: a record written by a newer schema is refused rather than half-read
        assertThatThrownBy(() -> MetadataRecordSerde.deserialize(bytes("FenceBroker"),
            bytes("{\"v\":1,\"nodeId\":1,\"brokerEpoch\":2}")))
            .isInstanceOf(UnsupportedMetadataRecordException.class)
            .hasMessageContaining("version 1 is newer than the supported version 0");
    }

    @Test
    void malformedValuesAreCorrupt() {
        // proves: bad JSON, a missing version or field, an unknown field, nulls and wrong types are all refused
        List<String> bad = List.of(
            "not json",
            "[1,2]",
            "{\"nodeId\":1,\"brokerEpoch\":2}",
            "{\"v\":\"0\",\"nodeId\":1,\"brokerEpoch\":2}",
            "{\"v\":0,\"nodeId\":1}",
            "{\"v\":0,\"nodeId\":1,\"brokerEpoch\":2,\"extra\":3}",
            "{\"v\":0,\"nodeId\":null,\"brokerEpoch\":2}",
            "{\"v\":0,\"nodeId\":\"1\",\"brokerEpoch\":2}",
            "{\"v\":0,\"nodeId\":1.5,\"brokerEpoch\":2}",
            "{\"v\":0,\"nodeId\":-1,\"brokerEpoch\":2}");
        for (String value : bad) {
            assertThatThrownBy(() -> MetadataRecordSerde.deserialize(bytes("FenceBroker"), bytes(value)))
                .as(value).isInstanceOf(MetadataSerdeException.class)
                .isNotInstanceOf(UnsupportedMetadataRecordException.class);
        }
    }

    @Test
    void badTopicIdAndNullListMembersAreCorrupt() {
        // proves: field-level validation (Uuid format, list members) also surfaces as MetadataSerdeException
        assertThatThrownBy(() -> MetadataRecordSerde.deserialize(bytes("CreateTopic"),
            bytes("{\"v\":0,\"name\":\"t\",\"topicId\":\"nope\",\"replicationFactor\":1,\"configs\":{}}")))
            .isInstanceOf(MetadataSerdeException.class);
        assertThatThrownBy(() -> MetadataRecordSerde.deserialize(bytes("Partition"),
            bytes("{\"v\":0,\"topic\":\"t\",\"partition\":0,\"replicas\":[1,null],\"isr\":[1],\"leader\":1,"
                + "\"leaderEpoch\":0,\"partitionEpoch\":0}")))
            .isInstanceOf(MetadataSerdeException.class);
    }

    @Test
    void version0RecordsReadWithUnknownDirectories() {
        // proves: metadata logs written before directory ids existed still replay (their directories unknown)
        assertThat(MetadataRecordSerde.deserialize(bytes("RegisterBroker"), bytes("{\"v\":0,\"nodeId\":1,"
            + "\"brokerEpoch\":4,\"host\":\"h\",\"httpPort\":8080,\"bridgePort\":7070,\"eventBusNodeId\":\"n\"}")))
            .isEqualTo(new RegisterBroker(1, 4, "h", 8080, 7070, "n", "", ""));
        assertThat(MetadataRecordSerde.deserialize(bytes("Partition"), bytes("{\"v\":0,\"topic\":\"t\",\"partition\":0,"
            + "\"replicas\":[1,2],\"isr\":[1],\"leader\":1,\"leaderEpoch\":0,\"partitionEpoch\":0}")))
            .isEqualTo(new Partition("t", 0, List.of(1, 2), List.of(1), 1, 0, 0, List.of()));
        assertThat(MetadataRecordSerde.deserialize(bytes("PartitionChange"), bytes("{\"v\":0,\"topic\":\"t\","
            + "\"partition\":0,\"leader\":-1,\"isr\":[1],\"replicas\":[1],\"leaderEpoch\":1,\"partitionEpoch\":1,"
            + "\"addingReplicas\":[],\"removingReplicas\":[]}")))
            .isEqualTo(new PartitionChange("t", 0, -1, List.of(1), List.of(1), 1, 1, List.of(), List.of(), List.of()));
        // a version 1 record must carry the field
        assertThatThrownBy(() -> MetadataRecordSerde.deserialize(bytes("Partition"), bytes("{\"v\":1,\"topic\":\"t\","
            + "\"partition\":0,\"replicas\":[1],\"isr\":[1],\"leader\":1,\"leaderEpoch\":0,\"partitionEpoch\":0}")))
            .isInstanceOf(MetadataSerdeException.class);
        assertThatThrownBy(() -> new Partition("t", 0, List.of(1, 2), List.of(1), 1, 0, 0, List.of("only-one")))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void version1RegistrationsReadWithoutAKafkaListener() {
        // proves: registrations written before brokers advertised a Kafka listener replay with none
        assertThat(MetadataRecordSerde.deserialize(bytes("RegisterBroker"), bytes("{\"v\":1,\"nodeId\":1,"
            + "\"brokerEpoch\":4,\"host\":\"h\",\"httpPort\":8080,\"bridgePort\":7070,\"eventBusNodeId\":\"n\","
            + "\"directoryId\":\"d\",\"logDir\":\"/l\"}")))
            .isEqualTo(new RegisterBroker(1, 4, "h", 8080, 7070, "n", "d", "/l", "", -1));
        // a version 2 record must carry the fields
        assertThatThrownBy(() -> MetadataRecordSerde.deserialize(bytes("RegisterBroker"), bytes("{\"v\":2,\"nodeId\":1,"
            + "\"brokerEpoch\":4,\"host\":\"h\",\"httpPort\":8080,\"bridgePort\":7070,\"eventBusNodeId\":\"n\","
            + "\"directoryId\":\"d\",\"logDir\":\"/l\"}")))
            .isInstanceOf(MetadataSerdeException.class);
        assertThatThrownBy(() -> new RegisterBroker(1, 0, "h", 1, 1, "n", "", "", "k", 70_000))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void version2RegistrationsReadWithTheirOneKafkaListener() {
        // proves: registrations written before brokers advertised several Kafka listeners replay with the one
        assertThat(MetadataRecordSerde.deserialize(bytes("RegisterBroker"), bytes("{\"v\":2,\"nodeId\":1,"
            + "\"brokerEpoch\":4,\"host\":\"h\",\"httpPort\":8080,\"bridgePort\":7070,\"eventBusNodeId\":\"n\","
            + "\"directoryId\":\"d\",\"logDir\":\"/l\",\"kafkaHost\":\"k\",\"kafkaPort\":9092}")))
            .isEqualTo(new RegisterBroker(1, 4, "h", 8080, 7070, "n", "d", "/l", "k", 9092, ""));
        RegisterBroker two = new RegisterBroker(1, 4, "h", 8080, 7070, "n", "d", "/l", "k", 9092,
            "PLAINTEXT://k:9092,SASL_SSL://k:9093");
        assertThat(MetadataRecordSerde.deserialize(bytes("RegisterBroker"), MetadataRecordSerde.value(two)))
            .isEqualTo(two);
    }

    @Test
    void missingKeyOrValueIsCorrupt() {
        // proves: a metadata record is always a key and a value
        assertThatThrownBy(() -> MetadataRecordSerde.deserialize((byte[]) null, bytes("{}")))
            .isInstanceOf(MetadataSerdeException.class).hasMessageContaining("without a key");
        assertThatThrownBy(() -> MetadataRecordSerde.deserialize(bytes("RemoveTopic"), null))
            .isInstanceOf(MetadataSerdeException.class).hasMessageContaining("without a value");
    }

    @Test
    void typeNamesAreUniqueAndStable() {
        // proves: the registry is one-to-one, and forName finds every type by its name
        assertThat(Arrays.stream(MetadataRecordType.values()).map(MetadataRecordType::typeName).distinct().count())
            .isEqualTo(MetadataRecordType.values().length);
        for (MetadataRecordType type : MetadataRecordType.values()) {
            assertThat(MetadataRecordType.forName(type.typeName())).isSameAs(type);
        }
    }

    @Test
    void recordsRefuseBadShapes() {
        // proves: records check their own shape, so a bad one cannot even be built
        assertThatThrownBy(() -> new Partition("t", 0, List.of(1, 1), List.of(1), 1, 0, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicates");
        assertThatThrownBy(() -> new FenceBroker(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PartitionChange("t", 0, -2, List.of(1), List.of(1), 0, 0, List.of(), List.of()))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RegisterBroker(1, 0, "h", 70_000, 1, "n"))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ControllerEpoch(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void securityRecordsAreReadableJsonWithoutThePassword() {
        // proves: the mechanism is its SASL name, keys are base64, ACL enums are kafka-clients' names
        String credential = new String(MetadataRecordSerde.value(SecuritySamples.credential("bob",
            ScramMechanism.SCRAM_SHA_512)), StandardCharsets.UTF_8);
        assertThat(credential).startsWith("{\"v\":0,\"name\":\"bob\",\"mechanism\":\"SCRAM-SHA-512\",\"salt\":\"")
            .contains("\"iterations\":4096");
        String acl = new String(MetadataRecordSerde.value(new CreateAcl(SecuritySamples.acl(ResourceType.GROUP, "g",
            PatternType.LITERAL, "User:bob", AclOperation.READ, AclPermissionType.ALLOW))), StandardCharsets.UTF_8);
        assertThat(acl).isEqualTo("{\"v\":0,\"acl\":{\"resourceType\":\"GROUP\",\"resourceName\":\"g\","
            + "\"patternType\":\"LITERAL\",\"principal\":\"User:bob\",\"host\":\"*\",\"operation\":\"READ\","
            + "\"permission\":\"ALLOW\"}}");
    }

    @Test
    void malformedSecurityRecordsAreCorrupt() {
        // proves: unknown mechanisms, filter-only enum values, bad base64, short keys and out-of-bound iterations are refused
        String key32 = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        String goodCredential = "{\"v\":0,\"name\":\"u\",\"mechanism\":\"SCRAM-SHA-256\",\"salt\":\"c2FsdA==\","
            + "\"storedKey\":\"" + key32 + "\",\"serverKey\":\"" + key32 + "\",\"iterations\":4096}";
        assertThat(MetadataRecordSerde.deserialize(bytes("UserScramCredential"), bytes(goodCredential)))
            .isInstanceOf(UserScramCredential.class);
        List<String> badCredentials = List.of(
            goodCredential.replace("SCRAM-SHA-256", "SCRAM-SHA-1"),
            goodCredential.replace("\"SCRAM-SHA-256\"", "1"),
            goodCredential.replace("c2FsdA==", "!!not base64!!"),
            goodCredential.replace("c2FsdA==", ""),
            goodCredential.replaceFirst(key32, "AAAA"),
            goodCredential.replace("4096", "4095"),
            goodCredential.replace("4096", "16385"),
            goodCredential.replace("\"u\"", "\"a:b\""),
            goodCredential.replace("\"u\"", "\"*\""));
        for (String value : badCredentials) {
            assertThatThrownBy(() -> MetadataRecordSerde.deserialize(bytes("UserScramCredential"), bytes(value)))
                .as(value).isInstanceOf(MetadataSerdeException.class);
        }
        String goodAcl = "{\"v\":0,\"acl\":{\"resourceType\":\"TOPIC\",\"resourceName\":\"t\","
            + "\"patternType\":\"LITERAL\",\"principal\":\"User:bob\",\"host\":\"*\",\"operation\":\"READ\","
            + "\"permission\":\"ALLOW\"}}";
        assertThat(MetadataRecordSerde.deserialize(bytes("CreateAcl"), bytes(goodAcl))).isInstanceOf(CreateAcl.class);
        List<String> badAcls = List.of(
            goodAcl.replace("\"TOPIC\"", "\"ANY\""),
            goodAcl.replace("\"TOPIC\"", "\"TRANSACTIONAL_ID\""),
            goodAcl.replace("\"LITERAL\"", "\"MATCH\""),
            goodAcl.replace("\"READ\"", "\"IDEMPOTENT_WRITE\""),
            goodAcl.replace("\"READ\"", "\"read\""),
            goodAcl.replace("\"ALLOW\"", "\"ANY\""),
            goodAcl.replace("User:bob", "Group:bob"),
            goodAcl.replace("\"t\"", "\"\""),
            goodAcl.replace("\"*\"", "null"),
            goodAcl.replace("}}", ",\"extra\":1}}"));
        for (String value : badAcls) {
            assertThatThrownBy(() -> MetadataRecordSerde.deserialize(bytes("CreateAcl"), bytes(value)))
                .as(value).isInstanceOf(MetadataSerdeException.class);
        }
    }

    @Test
    void credentialsNeverPrintTheirKeys() {
        // proves: toString of a credential (logged on a replay error) carries no salt nor key
        UserScramCredential credential = SecuritySamples.credential("carol", ScramMechanism.SCRAM_SHA_256);
        assertThat(credential.toString()).isEqualTo("UserScramCredential[name=carol, mechanism=SCRAM-SHA-256, iterations=4096]");
        byte[] salt = credential.salt();
        salt[0] ^= 1;
        assertThat(credential.salt()).isNotEqualTo(salt); // copied out: the record cannot be changed through it
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
