package io.brook.verticles.admin;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/** A topic as the broker stores it: its shape and its config overrides. Immutable. */
public record TopicRecord(String name, int partitions, short replicationFactor, Map<String, String> configs) {

  public TopicRecord {
    configs = Map.copyOf(configs);
  }

  public TopicRecord withConfigs(Map<String, String> newConfigs) {
    return new TopicRecord(name, partitions, replicationFactor, newConfigs);
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("name", name)
        .put("partitions", partitions)
        .put("replicationFactor", replicationFactor)
        .put("configs", new JsonObject(new TreeMap<>(configs)));
  }

  static TopicRecord fromJson(JsonObject json) {
    Map<String, String> configs = new TreeMap<>();
    json.getJsonObject("configs", new JsonObject()).forEach(e -> configs.put(e.getKey(), String.valueOf(e.getValue())));
    return new TopicRecord(json.getString("name"), json.getInteger("partitions"),
        json.getInteger("replicationFactor").shortValue(), configs);
  }
}
