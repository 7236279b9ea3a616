package io.brook.server;

import io.brook.cluster.ClusterConfig;
import io.brook.groups.GroupCoordinatorConfig;
import io.brook.kafka.KafkaListenerConfig;
import io.brook.metadata.ControllerConfig;
import io.brook.quorum.QuorumConfig;
import io.brook.replication.ReplicationConfig;
import io.brook.security.AuthenticationConfig;
import io.brook.security.AuthorizerConfig;
import io.brook.verticles.BrokerConfig;
import io.brook.verticles.groups.OffsetsTopic;
import io.brook.web.WebConsoleConfig;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;

/** The declarations of every key a node's one flat config may hold, one ConfigDef per module. */
final class NodeConfigs {
  static final List<ConfigDef> DEFS = List.of(BrokerConfig.CONFIG_DEF, ControllerConfig.CONFIG_DEF,
      ReplicationConfig.CONFIG_DEF, QuorumConfig.CONFIG_DEF, ClusterConfig.CONFIG_DEF, WebConsoleConfig.CONFIG_DEF,
      AuthorizerConfig.CONFIG_DEF, AuthenticationConfig.CONFIG_DEF, GroupCoordinatorConfig.CONFIG_DEF,
      OffsetsTopic.CONFIG_DEF, KafkaListenerConfig.CONFIG_DEF);

  private NodeConfigs() {}

  /**
   * Parses every declared key: a bad value fails here, before the node joins its cluster, with
   * Kafka's one-line {@code ConfigException} ("Invalid value abc for configuration log.retention.ms:
   * Not a number of type LONG"), rather than after a cluster join and a metadata catch-up.
   */
  static void validate(Map<String, String> config) {
    for (ConfigDef def : DEFS) {
      Map<String, String> own = new HashMap<>();
      config.forEach((key, value) -> {
        if (def.names().contains(key)) {
          own.put(key, value);
        }
      });
      def.parse(own);
    }
  }

  /** The keys no module declares, sorted (a Kafka user's log.retention.hours would be silently ignored). */
  static List<String> unknownKeys(Set<String> keys) {
    Set<String> known = new HashSet<>();
    DEFS.forEach(def -> known.addAll(def.names()));
    return keys.stream().filter(key -> !known.contains(key)).sorted().toList();
  }
}
