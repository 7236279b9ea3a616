package io.brook.client;

import io.brook.protocol.message.ProduceRequest;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;

/**
 * Every producer key, declared once with Kafka's name, type, default and validator. Values are
 * checked when the producer is created ({@link ConfigException} names the key and the bad value).
 *
 * <p>{@code acks} defaults to {@code all} as in Kafka 3+. {@code delivery.timeout.ms} must cover
 * {@code linger.ms + request.timeout.ms}; if left at its default it is raised to that sum, as Kafka does.
 *
 * <p>{@code enable.idempotence} defaults to true and needs {@code acks=all}, {@code retries > 0} and
 * {@code max.in.flight.requests.per.connection <= 5}, as in Kafka 3+: set explicitly together with a
 * conflicting value it is a {@link ConfigException}; left at its default, a conflicting value the
 * user set turns idempotence off (e.g. {@code acks=1} alone gives a plain at-least-once producer).
 */
public final class ProducerConfigs extends AbstractConfig {
  public static final String CLIENT_ID = "client.id";
  public static final String ACKS = "acks";
  public static final String BATCH_SIZE = "batch.size";
  public static final String LINGER_MS = "linger.ms";
  public static final String COMPRESSION_TYPE = "compression.type";
  public static final String BUFFER_MEMORY = "buffer.memory";
  public static final String MAX_BLOCK_MS = "max.block.ms";
  public static final String RETRIES = "retries";
  public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
  public static final String REQUEST_TIMEOUT_MS = "request.timeout.ms";
  public static final String DELIVERY_TIMEOUT_MS = "delivery.timeout.ms";
  public static final String MAX_IN_FLIGHT = "max.in.flight.requests.per.connection";
  public static final String MAX_REQUEST_SIZE = "max.request.size";
  public static final String METADATA_MAX_AGE_MS = "metadata.max.age.ms";
  public static final String PARTITIONER_IGNORE_KEYS = "partitioner.ignore.keys";
  public static final String ENABLE_IDEMPOTENCE = "enable.idempotence";
  /** The most requests per partition an idempotent producer pipelines: the leader remembers five batches. */
  public static final int MAX_IN_FLIGHT_FOR_IDEMPOTENCE = 5;

  public static final ConfigDef CONFIG_DEF = new ConfigDef()
      .define(CLIENT_ID, Type.STRING, "", Importance.LOW,
          "A name for this producer in logs and error messages.")
      .define(ACKS, Type.STRING, "all", ValidString.in("all", "-1", "0", "1"), Importance.HIGH,
          "Acknowledgements the leader waits for: 0 (none, fire and forget, offsets are -1), 1 (the leader's"
              + " log), all/-1 (every in-sync replica). Default all, as in Kafka 3+.")
      .define(BATCH_SIZE, Type.INT, 16384, Range.atLeast(0), Importance.MEDIUM,
          "Bytes of records collected per partition into one batch before it is sent.")
      .define(LINGER_MS, Type.LONG, 5L, Range.atLeast(0), Importance.MEDIUM,
          "How long a batch that is not full waits for more records before it is sent.")
      .define(COMPRESSION_TYPE, Type.STRING, "none", ValidString.in("none", "gzip", "snappy", "lz4", "zstd"),
          Importance.HIGH, "Compression codec of the record batches.")
      .define(BUFFER_MEMORY, Type.LONG, 33554432L, Range.atLeast(0), Importance.HIGH,
          "Bytes of batches the producer may hold unacknowledged; send() blocks (or fails at once on a Vert.x"
              + " thread) when they are used up.")
      .define(MAX_BLOCK_MS, Type.LONG, 60000L, Range.atLeast(0), Importance.MEDIUM,
          "How long send() blocks off Vert.x threads waiting for buffer memory.")
      .define(RETRIES, Type.INT, Integer.MAX_VALUE, Range.between(0, Integer.MAX_VALUE), Importance.HIGH,
          "How many times a batch is resent after a retriable error (bounded by delivery.timeout.ms).")
      .define(RETRY_BACKOFF_MS, Type.LONG, 100L, Range.atLeast(0L), Importance.LOW,
          "Wait before resending a batch or refreshing metadata after an error.")
      .define(REQUEST_TIMEOUT_MS, Type.INT, 30000, Range.atLeast(0), Importance.MEDIUM,
          "Event bus send timeout of one produce request.")
      .define(DELIVERY_TIMEOUT_MS, Type.INT, 120000, Range.atLeast(0), Importance.MEDIUM,
          "Upper bound from send() to success or failure, retries included.")
      .define(MAX_IN_FLIGHT, Type.INT, 5, Range.atLeast(1), Importance.LOW,
          "Unacknowledged produce requests per broker. Idempotent: instead, single-batch requests per partition"
              + " (at most 5), ordered by their sequences. Otherwise, with retries > 0 and acks 1 or all, a partition"
              + " has at most one request in flight, so retries never reorder its records.")
      .define(MAX_REQUEST_SIZE, Type.INT, 1048576, Range.atLeast(0), Importance.MEDIUM,
          "Largest produce request; a larger record fails with RecordTooLargeException.")
      .define(METADATA_MAX_AGE_MS, Type.LONG, 300000L, Range.atLeast(0), Importance.LOW,
          "Refresh metadata at least this often, even without errors.")
      .define(PARTITIONER_IGNORE_KEYS, Type.BOOLEAN, false, Importance.MEDIUM,
          "Ignore keys when choosing a partition (every record is sticky-partitioned).")
      .define(ENABLE_IDEMPOTENCE, Type.BOOLEAN, true, Importance.LOW,
          "Write each record exactly once per partition despite retries: the producer gets a producer id and"
              + " numbers its batches, and the leader drops a batch sent twice. Needs acks=all, retries > 0 and"
              + " max.in.flight.requests.per.connection <= 5; left at its default, a conflicting setting turns it"
              + " off, set to true together with one it is an error. Default true, as in Kafka 3+.");

  // read once: AbstractConfig.get records every read in a concurrent set, too slow for send()
  private final short acks;
  private final int batchSize;
  private final long lingerMs;
  private final Compression compression;
  private final long bufferMemory;
  private final long maxBlockMs;
  private final int retries;
  private final long retryBackoffMs;
  private final int requestTimeoutMs;
  private final int maxInFlight;
  private final int maxRequestSize;
  private final long metadataMaxAgeMs;
  private final boolean ignoreKeys;
  private final String clientId;
  private final int deliveryTimeoutMs;
  private final boolean idempotence;

  public ProducerConfigs(Map<String, ?> values) {
    super(CONFIG_DEF, normalize(values), false);
    this.acks = "all".equals(getString(ACKS)) ? -1 : Short.parseShort(getString(ACKS));
    this.batchSize = getInt(BATCH_SIZE);
    this.lingerMs = getLong(LINGER_MS);
    this.compression = Compression.of(getString(COMPRESSION_TYPE)).build();
    this.bufferMemory = getLong(BUFFER_MEMORY);
    this.maxBlockMs = getLong(MAX_BLOCK_MS);
    this.retries = getInt(RETRIES);
    this.retryBackoffMs = getLong(RETRY_BACKOFF_MS);
    this.requestTimeoutMs = getInt(REQUEST_TIMEOUT_MS);
    this.maxInFlight = getInt(MAX_IN_FLIGHT);
    this.maxRequestSize = getInt(MAX_REQUEST_SIZE);
    this.metadataMaxAgeMs = getLong(METADATA_MAX_AGE_MS);
    this.ignoreKeys = getBoolean(PARTITIONER_IGNORE_KEYS);
    this.clientId = getString(CLIENT_ID);
    long minDelivery = getLong(LINGER_MS) + getInt(REQUEST_TIMEOUT_MS);
    int configured = getInt(DELIVERY_TIMEOUT_MS);
    if (configured < minDelivery) {
      if (values.containsKey(DELIVERY_TIMEOUT_MS)) {
        throw new ConfigException(DELIVERY_TIMEOUT_MS, configured,
            "delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms (" + minDelivery + ")");
      }
      configured = (int) Math.min(Integer.MAX_VALUE, minDelivery);
    }
    this.deliveryTimeoutMs = configured;
    this.idempotence = idempotence(values);
  }

  /**
   * Kafka 3+'s rule: idempotence is on unless turned off, or unless a setting the user chose conflicts
   * with it and the user did not ask for it explicitly (then the conflict is an error).
   */
  private boolean idempotence(Map<String, ?> values) {
    boolean explicit = values.containsKey(ENABLE_IDEMPOTENCE);
    if (!getBoolean(ENABLE_IDEMPOTENCE)) {
      return false;
    }
    String conflict = null;
    if (acks != ProduceRequest.ACKS_ALL) {
      conflict = ACKS;
    } else if (retries == 0) {
      conflict = RETRIES;
    } else if (maxInFlight > MAX_IN_FLIGHT_FOR_IDEMPOTENCE) {
      conflict = MAX_IN_FLIGHT;
    }
    if (conflict == null) {
      return true;
    }
    if (explicit) {
      throw new ConfigException(conflict, values.get(conflict), "enable.idempotence=true needs acks=all, retries > 0"
          + " and max.in.flight.requests.per.connection <= " + MAX_IN_FLIGHT_FOR_IDEMPOTENCE
          + "; set enable.idempotence=false to use this value");
    }
    return false; // the user's explicit conflicting value wins over the default
  }

  /** Kafka users write {@code acks=1} as a number too; the declaration is a string. */
  private static Map<String, Object> normalize(Map<String, ?> values) {
    Map<String, Object> copy = new HashMap<>(values);
    Object acks = copy.get(ACKS);
    if (acks instanceof Number) {
      copy.put(ACKS, acks.toString());
    }
    return copy;
  }

  /** 0, 1 or -1 (all). */
  public short acks() {
    return acks;
  }

  public int batchSize() {
    return batchSize;
  }

  public long lingerMs() {
    return lingerMs;
  }

  public Compression compression() {
    return compression;
  }

  public long bufferMemory() {
    return bufferMemory;
  }

  public long maxBlockMs() {
    return maxBlockMs;
  }

  public int retries() {
    return retries;
  }

  public long retryBackoffMs() {
    return retryBackoffMs;
  }

  public int requestTimeoutMs() {
    return requestTimeoutMs;
  }

  public int deliveryTimeoutMs() {
    return deliveryTimeoutMs;
  }

  public int maxInFlight() {
    return maxInFlight;
  }

  public int maxRequestSize() {
    return maxRequestSize;
  }

  public long metadataMaxAgeMs() {
    return metadataMaxAgeMs;
  }

  public boolean ignoreKeys() {
    return ignoreKeys;
  }

  public String clientId() {
    return clientId;
  }

  /** Whether batches carry a producer id and sequence numbers ({@code enable.idempotence}, after Kafka's rules). */
  public boolean idempotence() {
    return idempotence;
  }
}
