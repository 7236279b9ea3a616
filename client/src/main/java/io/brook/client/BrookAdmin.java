package io.brook.client;

import io.brook.protocol.message.MetadataResponse;
import io.brook.protocol.message.TopicDescription;
import io.brook.protocol.message.TopicListing;
import io.brook.protocol.message.TopicMetadata;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * Topic administration over the clustered event bus ({@code brook.api.admin.*}). Failures are
 * Kafka's exception types ({@code TopicExistsException}, {@code InvalidTopicException},
 * {@code UnknownTopicOrPartitionException}, {@code InvalidConfigurationException}, ...).
 * Thread-safe; futures complete on the admin's Vert.x context.
 */
public interface BrookAdmin extends AutoCloseable {

  Future<TopicMetadata> createTopic(String name, int partitions, short replicationFactor, Map<String, String> configs);

  Future<Void> deleteTopic(String name);

  Future<List<TopicListing>> listTopics();

  Future<TopicDescription> describeTopic(String name);

  /** Sets and removes topic config overrides; answers the overrides after the change. */
  Future<Map<String, String>> alterConfigs(String name, Map<String, String> set, List<String> delete);

  /** Brokers and every topic's partition leaders. */
  Future<MetadataResponse> metadata();

  @Override
  void close();
}
