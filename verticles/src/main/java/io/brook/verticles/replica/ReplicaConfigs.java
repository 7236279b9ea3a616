package io.brook.verticles.replica;

import io.brook.metadata.TopicConfigRules;
import io.brook.metadata.TopicImage;
import io.brook.replication.ReplicationConfig;
import io.brook.storage.LogConfig;
import io.brook.verticles.BrokerConfig;
import java.util.HashMap;
import java.util.Map;

/**
 * The effective configs of a hosted replica: the broker's defaults with the topic's overrides laid
 * over them, split between storage ({@link LogConfig}) and replication ({@link ReplicationConfig},
 * where the topic may override {@code min.insync.replicas}). Immutable.
 */
public final class ReplicaConfigs {
  private final BrokerConfig broker;
  private final Map<String, Object> brokerReplication;

  public ReplicaConfigs(BrokerConfig broker, Map<String, ?> nodeConfig) {
    this.broker = broker;
    this.brokerReplication = new HashMap<>();
    nodeConfig.forEach((key, value) -> {
      if (ReplicationConfig.CONFIG_DEF.names().contains(key)) {
        brokerReplication.put(key, value);
      }
    });
  }

  public LogConfig log(TopicImage topic) {
    Map<String, String> logKeys = new HashMap<>();
    topic.configs().forEach((key, value) -> {
      if (LogConfig.CONFIG_DEF.names().contains(key)) {
        logKeys.put(key, value);
      }
    });
    return broker.topicDefaults().withOverrides(logKeys);
  }

  public ReplicationConfig replication(TopicImage topic) {
    Map<String, Object> values = new HashMap<>(brokerReplication);
    String minInsync = topic.configs().get(TopicConfigRules.MIN_INSYNC_REPLICAS);
    if (minInsync != null) {
      values.put(ReplicationConfig.MIN_INSYNC_REPLICAS_CONFIG, minInsync);
    }
    return ReplicationConfig.fromMap(values);
  }

  public int replicaFetchMaxBytes() {
    return broker.replicaFetchMaxBytes();
  }

  public int replicaFetchWaitMaxMs() {
    return broker.replicaFetchWaitMaxMs();
  }
}
