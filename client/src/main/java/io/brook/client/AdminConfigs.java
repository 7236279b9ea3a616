package io.brook.client;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/** Every admin client key, declared once with Kafka's name, type, default and validator. */
public final class AdminConfigs extends AbstractConfig {
  public static final String CLIENT_ID = "client.id";
  public static final String REQUEST_TIMEOUT_MS = "request.timeout.ms";
  public static final String DEFAULT_API_TIMEOUT_MS = "default.api.timeout.ms";
  public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";

  public static final ConfigDef CONFIG_DEF = new ConfigDef()
      .define(CLIENT_ID, Type.STRING, "", Importance.LOW, "A name for this admin client in logs.")
      .define(REQUEST_TIMEOUT_MS, Type.INT, 30000, Range.atLeast(1), Importance.MEDIUM,
          "Event bus timeout of one admin request; the request fails with TimeoutException after it.")
      .define(DEFAULT_API_TIMEOUT_MS, Type.INT, 60000, Range.atLeast(1), Importance.MEDIUM,
          "Upper bound of a consumer group call (list, describe, delete, offsets), retries of a coordinator that"
              + " is loading or moved included.")
      .define(RETRY_BACKOFF_MS, Type.LONG, 100L, Range.atLeast(0L), Importance.LOW,
          "Wait before retrying a consumer group call after a retriable error.");

  public AdminConfigs(Map<String, ?> values) {
    super(CONFIG_DEF, values, false);
  }

  public int requestTimeoutMs() {
    return getInt(REQUEST_TIMEOUT_MS);
  }

  public int defaultApiTimeoutMs() {
    return getInt(DEFAULT_API_TIMEOUT_MS);
  }

  public long retryBackoffMs() {
    return getLong(RETRY_BACKOFF_MS);
  }
}
