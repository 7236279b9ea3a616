package io.brook.verticles.admin;

import io.brook.protocol.message.CreateTopicRequest;
import io.brook.storage.LogConfig;
import io.brook.verticles.BrokerConfig;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.internals.Topic;

/**
 * What makes a topic request valid, with Kafka's errors: names follow Kafka's rules
 * ({@code [a-zA-Z0-9._-]}, at most 249 characters, not {@code .} or {@code ..}); partitions and
 * replication factor within bounds (0 or -1 take the broker default); configs known and in range.
 */
final class TopicRules {
  private final BrokerConfig config;

  TopicRules(BrokerConfig config) {
    this.config = config;
  }

  /** The topic to create, defaults filled in. */
  TopicRecord newTopic(CreateTopicRequest request, int liveBrokers) {
    String name = throwIfInvalidName(request.name());
    int partitions = request.partitions() == 0 || request.partitions() == -1
        ? config.numPartitions() : request.partitions();
    if (partitions < 1 || partitions > config.maxPartitionsPerTopic()) {
      throw new InvalidPartitionsException("Number of partitions must be between 1 and "
          + config.maxPartitionsPerTopic() + ", was " + request.partitions());
    }
    short replicationFactor = request.replicationFactor() == 0 || request.replicationFactor() == -1
        ? config.defaultReplicationFactor() : request.replicationFactor();
    if (replicationFactor < 1) {
      throw new InvalidReplicationFactorException("Replication factor must be at least 1, was " + replicationFactor);
    }
    if (replicationFactor > liveBrokers) {
      throw new InvalidReplicationFactorException("Replication factor " + replicationFactor
          + " is larger than the " + liveBrokers + " available broker(s)");
    }
    Map<String, String> configs = request.configs() == null ? Map.of() : request.configs();
    logConfig(configs);
    return new TopicRecord(name, partitions, replicationFactor, configs);
  }

  static String throwIfInvalidName(String name) {
    if (name == null) {
      throw new InvalidRequestException("topic name is missing");
    }
    Topic.validate(name); // InvalidTopicException with Kafka's message
    return name;
  }

  /** The effective log config of a topic with these overrides; INVALID_CONFIG if they are not valid. */
  LogConfig logConfig(Map<String, String> overrides) {
    overrides.forEach((key, value) -> {
      if (key == null || value == null) {
        throw new InvalidConfigurationException("Config '" + key + "' needs a value");
      }
    });
    try {
      return config.topicDefaults().withOverrides(overrides);
    } catch (ConfigException e) {
      throw new InvalidConfigurationException(e.getMessage());
    }
  }
}
