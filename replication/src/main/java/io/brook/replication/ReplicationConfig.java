package io.brook.replication;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;

/**
 * The replication knobs of one partition, with Kafka's key names where Kafka has the knob. Every
 * key is declared exactly once, in {@link #CONFIG_DEF} (type, default, validator, doc).
 * {@code min.insync.replicas} is a topic config in Kafka; the others are broker configs.
 *
 * <p>Immutable and thread-safe.
 */
public final class ReplicationConfig {

    public static final String MIN_INSYNC_REPLICAS_CONFIG = "min.insync.replicas";
    public static final String REPLICA_LAG_TIME_MAX_MS_CONFIG = "replica.lag.time.max.ms";
    public static final String REPLICA_FETCH_BACKOFF_MS_CONFIG = "replica.fetch.backoff.ms";
    public static final String REPLICA_SOCKET_TIMEOUT_MS_CONFIG = "replica.socket.timeout.ms";
    public static final String REPLICA_FETCH_IDLE_BACKOFF_MS_CONFIG = "replica.fetch.idle.backoff.ms";
    public static final String ALTER_PARTITION_RETRY_BACKOFF_MS_CONFIG = "alter.partition.retry.backoff.ms";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
        .define(MIN_INSYNC_REPLICAS_CONFIG, Type.INT, 1, atLeast(1), Importance.HIGH,
            "The fewest in-sync replicas (leader included) for an acks=all write: below it such writes fail "
                + "with NOT_ENOUGH_REPLICAS and the high watermark does not advance.")
        .define(REPLICA_LAG_TIME_MAX_MS_CONFIG, Type.LONG, 30_000L, atLeast(1), Importance.HIGH,
            "A follower that has not caught up with the leader's log end for this long is proposed out of the ISR.")
        .define(REPLICA_FETCH_BACKOFF_MS_CONFIG, Type.LONG, 1_000L, atLeast(0), Importance.MEDIUM,
            "How long a follower waits after a failed fetch (error, fenced or unknown epoch, timeout) before the next.")
        .define(REPLICA_SOCKET_TIMEOUT_MS_CONFIG, Type.LONG, 30_000L, atLeast(1), Importance.MEDIUM,
            "How long a follower waits for a fetch response before it gives up on it and fetches again.")
        .define(REPLICA_FETCH_IDLE_BACKOFF_MS_CONFIG, Type.LONG, 0L, atLeast(0), Importance.LOW,
            "Brook: pause after a fetch response without records. 0 when the leader long-polls "
                + "(replica.fetch.wait.max.ms), as the broker does.")
        .define(ALTER_PARTITION_RETRY_BACKOFF_MS_CONFIG, Type.LONG, 2_000L, atLeast(1), Importance.LOW,
            "Brook: how long a leader waits for the controller's answer to an ISR change before sending it again.");

    private static final ReplicationConfig DEFAULTS = new ReplicationConfig(Map.of());

    private final Map<String, Object> parsed;

    private ReplicationConfig(Map<String, ?> overrides) {
        for (Map.Entry<String, ?> entry : overrides.entrySet()) {
            if (!CONFIG_DEF.names().contains(entry.getKey())) {
                throw new ConfigException(entry.getKey(), entry.getValue(), "Unknown replication config name");
            }
        }
        this.parsed = CONFIG_DEF.parse(overrides);
    }

    public static ReplicationConfig defaults() {
        return DEFAULTS;
    }

    /**
     * Parses and validates overrides.
     *
     * @throws ConfigException for an unknown key or a value of the wrong type or out of bounds
     */
    public static ReplicationConfig fromMap(Map<String, ?> overrides) {
        return new ReplicationConfig(overrides);
    }

    public int minInsyncReplicas() {
        return (Integer) parsed.get(MIN_INSYNC_REPLICAS_CONFIG);
    }

    public long replicaLagTimeMaxMs() {
        return (Long) parsed.get(REPLICA_LAG_TIME_MAX_MS_CONFIG);
    }

    public long replicaFetchBackoffMs() {
        return (Long) parsed.get(REPLICA_FETCH_BACKOFF_MS_CONFIG);
    }

    public long replicaSocketTimeoutMs() {
        return (Long) parsed.get(REPLICA_SOCKET_TIMEOUT_MS_CONFIG);
    }

    public long replicaFetchIdleBackoffMs() {
        return (Long) parsed.get(REPLICA_FETCH_IDLE_BACKOFF_MS_CONFIG);
    }

    public long alterPartitionRetryBackoffMs() {
        return (Long) parsed.get(ALTER_PARTITION_RETRY_BACKOFF_MS_CONFIG);
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
    public String toString() {
        return "ReplicationConfig" + values();
    }
}
