package io.brook.protocol;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/** A node's JSON config as the string map Kafka's ConfigDef parses (it parses strings for every type). */
public final class JsonConfig {
  private JsonConfig() {}

  public static Map<String, String> asStrings(JsonObject json) {
    Map<String, String> values = new HashMap<>();
    if (json != null) {
      json.forEach(e -> {
        if (e.getValue() != null) {
          values.put(e.getKey(), String.valueOf(e.getValue()));
        }
      });
    }
    return values;
  }
}
