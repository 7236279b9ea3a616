package io.brook.client;

import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;

/**
 * Every consumer key, declared once with Kafka's name, type, default and validator; checked when
 * the consumer is created ({@link ConfigException} names the key and the bad value).
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
          "Upper bound of offset look-ups (beginningOffsets, endOffsets, offsetsForTimes, seeks), retries included.")
      .define(RETRY_BACKOFF_MS, Type.LONG, 100L, Range.atLeast(0L), Importance.LOW,
          "Wait before retrying a partition or refreshing metadata after an error.")
      .define(METADATA_MAX_AGE_MS, Type.LONG, 300000L, Range.atLeast(0), Importance.LOW,
          "Refresh metadata at least this often, even without errors.");

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
}
