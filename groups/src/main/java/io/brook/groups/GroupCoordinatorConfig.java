package io.brook.groups;

import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;
import static org.apache.kafka.common.config.ConfigDef.Range.between;

import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The group coordinator's broker-side knobs, with Kafka's key names and defaults. Every key is
 * declared once, in {@link #CONFIG_DEF}. Immutable.
 */
public final class GroupCoordinatorConfig {
  public static final String INITIAL_REBALANCE_DELAY_MS_CONFIG = "group.initial.rebalance.delay.ms";
  public static final String MIN_SESSION_TIMEOUT_MS_CONFIG = "group.min.session.timeout.ms";
  public static final String MAX_SESSION_TIMEOUT_MS_CONFIG = "group.max.session.timeout.ms";
  public static final String MAX_SIZE_CONFIG = "group.max.size";
  public static final String OFFSET_METADATA_MAX_BYTES_CONFIG = "offset.metadata.max.bytes";
  public static final String OFFSETS_RETENTION_MINUTES_CONFIG = "offsets.retention.minutes";
  public static final String OFFSETS_RETENTION_CHECK_INTERVAL_MS_CONFIG = "offsets.retention.check.interval.ms";
  public static final String GROUP_ID_MAX_LENGTH_CONFIG = "group.id.max.length";
  public static final String MEMBER_PROTOCOLS_MAX_CONFIG = "group.member.protocols.max";
  public static final String MEMBER_METADATA_MAX_BYTES_CONFIG = "group.member.metadata.max.bytes";
  public static final String MAX_UNCOMMITTED_OPS_CONFIG = "group.coordinator.max.uncommitted.ops";

  /** Kafka's {@code ClassicGroupMember.NEW_MEMBER_JOIN_TIMEOUT_MS}: how long a new member's first join may wait. */
  public static final long NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60 * 1000L;

  /** Brook: the longest protocol type or protocol (assignor) name a JoinGroup may carry, in UTF-8 bytes. */
  public static final int PROTOCOL_NAME_MAX_BYTES = 255;

  /** The longest string a record can hold: an int16 length of UTF-8 bytes. */
  public static final int RECORD_STRING_MAX_BYTES = Short.MAX_VALUE;

  public static final ConfigDef CONFIG_DEF = new ConfigDef()
      .define(INITIAL_REBALANCE_DELAY_MS_CONFIG, Type.INT, 3_000, atLeast(0), Importance.MEDIUM,
          "How long the first rebalance of an empty group waits for more members to join (extended by this "
              + "much, up to the rebalance timeout, while new members keep arriving).")
      .define(MIN_SESSION_TIMEOUT_MS_CONFIG, Type.INT, 6_000, atLeast(1), Importance.MEDIUM,
          "The smallest session.timeout.ms a member may ask for; below it JoinGroup fails with INVALID_SESSION_TIMEOUT.")
      .define(MAX_SESSION_TIMEOUT_MS_CONFIG, Type.INT, 1_800_000, atLeast(1), Importance.MEDIUM,
          "The largest session.timeout.ms a member may ask for; above it JoinGroup fails with INVALID_SESSION_TIMEOUT.")
      .define(MAX_SIZE_CONFIG, Type.INT, Integer.MAX_VALUE, atLeast(1), Importance.MEDIUM,
          "The most members a group may have; a new member beyond it gets GROUP_MAX_SIZE_REACHED.")
      .define(OFFSET_METADATA_MAX_BYTES_CONFIG, Type.INT, 4_096, between(0, RECORD_STRING_MAX_BYTES), Importance.LOW,
          "The longest metadata string an offset commit may carry, in UTF-8 bytes (Kafka counts chars; the record "
              + "holds at most 32767 bytes); longer is OFFSET_METADATA_TOO_LARGE for that partition.")
      .define(OFFSETS_RETENTION_MINUTES_CONFIG, Type.INT, 10_080, atLeast(1), Importance.HIGH,
          "How long the offsets of a group stay after the group became empty (or, for a group that never used "
              + "group management, after the offset was committed); then they are deleted by tombstones.")
      .define(OFFSETS_RETENTION_CHECK_INTERVAL_MS_CONFIG, Type.LONG, 600_000L, atLeast(1), Importance.LOW,
          "How often expired offsets, and empty groups without offsets, are looked for.")
      .define(GROUP_ID_MAX_LENGTH_CONFIG, Type.INT, 255, between(1, 16_383), Importance.LOW,
          "Brook: the longest group.id accepted, in UTF-8 bytes; an empty or longer one is INVALID_GROUP_ID. Also "
              + "the bound on a client id, client host and instance id (a member id: twice it). Kafka has no bound; "
              + "the records in __consumer_offsets hold these as int16-length strings, hence at most 16383.")
      .define(MEMBER_PROTOCOLS_MAX_CONFIG, Type.INT, 32, between(1, 1_024), Importance.LOW,
          "Brook: the most protocols (assignors) one JoinGroup may name; more is INVALID_REQUEST.")
      .define(MEMBER_METADATA_MAX_BYTES_CONFIG, Type.INT, 1 << 20, atLeast(64), Importance.LOW,
          "Brook: the most bytes of protocol metadata one JoinGroup may carry (all its protocols together), "
              + "and of the assignment the leader's SyncGroup may give one member; more is INVALID_REQUEST. "
              + "The coordinator keeps these bytes in memory and in every GroupMetadata record.")
      .define(MAX_UNCOMMITTED_OPS_CONFIG, Type.INT, 10_000, atLeast(1), Importance.LOW,
          "Brook: the most operations a coordinator keeps whose records are not known to be committed (each "
              + "holds the undo of what it changed); past it, requests are answered COORDINATOR_NOT_AVAILABLE "
              + "(clients retry) until the log catches up. Timers still run.");

  private final Map<String, Object> parsed;

  public GroupCoordinatorConfig(Map<String, ?> values) {
    for (String key : values.keySet()) {
      if (!CONFIG_DEF.names().contains(key)) {
        throw new ConfigException(key, values.get(key), "Unknown group coordinator config name");
      }
    }
    this.parsed = CONFIG_DEF.parse(values);
    if (minSessionTimeoutMs() > maxSessionTimeoutMs()) {
      throw new ConfigException(MIN_SESSION_TIMEOUT_MS_CONFIG, minSessionTimeoutMs(),
          "must not be above " + MAX_SESSION_TIMEOUT_MS_CONFIG);
    }
  }

  public static GroupCoordinatorConfig defaults() {
    return new GroupCoordinatorConfig(Map.of());
  }

  public int initialRebalanceDelayMs() {
    return (Integer) parsed.get(INITIAL_REBALANCE_DELAY_MS_CONFIG);
  }

  public int minSessionTimeoutMs() {
    return (Integer) parsed.get(MIN_SESSION_TIMEOUT_MS_CONFIG);
  }

  public int maxSessionTimeoutMs() {
    return (Integer) parsed.get(MAX_SESSION_TIMEOUT_MS_CONFIG);
  }

  public int maxSize() {
    return (Integer) parsed.get(MAX_SIZE_CONFIG);
  }

  public int offsetMetadataMaxBytes() {
    return (Integer) parsed.get(OFFSET_METADATA_MAX_BYTES_CONFIG);
  }

  public long offsetsRetentionMs() {
    return (Integer) parsed.get(OFFSETS_RETENTION_MINUTES_CONFIG) * 60_000L;
  }

  public long offsetsRetentionCheckIntervalMs() {
    return (Long) parsed.get(OFFSETS_RETENTION_CHECK_INTERVAL_MS_CONFIG);
  }

  public int groupIdMaxLength() {
    return (Integer) parsed.get(GROUP_ID_MAX_LENGTH_CONFIG);
  }

  public int memberProtocolsMax() {
    return (Integer) parsed.get(MEMBER_PROTOCOLS_MAX_CONFIG);
  }

  public int maxUncommittedOps() {
    return (Integer) parsed.get(MAX_UNCOMMITTED_OPS_CONFIG);
  }

  public int memberMetadataMaxBytes() {
    return (Integer) parsed.get(MEMBER_METADATA_MAX_BYTES_CONFIG);
  }
}
