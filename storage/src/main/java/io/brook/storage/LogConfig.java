package io.brook.storage;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.record.TimestampType;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;
import static org.apache.kafka.common.config.ConfigDef.Range.between;
import static org.apache.kafka.common.config.ConfigDef.ValidString.in;

/**
 * Topic-level configuration of one partition log, with Apache Kafka's key names, defaults and
 * bounds. Every key is declared exactly once, in {@link #CONFIG_DEF} (type, default, validator,
 * doc); the typed accessors read the parsed values.
 *
 * <p>Immutable and thread-safe. A {@code LogConfig} holds the overrides it was built from, so
 * {@link #withOverrides(Map)} layers further overrides on top of them.
 */
public final class LogConfig {

    public static final String SEGMENT_BYTES_CONFIG = "segment.bytes";
    public static final String SEGMENT_MS_CONFIG = "segment.ms";
    public static final String SEGMENT_INDEX_BYTES_CONFIG = "segment.index.bytes";
    public static final String INDEX_INTERVAL_BYTES_CONFIG = "index.interval.bytes";
    public static final String MAX_MESSAGE_BYTES_CONFIG = "max.message.bytes";
    public static final String FLUSH_MESSAGES_CONFIG = "flush.messages";
    public static final String FLUSH_MS_CONFIG = "flush.ms";
    public static final String RETENTION_MS_CONFIG = "retention.ms";
    public static final String RETENTION_BYTES_CONFIG = "retention.bytes";
    public static final String MESSAGE_TIMESTAMP_TYPE_CONFIG = "message.timestamp.type";
    public static final String FILE_DELETE_DELAY_MS_CONFIG = "file.delete.delay.ms";
    public static final String CLEANUP_POLICY_CONFIG = "cleanup.policy";
    public static final String MIN_CLEANABLE_DIRTY_RATIO_CONFIG = "min.cleanable.dirty.ratio";
    public static final String DELETE_RETENTION_MS_CONFIG = "delete.retention.ms";
    public static final String MIN_COMPACTION_LAG_MS_CONFIG = "min.compaction.lag.ms";
    public static final String MAX_COMPACTION_LAG_MS_CONFIG = "max.compaction.lag.ms";

    /** Kafka's {@code cleanup.policy} values: either or both. */
    public static final String CLEANUP_POLICY_DELETE = "delete";
    public static final String CLEANUP_POLICY_COMPACT = "compact";

    /** Smallest segment Kafka accepts: the overhead of the smallest (v0) record. */
    private static final int MIN_SEGMENT_BYTES = 14;
    private static final long SEVEN_DAYS_MS = 7L * 24 * 60 * 60 * 1000;

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
        .define(SEGMENT_BYTES_CONFIG, Type.INT, 1024 * 1024 * 1024, atLeast(MIN_SEGMENT_BYTES), Importance.MEDIUM,
            "The size of one segment file of the log. The active segment is rolled before an append that "
                + "would make it larger than this.")
        .define(SEGMENT_MS_CONFIG, Type.LONG, SEVEN_DAYS_MS, atLeast(1), Importance.MEDIUM,
            "Roll the active segment once its first append is this old, even if it is not full, so that "
                + "retention can delete or compact old data.")
        .define(SEGMENT_INDEX_BYTES_CONFIG, Type.INT, 10 * 1024 * 1024, atLeast(4), Importance.MEDIUM,
            "The size each offset and time index file is preallocated to; the segment rolls when either "
                + "index is full.")
        .define(INDEX_INTERVAL_BYTES_CONFIG, Type.INT, 4096, atLeast(0), Importance.MEDIUM,
            "How many log bytes lie between two offset index entries: smaller means a denser index and "
                + "shorter scans on read.")
        .define(MAX_MESSAGE_BYTES_CONFIG, Type.INT, 1024 * 1024 + 12, atLeast(0), Importance.MEDIUM,
            "The largest record batch (after compression, with its 12-byte log overhead) the leader "
                + "accepts.")
        .define(FLUSH_MESSAGES_CONFIG, Type.LONG, Long.MAX_VALUE, atLeast(1), Importance.MEDIUM,
            "Force an fsync once this many messages are unflushed; 1 makes every append durable before "
                + "it is acknowledged. The default leaves durability to the OS and to replication.")
        .define(FLUSH_MS_CONFIG, Type.LONG, Long.MAX_VALUE, atLeast(0), Importance.MEDIUM,
            "Force an fsync once the oldest unflushed append is this old (checked by the flush "
                + "scheduler).")
        .define(RETENTION_MS_CONFIG, Type.LONG, SEVEN_DAYS_MS, atLeast(-1), Importance.MEDIUM,
            "Delete a segment once its newest record is older than this; -1 keeps data forever.")
        .define(RETENTION_BYTES_CONFIG, Type.LONG, -1L, Importance.MEDIUM,
            "Delete the oldest segments while the partition would still hold at least this many bytes "
                + "without them; -1 means no size limit.")
        .define(MESSAGE_TIMESTAMP_TYPE_CONFIG, Type.STRING, TimestampType.CREATE_TIME.name,
            in(TimestampType.CREATE_TIME.name, TimestampType.LOG_APPEND_TIME.name), Importance.MEDIUM,
            "CreateTime keeps the producer's timestamps; LogAppendTime stamps every batch with the "
                + "broker's clock when it is appended.")
        .define(FILE_DELETE_DELAY_MS_CONFIG, Type.LONG, 60_000L, atLeast(0), Importance.MEDIUM,
            "How long a segment removed by retention or truncation keeps its files (renamed .deleted) "
                + "so that reads already handed out can finish.")
        .define(CLEANUP_POLICY_CONFIG, Type.LIST, CLEANUP_POLICY_DELETE, new CleanupPolicyValidator(), Importance.MEDIUM,
            "What happens to old segments: delete removes them by retention.ms and retention.bytes; compact "
                + "keeps only the latest record of each key in them (log compaction, records without a key are "
                + "refused); compact,delete does both.")
        .define(MIN_CLEANABLE_DIRTY_RATIO_CONFIG, Type.DOUBLE, 0.5, between(0, 1), Importance.MEDIUM,
            "A compacted log is cleaned once its dirty (not yet compacted) closed segments are at least this "
                + "share of its closed segments' bytes; the dirtiest log of a broker is cleaned first.")
        .define(DELETE_RETENTION_MS_CONFIG, Type.LONG, 24 * 60 * 60 * 1000L, atLeast(0), Importance.MEDIUM,
            "How long a tombstone (a record with a key and no value) of a compacted log stays readable after "
                + "the cleaner first compacted it, so consumers see the delete; a later clean removes it.")
        .define(MIN_COMPACTION_LAG_MS_CONFIG, Type.LONG, 0L, atLeast(0), Importance.MEDIUM,
            "A segment is compacted only once its newest record is at least this old.")
        .define(MAX_COMPACTION_LAG_MS_CONFIG, Type.LONG, Long.MAX_VALUE, atLeast(1), Importance.MEDIUM,
            "A closed segment whose newest record is this old is compacted even below "
                + "min.cleanable.dirty.ratio.");

    private static final LogConfig DEFAULTS = new LogConfig(Map.of());

    private final Map<String, Object> overrides;
    private final Map<String, Object> parsed;

    private LogConfig(Map<String, ?> overrides) {
        throwIfUnknownKey(overrides);
        this.overrides = Collections.unmodifiableMap(new HashMap<>(overrides));
        this.parsed = CONFIG_DEF.parse(overrides);
        if (maxCompactionLagMs() < minCompactionLagMs()) {
            throw new ConfigException(MAX_COMPACTION_LAG_MS_CONFIG, maxCompactionLagMs(), "must not be below "
                + MIN_COMPACTION_LAG_MS_CONFIG + " (" + minCompactionLagMs() + ")");
        }
    }

    /** The configuration with every key at its default. */
    public static LogConfig defaults() {
        return DEFAULTS;
    }

    /**
     * Parses and validates topic overrides.
     *
     * @throws ConfigException for an unknown key or a value of the wrong type or out of bounds
     */
    public static LogConfig fromMap(Map<String, ?> overrides) {
        return new LogConfig(overrides);
    }

    /** A new config with {@code moreOverrides} layered over this one's overrides. */
    public LogConfig withOverrides(Map<String, ?> moreOverrides) {
        Map<String, Object> merged = new HashMap<>(overrides);
        merged.putAll(moreOverrides);
        return new LogConfig(merged);
    }

    private static void throwIfUnknownKey(Map<String, ?> overrides) {
        for (Map.Entry<String, ?> entry : overrides.entrySet()) {
            if (!CONFIG_DEF.names().contains(entry.getKey())) {
                throw new ConfigException(entry.getKey(), entry.getValue(), "Unknown topic config name");
            }
        }
    }

    public int segmentBytes() {
        return (Integer) parsed.get(SEGMENT_BYTES_CONFIG);
    }

    public long segmentMs() {
        return (Long) parsed.get(SEGMENT_MS_CONFIG);
    }

    public int segmentIndexBytes() {
        return (Integer) parsed.get(SEGMENT_INDEX_BYTES_CONFIG);
    }

    public int indexIntervalBytes() {
        return (Integer) parsed.get(INDEX_INTERVAL_BYTES_CONFIG);
    }

    public int maxMessageBytes() {
        return (Integer) parsed.get(MAX_MESSAGE_BYTES_CONFIG);
    }

    public long flushMessages() {
        return (Long) parsed.get(FLUSH_MESSAGES_CONFIG);
    }

    public long flushMs() {
        return (Long) parsed.get(FLUSH_MS_CONFIG);
    }

    public long retentionMs() {
        return (Long) parsed.get(RETENTION_MS_CONFIG);
    }

    public long retentionBytes() {
        return (Long) parsed.get(RETENTION_BYTES_CONFIG);
    }

    public TimestampType timestampType() {
        return TimestampType.forName((String) parsed.get(MESSAGE_TIMESTAMP_TYPE_CONFIG));
    }

    public long fileDeleteDelayMs() {
        return (Long) parsed.get(FILE_DELETE_DELAY_MS_CONFIG);
    }

    /** The cleanup policies, Kafka's list form: {@code [delete]}, {@code [compact]} or both. */
    @SuppressWarnings("unchecked")
    public java.util.List<String> cleanupPolicy() {
        return (java.util.List<String>) parsed.get(CLEANUP_POLICY_CONFIG);
    }

    /** Whether the cleaner compacts this log ({@code cleanup.policy} holds compact). */
    public boolean compact() {
        return cleanupPolicy().contains(CLEANUP_POLICY_COMPACT);
    }

    /** Whether retention deletes old segments ({@code cleanup.policy} holds delete). */
    public boolean delete() {
        return cleanupPolicy().contains(CLEANUP_POLICY_DELETE);
    }

    public double minCleanableDirtyRatio() {
        return (Double) parsed.get(MIN_CLEANABLE_DIRTY_RATIO_CONFIG);
    }

    public long deleteRetentionMs() {
        return (Long) parsed.get(DELETE_RETENTION_MS_CONFIG);
    }

    public long minCompactionLagMs() {
        return (Long) parsed.get(MIN_COMPACTION_LAG_MS_CONFIG);
    }

    public long maxCompactionLagMs() {
        return (Long) parsed.get(MAX_COMPACTION_LAG_MS_CONFIG);
    }

    /**
     * {@code cleanup.policy}: a non-empty list of {@link #SUPPORTED_POLICIES}, each at most once. A class, not a
     * lambda: CONFIG.md prints its {@link #toString}.
     */
    static final class CleanupPolicyValidator implements ConfigDef.Validator {
        static final java.util.List<String> SUPPORTED_POLICIES = java.util.List.of(CLEANUP_POLICY_DELETE,
            CLEANUP_POLICY_COMPACT);

        @Override
        public void ensureValid(String name, Object value) {
            @SuppressWarnings("unchecked")
            java.util.List<String> policies = (java.util.List<String>) value;
            if (policies == null || policies.isEmpty()) {
                throw new ConfigException(name, value, "give " + CLEANUP_POLICY_DELETE + ", " + CLEANUP_POLICY_COMPACT
                    + " or both");
            }
            for (String policy : policies) {
                if (!SUPPORTED_POLICIES.contains(policy)) {
                    throw new ConfigException(name, String.join(",", policies), "the policies are " + SUPPORTED_POLICIES);
                }
            }
            if (new java.util.HashSet<>(policies).size() != policies.size()) {
                throw new ConfigException(name, String.join(",", policies), "a policy is given twice");
            }
        }

        @Override
        public String toString() {
            return SUPPORTED_POLICIES.toString();
        }
    }

    /** The explicit overrides this config was built from (not including defaults). */
    public Map<String, Object> overrides() {
        return overrides;
    }

    /** Every key with its effective value, as strings, sorted by key (for describe). */
    public Map<String, String> values() {
        Map<String, String> values = new TreeMap<>();
        for (ConfigDef.ConfigKey key : CONFIG_DEF.configKeys().values()) {
            values.put(key.name, ConfigDef.convertToString(parsed.get(key.name), key.type));
        }
        return Collections.unmodifiableMap(values);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LogConfig that && parsed.equals(that.parsed);
    }

    @Override
    public int hashCode() {
        return parsed.hashCode();
    }

    @Override
    public String toString() {
        return "LogConfig" + values();
    }
}
