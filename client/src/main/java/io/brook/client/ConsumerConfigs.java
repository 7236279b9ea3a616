package io.brook.client;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.RebalanceProtocol;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;

/**
 * Every consumer key, declared once with Kafka's name, type, default and validator; checked when
 * the consumer is created ({@link ConfigException} names the key and the bad value). The group
 * keys ({@code group.id} and the ones after it) matter only with a {@code group.id}: without one the
 * consumer reads the partitions it is assigned and commits nothing, as Kafka's.
 */
public final class ConsumerConfigs extends AbstractConfig {
  public static final String CLIENT_ID = "client.id";
  public static final String FETCH_MIN_BYTES = "fetch.min.bytes";
  public static final String FETCH_MAX_WAIT_MS = "fetch.max.wait.ms";
  public static final String MAX_PARTITION_FETCH_BYTES = "max.partition.fetch.bytes";
  public static final String MAX_POLL_RECORDS = "max.poll.records";
  public static final String AUTO_OFFSET_RESET = "auto.offset.reset";
  public static final String CHECK_CRCS = "check.crcs";
  public static final String REQUEST_TIMEOUT_MS = "request.timeout.ms";
  public static final String DEFAULT_API_TIMEOUT_MS = "default.api.timeout.ms";
  public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
  public static final String METADATA_MAX_AGE_MS = "metadata.max.age.ms";
  public static final String GROUP_ID = "group.id";
  public static final String GROUP_INSTANCE_ID = "group.instance.id";
  public static final String SESSION_TIMEOUT_MS = "session.timeout.ms";
  public static final String HEARTBEAT_INTERVAL_MS = "heartbeat.interval.ms";
  public static final String MAX_POLL_INTERVAL_MS = "max.poll.interval.ms";
  public static final String ENABLE_AUTO_COMMIT = "enable.auto.commit";
  public static final String AUTO_COMMIT_INTERVAL_MS = "auto.commit.interval.ms";
  public static final String PARTITION_ASSIGNMENT_STRATEGY = "partition.assignment.strategy";

  /** Where a partition without a position starts. */
  public enum OffsetReset { LATEST, EARLIEST, NONE }

  public static final ConfigDef CONFIG_DEF = new ConfigDef()
      .define(CLIENT_ID, Type.STRING, "", Importance.LOW,
          "A name for this consumer in logs and error messages.")
      .define(FETCH_MIN_BYTES, Type.INT, 1, Range.atLeast(0), Importance.HIGH,
          "The leader answers a fetch once this many bytes are available (or fetch.max.wait.ms passed).")
      .define(FETCH_MAX_WAIT_MS, Type.INT, 500, Range.atLeast(0), Importance.LOW,
          "Longest time the leader holds a fetch waiting for fetch.min.bytes.")
      .define(MAX_PARTITION_FETCH_BYTES, Type.INT, 1048576, Range.atLeast(0), Importance.HIGH,
          "Most bytes one fetch returns for a partition (a larger first batch is still returned whole).")
      .define(MAX_POLL_RECORDS, Type.INT, 500, Range.atLeast(1), Importance.MEDIUM,
          "Most records one poll returns; the rest stay buffered for the next poll.")
      .define(AUTO_OFFSET_RESET, Type.STRING, "latest", ValidString.in("latest", "earliest", "none"),
          Importance.MEDIUM, "Where a partition without a valid position starts: latest, earliest, or none"
              + " (poll fails with NoOffsetForPartitionException / OffsetOutOfRangeException).")
      .define(CHECK_CRCS, Type.BOOLEAN, true, Importance.LOW,
          "Verify each fetched batch's CRC32C before handing out its records.")
      .define(REQUEST_TIMEOUT_MS, Type.INT, 30000, Range.atLeast(0), Importance.MEDIUM,
          "Event bus timeout of one request (a fetch gets fetch.max.wait.ms on top).")
      .define(DEFAULT_API_TIMEOUT_MS, Type.INT, 60000, Range.atLeast(0), Importance.MEDIUM,
          "Upper bound of offset look-ups (beginningOffsets, endOffsets, offsetsForTimes, seeks, position), commitSync,"
              + " committed and unsubscribe, retries included.")
      .define(RETRY_BACKOFF_MS, Type.LONG, 100L, Range.atLeast(0L), Importance.LOW,
          "Wait before retrying a partition or refreshing metadata after an error.")
      .define(METADATA_MAX_AGE_MS, Type.LONG, 300000L, Range.atLeast(0), Importance.LOW,
          "Refresh metadata at least this often, even without errors.")
      .define(GROUP_ID, Type.STRING, null, Importance.HIGH,
          "The consumer group this consumer belongs to: needed by subscribe() (group management) and by"
              + " the commit and committed-offset calls. Without it the consumer only reads assigned partitions.")
      .define(GROUP_INSTANCE_ID, Type.STRING, null, Importance.MEDIUM,
          "Makes the consumer a static member (KIP-345): restarted within session.timeout.ms with the same"
              + " id it gets its partitions back without a rebalance; it never sends LeaveGroup.")
      .define(SESSION_TIMEOUT_MS, Type.INT, 45000, Importance.HIGH,
          "The coordinator removes a member that sent no heartbeat for this long (within the broker's"
              + " group.min.session.timeout.ms and group.max.session.timeout.ms).")
      .define(HEARTBEAT_INTERVAL_MS, Type.INT, 3000, Range.atLeast(1), Importance.HIGH,
          "How often the member heartbeats its coordinator, on the consumer's context whether or not the"
              + " application polls; below session.timeout.ms (a third of it, typically).")
      .define(MAX_POLL_INTERVAL_MS, Type.INT, 300000, Range.atLeast(1), Importance.MEDIUM,
          "Longest time between polls: a consumer that does not poll within it leaves its group (its"
              + " partitions go to others). Also the rebalance timeout: how long the coordinator waits for"
              + " members to join again.")
      .define(ENABLE_AUTO_COMMIT, Type.BOOLEAN, true, Importance.MEDIUM,
          "Commit the positions of returned records every auto.commit.interval.ms from poll, before"
              + " partitions are revoked, and on close (needs a group.id).")
      .define(AUTO_COMMIT_INTERVAL_MS, Type.INT, 5000, Range.atLeast(0), Importance.LOW,
          "How often poll commits the consumed positions when enable.auto.commit is true.")
      .define(PARTITION_ASSIGNMENT_STRATEGY, Type.LIST,
          List.of(RangeAssignor.class.getName(), CooperativeStickyAssignor.class.getName()), Importance.MEDIUM,
          "Class names of kafka-clients' ConsumerPartitionAssignor implementations (RangeAssignor,"
              + " RoundRobinAssignor, StickyAssignor, CooperativeStickyAssignor, or one of your own), in order of"
              + " preference; the group leader runs the one every member supports. The rebalance protocol is"
              + " the newest all of them support (cooperative only if all are).");

  // read once: AbstractConfig.get records every read in a concurrent set, too slow for poll()
  private final int fetchMinBytes;
  private final int fetchMaxWaitMs;
  private final int maxPartitionFetchBytes;
  private final int maxPollRecords;
  private final OffsetReset autoOffsetReset;
  private final boolean checkCrcs;
  private final int requestTimeoutMs;
  private final int defaultApiTimeoutMs;
  private final long retryBackoffMs;
  private final long metadataMaxAgeMs;
  private final String clientId;
  private final String groupId;
  private final String groupInstanceId;
  private final int sessionTimeoutMs;
  private final int heartbeatIntervalMs;
  private final int maxPollIntervalMs;
  private final boolean autoCommit;
  private final int autoCommitIntervalMs;

  public ConsumerConfigs(Map<String, ?> values) {
    super(CONFIG_DEF, values, false);
    this.fetchMinBytes = getInt(FETCH_MIN_BYTES);
    this.fetchMaxWaitMs = getInt(FETCH_MAX_WAIT_MS);
    this.maxPartitionFetchBytes = getInt(MAX_PARTITION_FETCH_BYTES);
    this.maxPollRecords = getInt(MAX_POLL_RECORDS);
    this.autoOffsetReset = OffsetReset.valueOf(getString(AUTO_OFFSET_RESET).toUpperCase(Locale.ROOT));
    this.checkCrcs = getBoolean(CHECK_CRCS);
    this.requestTimeoutMs = getInt(REQUEST_TIMEOUT_MS);
    this.defaultApiTimeoutMs = getInt(DEFAULT_API_TIMEOUT_MS);
    this.retryBackoffMs = getLong(RETRY_BACKOFF_MS);
    this.metadataMaxAgeMs = getLong(METADATA_MAX_AGE_MS);
    this.clientId = getString(CLIENT_ID);
    this.groupId = getString(GROUP_ID);
    this.groupInstanceId = getString(GROUP_INSTANCE_ID);
    this.sessionTimeoutMs = getInt(SESSION_TIMEOUT_MS);
    this.heartbeatIntervalMs = getInt(HEARTBEAT_INTERVAL_MS);
    this.maxPollIntervalMs = getInt(MAX_POLL_INTERVAL_MS);
    this.autoCommitIntervalMs = getInt(AUTO_COMMIT_INTERVAL_MS);
    this.autoCommit = autoCommitOf(values);
    if (groupId != null && heartbeatIntervalMs >= sessionTimeoutMs) {
      throw new ConfigException(HEARTBEAT_INTERVAL_MS, heartbeatIntervalMs, "must be lower than "
          + SESSION_TIMEOUT_MS + " (" + sessionTimeoutMs + ")");
    }
    if (groupInstanceId != null && groupInstanceId.isBlank()) {
      throw new ConfigException(GROUP_INSTANCE_ID, groupInstanceId, "must not be empty or blank");
    }
    assignors(); // refuses a class that is not an assignor, or assignors with no common rebalance protocol
  }

  /** As Kafka: on by default with a group, off without one, and an error when asked for without one. */
  private boolean autoCommitOf(Map<String, ?> values) {
    boolean asked = getBoolean(ENABLE_AUTO_COMMIT);
    if (groupId == null && values.containsKey(ENABLE_AUTO_COMMIT) && asked) {
      throw new ConfigException(ENABLE_AUTO_COMMIT, true, "cannot be true without a " + GROUP_ID);
    }
    return groupId != null && asked;
  }

  /**
   * New instances of the configured assignors, in preference order (each consumer needs its own:
   * the sticky ones remember the last assignment). {@link ConfigException} for a class that does
   * not load or is not a {@link ConsumerPartitionAssignor}.
   */
  public List<ConsumerPartitionAssignor> assignors() {
    List<ConsumerPartitionAssignor> assignors;
    try {
      assignors = ConsumerPartitionAssignor.getAssignorInstances(getList(PARTITION_ASSIGNMENT_STRATEGY), originals());
    } catch (KafkaException | IllegalArgumentException e) {
      throw new ConfigException(PARTITION_ASSIGNMENT_STRATEGY, getList(PARTITION_ASSIGNMENT_STRATEGY), e.getMessage());
    }
    if (groupId != null && assignors.isEmpty()) {
      throw new ConfigException(PARTITION_ASSIGNMENT_STRATEGY, List.of(), "a group member needs at least one assignor");
    }
    if (!assignors.isEmpty() && rebalanceProtocolOf(assignors) == null) {
      throw new ConfigException(PARTITION_ASSIGNMENT_STRATEGY, getList(PARTITION_ASSIGNMENT_STRATEGY),
          "the assignors have no rebalance protocol in common");
    }
    return assignors;
  }

  /**
   * The rebalance protocol of a member with these assignors, as Kafka's: the newest one all of them
   * support (EAGER unless every assignor is cooperative); null when they share none.
   */
  public static RebalanceProtocol rebalanceProtocolOf(List<ConsumerPartitionAssignor> assignors) {
    List<RebalanceProtocol> common = new ArrayList<>(assignors.get(0).supportedProtocols());
    assignors.forEach(a -> common.retainAll(a.supportedProtocols()));
    return common.stream().max(Comparator.naturalOrder()).orElse(null);
  }

  public int fetchMinBytes() {
    return fetchMinBytes;
  }

  public int fetchMaxWaitMs() {
    return fetchMaxWaitMs;
  }

  public int maxPartitionFetchBytes() {
    return maxPartitionFetchBytes;
  }

  public int maxPollRecords() {
    return maxPollRecords;
  }

  public OffsetReset autoOffsetReset() {
    return autoOffsetReset;
  }

  public boolean checkCrcs() {
    return checkCrcs;
  }

  public int requestTimeoutMs() {
    return requestTimeoutMs;
  }

  public int defaultApiTimeoutMs() {
    return defaultApiTimeoutMs;
  }

  public long retryBackoffMs() {
    return retryBackoffMs;
  }

  public long metadataMaxAgeMs() {
    return metadataMaxAgeMs;
  }

  public String clientId() {
    return clientId;
  }

  /** The group, empty without one. */
  public Optional<String> groupId() {
    return Optional.ofNullable(groupId);
  }

  public Optional<String> groupInstanceId() {
    return Optional.ofNullable(groupInstanceId);
  }

  public int sessionTimeoutMs() {
    return sessionTimeoutMs;
  }

  public int heartbeatIntervalMs() {
    return heartbeatIntervalMs;
  }

  /** Also the rebalance timeout sent in JoinGroup. */
  public int maxPollIntervalMs() {
    return maxPollIntervalMs;
  }

  /** {@code enable.auto.commit} with a group; always false without one. */
  public boolean autoCommit() {
    return autoCommit;
  }

  public int autoCommitIntervalMs() {
    return autoCommitIntervalMs;
  }
}
