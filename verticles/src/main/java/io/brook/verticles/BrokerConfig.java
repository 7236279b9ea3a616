package io.brook.verticles;

import io.brook.storage.LogConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * A broker's own configuration: identity, data directory, log scheduler periods, request limits,
 * and the broker-wide defaults of topic configs under Kafka's broker names ({@code log.segment.bytes}
 * is the default of the topic config {@code segment.bytes}, and so on, see {@link #TOPIC_DEFAULTS}).
 * Keys of other modules (cluster, web console) may sit in the same JSON and are ignored here.
 */
public final class BrokerConfig extends AbstractConfig {
  public static final String NODE_ID = "node.id";
  public static final String DATA_DIR = "data.dir";
  public static final String METADATA_LOG_DIR = "metadata.log.dir";
  public static final String LOG_FLUSH_SCHEDULER_INTERVAL_MS = "log.flush.scheduler.interval.ms";
  public static final String LOG_RETENTION_CHECK_INTERVAL_MS = "log.retention.check.interval.ms";
  public static final String FETCH_MAX_BYTES = "fetch.max.bytes";
  public static final String FETCH_MAX_WAIT_MS = "fetch.max.wait.ms";
  public static final String REQUEST_MAX_BYTES = "request.max.bytes";
  public static final String QUEUED_MAX_REQUESTS = "queued.max.requests";
  public static final String REPLICA_FETCH_MAX_BYTES = "replica.fetch.max.bytes";
  public static final String BROKER_HEARTBEAT_INTERVAL_MS = "broker.heartbeat.interval.ms";
  public static final String REPLICA_FETCH_WAIT_MAX_MS = "replica.fetch.wait.max.ms";
  public static final String SHUTDOWN_TIMEOUT_MS = "shutdown.timeout.ms";
  public static final String METRICS_GROUP_LAG_INTERVAL_MS = "metrics.group.lag.interval.ms";
  public static final String METRICS_VERTX_ENABLED = "metrics.vertx.enabled";
  public static final String EVENT_LOOP_THREADS = "event.loop.threads";
  public static final String LOG_CLEANER_ENABLE = "log.cleaner.enable";
  public static final String LOG_CLEANER_DEDUPE_BUFFER_SIZE = "log.cleaner.dedupe.buffer.size";
  public static final String LOG_CLEANER_IO_BUFFER_SIZE = "log.cleaner.io.buffer.size";
  public static final String LOG_CLEANER_BACKOFF_MS = "log.cleaner.backoff.ms";
  public static final String PRODUCER_ID_EXPIRATION_MS = "producer.id.expiration.ms";
  public static final String PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS = "producer.id.expiration.check.interval.ms";
  public static final String AUTO_CREATE_TOPICS_ENABLE = "auto.create.topics.enable";

  /** Broker key → the topic config it is the default of. */
  public static final Map<String, String> TOPIC_DEFAULTS = orderedMap(
      "log.segment.bytes", LogConfig.SEGMENT_BYTES_CONFIG,
      "log.roll.ms", LogConfig.SEGMENT_MS_CONFIG,
      "log.index.size.max.bytes", LogConfig.SEGMENT_INDEX_BYTES_CONFIG,
      "log.index.interval.bytes", LogConfig.INDEX_INTERVAL_BYTES_CONFIG,
      "message.max.bytes", LogConfig.MAX_MESSAGE_BYTES_CONFIG,
      "log.flush.interval.messages", LogConfig.FLUSH_MESSAGES_CONFIG,
      "log.flush.interval.ms", LogConfig.FLUSH_MS_CONFIG,
      "log.retention.ms", LogConfig.RETENTION_MS_CONFIG,
      "log.retention.bytes", LogConfig.RETENTION_BYTES_CONFIG,
      "log.message.timestamp.type", LogConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG,
      "log.segment.delete.delay.ms", LogConfig.FILE_DELETE_DELAY_MS_CONFIG,
      "log.cleanup.policy", LogConfig.CLEANUP_POLICY_CONFIG,
      "log.cleaner.min.cleanable.ratio", LogConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG,
      "log.cleaner.delete.retention.ms", LogConfig.DELETE_RETENTION_MS_CONFIG,
      "log.cleaner.min.compaction.lag.ms", LogConfig.MIN_COMPACTION_LAG_MS_CONFIG,
      "log.cleaner.max.compaction.lag.ms", LogConfig.MAX_COMPACTION_LAG_MS_CONFIG);

  public static final ConfigDef CONFIG_DEF = define();

  private static ConfigDef define() {
    ConfigDef def = new ConfigDef()
        .define(NODE_ID, Type.INT, 1, Range.atLeast(0), Importance.HIGH,
            "This broker's id, unique in the cluster; it names the broker's brook.api.broker.<id>.* addresses.")
        .define(DATA_DIR, Type.STRING, "data/node-1", Importance.HIGH,
            "Directory holding the partition logs (one <topic>-<partition> directory each) and, unless metadata.log.dir is set, the metadata log; "
                + "locked (.lock) while the broker runs, with its PID in brook.pid. A relative path is taken from the working directory; "
                + "./run.sh gives node N data/node-N in the repository.")
        .define(METADATA_LOG_DIR, Type.STRING, "", Importance.HIGH,
            "Directory of the metadata log (__cluster_metadata-0, its quorum-state and a meta.properties of its own); "
                + "empty: inside data.dir. On another disk, a full data disk does not stop metadata changes. "
                + "Must not lie inside data.dir.")
        .define(LOG_FLUSH_SCHEDULER_INTERVAL_MS, Type.LONG, 3000L, Range.atLeast(1), Importance.MEDIUM,
            "How often every log checks its flush policy (flush.ms); one timer per broker.")
        .define(LOG_RETENTION_CHECK_INTERVAL_MS, Type.LONG, 300_000L, Range.atLeast(1), Importance.MEDIUM,
            "How often every log applies retention (retention.ms, retention.bytes); one timer per broker.")
        .define(FETCH_MAX_BYTES, Type.INT, 8 * 1024 * 1024, Range.atLeast(1024), Importance.MEDIUM,
            "Most bytes one fetch answer carries; larger requests are clamped (a first batch bigger than this is still sent whole).")
        .define(FETCH_MAX_WAIT_MS, Type.INT, 30_000, Range.between(0, 120_000), Importance.LOW,
            "Longest a fetch may wait for data (long poll); larger maxWaitMs values are clamped.")
        .define(REQUEST_MAX_BYTES, Type.INT, 100 * 1024 * 1024, Range.atLeast(1024), Importance.MEDIUM,
            "Largest produce request accepted; bigger ones fail with MESSAGE_TOO_LARGE.")
        .define(QUEUED_MAX_REQUESTS, Type.INT, 500, Range.atLeast(1), Importance.MEDIUM,
            "Produce requests (and separately long-poll fetches) that may wait at one partition; beyond it they fail with THROTTLING_QUOTA_EXCEEDED.")
        .define(BROKER_HEARTBEAT_INTERVAL_MS, Type.LONG, 2000L, Range.between(100, 60_000), Importance.MEDIUM,
            "How often the broker heartbeats the active controller; broker.session.timeout.ms without one and it is fenced.")
        .define(REPLICA_FETCH_MAX_BYTES, Type.INT, 1024 * 1024, Range.atLeast(1024), Importance.MEDIUM,
            "Bytes a follower asks its leader for per fetch (the first batch always comes whole).")
        .define(REPLICA_FETCH_WAIT_MAX_MS, Type.INT, 500, Range.between(0, 30_000), Importance.MEDIUM,
            "How long a follower's fetch waits at the leader for new records (long poll).")
        .define(SHUTDOWN_TIMEOUT_MS, Type.LONG, 20_000L, Range.atLeast(1_000), Importance.MEDIUM,
            "Longest a stop (SIGTERM, Ctrl-C) may take: flushing and closing the partition logs, then leaving the "
                + "cluster. When it runs out the node logs what it was still waiting for and exits with status 1; logs "
                + "not closed by then are recovered at the next start. Below the 30 s a Kubernetes pod and the 90 s a "
                + "systemd unit get by default before SIGKILL, so that Brook, not the supervisor, ends a stuck stop.")
        .define(METRICS_GROUP_LAG_INTERVAL_MS, Type.LONG, 30_000L, Range.between(1_000, 3_600_000), Importance.LOW,
            "How often the broker computes the brook_group_lag gauges of the consumer groups it coordinates"
                + " (committed offsets against the partitions' high watermarks; docs/METRICS.md): they are at most this old.")
        .define(METRICS_VERTX_ENABLED, Type.BOOLEAN, true, Importance.LOW,
            "Vert.x's own meters in GET /metrics (vertx-micrometer-metrics: event bus messages, HTTP server requests,"
                + " worker pools; docs/METRICS.md), measured on every message; false keeps Brook's and the JVM's only."
                + " Read by the launcher when it builds the node's Vert.x.")
        .define(EVENT_LOOP_THREADS, Type.INT, 0, Range.between(0, 1024), Importance.MEDIUM,
            "Event loop threads of the node's Vert.x, which run every verticle but the logs (those write on worker"
                + " threads). 0 is half the available cores, at least 1: a request hops between the listener, the"
                + " broker's request verticle and its partition's leader, and each hop to another event loop wakes"
                + " that thread (on 2 cores one loop cut a produce request's CPU by a quarter; bench/vs-kafka.sh)."
                + " -Dvertx.options.eventLoopPoolSize wins when it is given a value other than Vert.x's own default (2 x cores)."
                + " Read by the launcher when it builds the node's Vert.x.")
        .define(LOG_CLEANER_ENABLE, Type.BOOLEAN, true, Importance.MEDIUM,
            "Run the log cleaner, which compacts the topics whose cleanup.policy holds compact; false leaves them "
                + "uncompacted (they then grow like delete topics without retention).")
        .define(LOG_CLEANER_DEDUPE_BUFFER_SIZE, Type.LONG, 128L * 1024 * 1024, Range.between(24L * 1024, Integer.MAX_VALUE),
            Importance.MEDIUM,
            "Memory of the cleaner's offset map (24 bytes a key, 90% usable), allocated once per broker and lent to one "
                + "log at a time; a round maps as many dirty segments as fit.")
        .define(LOG_CLEANER_IO_BUFFER_SIZE, Type.INT, 512 * 1024, Range.atLeast(1024), Importance.LOW,
            "The cleaner's read buffer; grown for a larger batch.")
        .define(LOG_CLEANER_BACKOFF_MS, Type.LONG, 15_000L, Range.atLeast(1), Importance.MEDIUM,
            "How often the cleaner looks for the dirtiest compacted log (one timer per broker); one log is cleaned "
                + "at a time.")
        .define(PRODUCER_ID_EXPIRATION_MS, Type.INT, 86_400_000, Range.atLeast(1), Importance.LOW,
            "How long a partition remembers an idempotent producer that has not written to it: once the timestamp "
                + "of the producer's newest batch there (its CreateTime, or the append time under LogAppendTime) is "
                + "this old, the partition forgets its epoch and sequence numbers (Kafka's setting, same default: one "
                + "day). A batch the producer sends after that is accepted at any sequence, as Kafka does, so a retry "
                + "of a batch written before the expiry is written again. Checked every "
                + PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS + " and when a log is opened.")
        .define(PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS, Type.INT, 600_000, Range.atLeast(1), Importance.LOW,
            "How often every log forgets the idempotent producers past " + PRODUCER_ID_EXPIRATION_MS
                + " (one timer per broker; in memory, no disk I/O).")
        .define(AUTO_CREATE_TOPICS_ENABLE, Type.BOOLEAN, false, Importance.MEDIUM,
            "Create a topic that does not exist when a Kafka client's Metadata request names it and allows it "
                + "(allow.auto.create.topics: producers, and consumers unless they turn it off), with num.partitions "
                + "and default.replication.factor, if the client may create it (CREATE on the cluster or the topic). "
                + "Kafka's default is true; Brook's is false, so that a mistyped name is an error "
                + "(UNKNOWN_TOPIC_OR_PARTITION) rather than a new topic. Internal topics (__*) are never created "
                + "this way. Brook's own clients never auto-create.");
    for (Map.Entry<String, String> entry : TOPIC_DEFAULTS.entrySet()) {
      ConfigDef.ConfigKey topicKey = LogConfig.CONFIG_DEF.configKeys().get(entry.getValue());
      def.define(entry.getKey(), topicKey.type, topicKey.defaultValue, topicKey.validator, Importance.MEDIUM,
          "Default of the topic config " + entry.getValue() + ": " + topicKey.documentation);
    }
    return def;
  }

  public BrokerConfig(Map<String, ?> values) {
    super(CONFIG_DEF, values, false);
  }

  public int nodeId() {
    return getInt(NODE_ID);
  }

  public Path dataDir() {
    return Path.of(getString(DATA_DIR));
  }

  /** Where the metadata log lives: {@code metadata.log.dir}, or {@link #dataDir()} when it is empty. */
  public Path metadataLogDir() {
    String dir = getString(METADATA_LOG_DIR);
    return dir == null || dir.isBlank() ? dataDir() : Path.of(dir);
  }

  public long flushSchedulerIntervalMs() {
    return getLong(LOG_FLUSH_SCHEDULER_INTERVAL_MS);
  }

  public long retentionCheckIntervalMs() {
    return getLong(LOG_RETENTION_CHECK_INTERVAL_MS);
  }

  public int fetchMaxBytes() {
    return getInt(FETCH_MAX_BYTES);
  }

  public int fetchMaxWaitMs() {
    return getInt(FETCH_MAX_WAIT_MS);
  }

  public int requestMaxBytes() {
    return getInt(REQUEST_MAX_BYTES);
  }

  public int queuedMaxRequests() {
    return getInt(QUEUED_MAX_REQUESTS);
  }

  public long brokerHeartbeatIntervalMs() {
    return getLong(BROKER_HEARTBEAT_INTERVAL_MS);
  }

  public int replicaFetchMaxBytes() {
    return getInt(REPLICA_FETCH_MAX_BYTES);
  }

  public int replicaFetchWaitMaxMs() {
    return getInt(REPLICA_FETCH_WAIT_MAX_MS);
  }

  public long producerIdExpirationMs() {
    return getInt(PRODUCER_ID_EXPIRATION_MS);
  }

  public long producerIdExpirationCheckIntervalMs() {
    return getInt(PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS);
  }

  /** The log cleaner's broker settings. */
  public CleanerSettings cleaner() {
    return new CleanerSettings(getBoolean(LOG_CLEANER_ENABLE), (int) (long) getLong(LOG_CLEANER_DEDUPE_BUFFER_SIZE),
        getInt(LOG_CLEANER_IO_BUFFER_SIZE), getLong(LOG_CLEANER_BACKOFF_MS));
  }

  /** {@code log.cleaner.*}: whether it runs, its two buffers and its period. */
  public record CleanerSettings(boolean enabled, int dedupeBufferBytes, int ioBufferBytes, long backoffMs) {}

  public boolean vertxMetricsEnabled() {
    return getBoolean(METRICS_VERTX_ENABLED);
  }

  /** {@code event.loop.threads}, 0 resolved: half of {@code cores}, at least 1. */
  public int eventLoopThreads(int cores) {
    int configured = getInt(EVENT_LOOP_THREADS);
    return configured > 0 ? configured : Math.max(1, cores / 2);
  }

  public boolean autoCreateTopicsEnable() {
    return getBoolean(AUTO_CREATE_TOPICS_ENABLE);
  }

  public long groupLagIntervalMs() {
    return getLong(METRICS_GROUP_LAG_INTERVAL_MS);
  }

  public long shutdownTimeoutMs() {
    return getLong(SHUTDOWN_TIMEOUT_MS);
  }

  /**
   * The metadata log's config: the broker's defaults, but never deleted by retention (it has no
   * snapshots yet: every broker rebuilds its image from the whole log).
   */
  public LogConfig metadataLogConfig() {
    return topicDefaults().withOverrides(java.util.Map.of(LogConfig.RETENTION_MS_CONFIG, -1L,
        LogConfig.RETENTION_BYTES_CONFIG, -1L));
  }

  /** The topic config every topic starts from: defaults with the broker's log.* values set. */
  public LogConfig topicDefaults() {
    Map<String, Object> defaults = new HashMap<>();
    for (Map.Entry<String, String> entry : TOPIC_DEFAULTS.entrySet()) {
      if (originals().containsKey(entry.getKey())) {
        defaults.put(entry.getValue(), get(entry.getKey()));
      }
    }
    return LogConfig.fromMap(defaults);
  }

  private static Map<String, String> orderedMap(String... keysAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(map);
  }
}
