package io.brook.metadata;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * Turns a {@link MetadataRecord} into the key and value of a Kafka record and back, so that the
 * metadata log is an ordinary partition log of v2 batches.
 *
 * <p>Format: key = the UTF-8 {@linkplain MetadataRecordType#typeName() type name}; value = a JSON
 * object of the record's fields plus {@value #VERSION_FIELD}, the schema version it was written with,
 * e.g. {@code {"v":0,"nodeId":1,"brokerEpoch":42}}. Topic ids are Kafka's base64 {@link Uuid} strings;
 * SCRAM mechanisms their SASL names ({@code "SCRAM-SHA-512"}); byte arrays base64; ACL enums
 * kafka-clients' constant names ({@code "DESCRIBE_CONFIGS"}); maps are written in key order, so
 * equal records give equal bytes.
 *
 * <p>Reading is strict, because a metadata log that is misread makes brokers diverge: an unknown
 * type or a newer version is an {@link UnsupportedMetadataRecordException}; malformed JSON, a
 * missing, unknown, null or ill-typed field is a {@link MetadataSerdeException}.
 *
 * <p>Stateless and thread-safe.
 */
public final class MetadataRecordSerde {

    /** The JSON field holding the schema version; no record has a field of that name. */
    public static final String VERSION_FIELD = "v";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
        .addModule(new SimpleModule("brook-metadata")
            .addSerializer(Uuid.class, new UuidSerializer())
            .addDeserializer(Uuid.class, new UuidDeserializer())
            .addSerializer(ScramMechanism.class, new ScramMechanismSerializer())
            .addDeserializer(ScramMechanism.class, new ScramMechanismDeserializer()))
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
        .build();

    private MetadataRecordSerde() {
    }

    /** The record's key: its UTF-8 type name. */
    public static byte[] key(MetadataRecord record) {
        return record.type().typeName().getBytes(StandardCharsets.UTF_8);
    }

    /** The record's value: JSON with the schema version first. */
    public static byte[] value(MetadataRecord record) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put(VERSION_FIELD, record.type().version());
        node.setAll((ObjectNode) MAPPER.valueToTree(record));
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + record, e); // a bug: records are plain data
        }
    }

    /** A Kafka record for the metadata log, stamped with {@code timestampMs}. */
    public static SimpleRecord toSimpleRecord(MetadataRecord record, long timestampMs) {
        return new SimpleRecord(timestampMs, key(record), value(record));
    }

    /** Reads a record back from the metadata log. */
    public static MetadataRecord fromRecord(Record record) {
        return deserialize(record.key(), record.value());
    }

    /** Reads a record from key and value buffers (their positions are not moved). */
    public static MetadataRecord deserialize(ByteBuffer key, ByteBuffer value) {
        return deserialize(bytes(key), bytes(value));
    }

    /** Reads a record from its key and value bytes. */
    public static MetadataRecord deserialize(byte[] key, byte[] value) {
        if (key == null) {
            throw new MetadataSerdeException("metadata record without a key (type name)");
        }
        MetadataRecordType type = MetadataRecordType.forName(new String(key, StandardCharsets.UTF_8));
        if (value == null) {
            throw new MetadataSerdeException("metadata record of type " + type.typeName() + " without a value");
        }
        ObjectNode node = parseObject(type, value);
        int version = throwIfUnsupportedVersion(type, node.remove(VERSION_FIELD));
        withFieldsOfLaterVersions(type, version, node);
        try {
            return MAPPER.treeToValue(node, type.recordClass());
        } catch (IOException | IllegalArgumentException e) {
            throw new MetadataSerdeException("corrupt " + type.typeName() + " record: " + e.getMessage(), e);
        }
    }

    private static ObjectNode parseObject(MetadataRecordType type, byte[] value) {
        JsonNode node;
        try {
            node = MAPPER.readTree(value);
        } catch (IOException e) {
            throw new MetadataSerdeException("corrupt " + type.typeName() + " record: " + e.getMessage(), e);
        }
        if (!(node instanceof ObjectNode object)) {
            throw new MetadataSerdeException("corrupt " + type.typeName() + " record: not a JSON object");
        }
        return object;
    }

    /** A record written before a field existed reads with the value that means "unknown" for it. */
    private static void withFieldsOfLaterVersions(MetadataRecordType type, int version, ObjectNode node) {
        if (version < 1) {
            switch (type) {
                case REGISTER_BROKER -> node.put("directoryId", "").put("logDir", "");
                case PARTITION, PARTITION_CHANGE -> node.putArray("directories");
                default -> { }
            }
        }
        if (version < 2 && type == MetadataRecordType.REGISTER_BROKER) {
            node.put("kafkaHost", "").put("kafkaPort", -1);
        }
        if (version < 3 && type == MetadataRecordType.REGISTER_BROKER) {
            node.put("kafkaListeners", "");
        }
    }

    private static int throwIfUnsupportedVersion(MetadataRecordType type, JsonNode version) {
        if (version == null || !version.isIntegralNumber() || version.asInt() < 0) {
            throw new MetadataSerdeException("corrupt " + type.typeName() + " record: missing or bad '"
                + VERSION_FIELD + "': " + version);
        }
        if (version.asInt() > type.version()) {
            throw new UnsupportedMetadataRecordException(type.typeName() + " record version " + version.asInt()
                + " is newer than the supported version " + type.version());
        }
        return version.asInt();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    /** Writes a {@link Uuid} as Kafka's base64 string. */
    private static final class UuidSerializer extends StdSerializer<Uuid> {
        UuidSerializer() {
            super(Uuid.class);
        }

        @Override
        public void serialize(Uuid value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            generator.writeString(value.toString());
        }
    }

    /** Reads a {@link Uuid} from Kafka's base64 string. */
    private static final class UuidDeserializer extends StdDeserializer<Uuid> {
        UuidDeserializer() {
            super(Uuid.class);
        }

        @Override
        public Uuid deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = parser.getValueAsString();
            if (text == null) {
                return (Uuid) context.handleUnexpectedToken(Uuid.class, parser);
            }
            try {
                return Uuid.fromString(text);
            } catch (IllegalArgumentException e) {
                return (Uuid) context.handleWeirdStringValue(Uuid.class, text, "not a Kafka Uuid: %s", e.getMessage());
            }
        }
    }

    /** Writes a {@link ScramMechanism} as its SASL name ({@code SCRAM-SHA-256}). */
    private static final class ScramMechanismSerializer extends StdSerializer<ScramMechanism> {
        ScramMechanismSerializer() {
            super(ScramMechanism.class);
        }

        @Override
        public void serialize(ScramMechanism value, JsonGenerator generator, SerializerProvider provider)
                throws IOException {
            generator.writeString(value.mechanismName());
        }
    }

    /** Reads a {@link ScramMechanism} from its SASL name; any other string is corrupt. */
    private static final class ScramMechanismDeserializer extends StdDeserializer<ScramMechanism> {
        ScramMechanismDeserializer() {
            super(ScramMechanism.class);
        }

        @Override
        public ScramMechanism deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken() != com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
                return (ScramMechanism) context.handleUnexpectedToken(ScramMechanism.class, parser);
            }
            String text = parser.getText();
            ScramMechanism mechanism = ScramMechanism.forMechanismName(text);
            if (mechanism == null) {
                return (ScramMechanism) context.handleWeirdStringValue(ScramMechanism.class, text,
                    "not a SCRAM mechanism (SCRAM-SHA-256, SCRAM-SHA-512)");
            }
            return mechanism;
        }
    }
}
