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

  public static final ConfigDef CONFIG_DEF = new ConfigDef()
      .define(CLIENT_ID, Type.STRING, "", Importance.LOW, "A name for this admin client in logs.")
      .define(REQUEST_TIMEOUT_MS, Type.INT, 30000, Range.atLeast(1), Importance.MEDIUM,
          "Event bus timeout of one admin request; the request fails with TimeoutException after it.");

  public AdminConfigs(Map<String, ?> values) {
    super(CONFIG_DEF, values, false);
  }

  public int requestTimeoutMs() {
    return getInt(REQUEST_TIMEOUT_MS);
  }
}
