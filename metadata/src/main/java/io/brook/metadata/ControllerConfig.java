package io.brook.metadata;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The controller's configuration, every key declared once in {@link #CONFIG_DEF} with Kafka's name,
 * type, default, bounds and doc. The keys it shares with the broker config ({@code num.partitions},
 * {@code default.replication.factor}, {@code max.partitions.per.topic}) have the same defaults, so
 * one JSON file configures both; keys of other modules are ignored. Immutable.
 */
public final class ControllerConfig extends AbstractConfig {

    public static final String BROKER_SESSION_TIMEOUT_MS = "broker.session.timeout.ms";
    public static final String DEFAULT_REPLICATION_FACTOR = "default.replication.factor";
    public static final String NUM_PARTITIONS = "num.partitions";
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";
    public static final String UNCLEAN_LEADER_ELECTION_ENABLE = "unclean.leader.election.enable";
    public static final String MAX_PARTITIONS_PER_TOPIC = "max.partitions.per.topic";
    public static final String MAX_REPLICAS_PER_BROKER = "max.replicas.per.broker";
    public static final String AUTO_LEADER_REBALANCE_ENABLE = "auto.leader.rebalance.enable";
    public static final String LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS = "leader.imbalance.check.interval.seconds";
    public static final String AUTO_LEADER_REBALANCE_MAX_ELECTIONS = "auto.leader.rebalance.max.elections";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
        .define(BROKER_SESSION_TIMEOUT_MS, Type.INT, 9000, Range.atLeast(1), Importance.HIGH,
            "A broker that has not heartbeated the controller for longer than this is fenced: it leaves every "
                + "ISR it is in and its partitions elect new leaders.")
        .define(DEFAULT_REPLICATION_FACTOR, Type.INT, 1, Range.atLeast(1), Importance.MEDIUM,
            "Replication factor of a topic created without one.")
        .define(NUM_PARTITIONS, Type.INT, 1, Range.between(1, 10_000), Importance.MEDIUM,
            "Partitions of a topic created without a partition count.")
        .define(MIN_INSYNC_REPLICAS, Type.INT, 1, Range.atLeast(1), Importance.MEDIUM,
            "Default of the topic config min.insync.replicas: the smallest ISR with which an acks=all write "
                + "is accepted.")
        .define(UNCLEAN_LEADER_ELECTION_ENABLE, Type.BOOLEAN, false, Importance.MEDIUM,
            "Default of the topic config unclean.leader.election.enable: whether a replica that is not in the "
                + "ISR may become leader when no ISR member is alive (available, but may lose acknowledged "
                + "records).")
        .define(MAX_PARTITIONS_PER_TOPIC, Type.INT, 10_000, Range.atLeast(1), Importance.LOW,
            "Upper bound on a topic's partition count.")
        .define(MAX_REPLICAS_PER_BROKER, Type.INT, 10_000, Range.atLeast(1), Importance.MEDIUM,
            "Most partition replicas one broker may hold: a topic creation, partition addition or reassignment that would "
                + "place more on any broker is refused (POLICY_VIOLATION) instead of failing later. Each replica "
                + "holds an open file per segment and preallocates segment.index.bytes for each of its two "
                + "indexes (sparse where the filesystem allows), so the open-files limit (ulimit -n) must be above "
                + "this + 1000, better twice that; a broker warns at start when it is not.")
        .define(AUTO_LEADER_REBALANCE_ENABLE, Type.BOOLEAN, true, Importance.MEDIUM,
            "Periodically move leadership back to each partition's preferred (first) replica when it is "
                + "alive and in the ISR.")
        .define(LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS, Type.LONG, 300L, Range.atLeast(1), Importance.MEDIUM,
            "How often the controller checks for partitions not led by their preferred replica; a new "
                + "controller waits this long before its first check.")
        .define(AUTO_LEADER_REBALANCE_MAX_ELECTIONS, Type.INT, 1000, Range.atLeast(1), Importance.LOW,
            "Most preferred-leader elections one rebalance check performs; the rest wait for the next check.");

    private static final ControllerConfig DEFAULTS = new ControllerConfig(Map.of());

    /** Parses and validates {@code props}; unknown keys are ignored (other modules own them). */
    public ControllerConfig(Map<String, ?> props) {
        super(CONFIG_DEF, props, false);
    }

    public static ControllerConfig defaults() {
        return DEFAULTS;
    }

    public long brokerSessionTimeoutMs() {
        return getInt(BROKER_SESSION_TIMEOUT_MS);
    }

    public int defaultReplicationFactor() {
        return getInt(DEFAULT_REPLICATION_FACTOR);
    }

    public int numPartitions() {
        return getInt(NUM_PARTITIONS);
    }

    public int minInsyncReplicas() {
        return getInt(MIN_INSYNC_REPLICAS);
    }

    public boolean uncleanLeaderElectionEnable() {
        return getBoolean(UNCLEAN_LEADER_ELECTION_ENABLE);
    }

    public int maxPartitionsPerTopic() {
        return getInt(MAX_PARTITIONS_PER_TOPIC);
    }

    public int maxReplicasPerBroker() {
        return getInt(MAX_REPLICAS_PER_BROKER);
    }

    public boolean autoLeaderRebalanceEnable() {
        return getBoolean(AUTO_LEADER_REBALANCE_ENABLE);
    }

    public long leaderImbalanceCheckIntervalMs() {
        return getLong(LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS) * 1000L;
    }

    public int autoLeaderRebalanceMaxElections() {
        return getInt(AUTO_LEADER_REBALANCE_MAX_ELECTIONS);
    }
}
