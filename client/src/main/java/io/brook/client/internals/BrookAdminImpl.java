package io.brook.client.internals;

import io.brook.client.AdminConfigs;
import io.brook.client.BrookAdmin;
import io.brook.protocol.Addresses;
import io.brook.protocol.message.AlterConfigsRequest;
import io.brook.protocol.message.AlterConfigsResponse;
import io.brook.protocol.message.CreatePartitionsRequest;
import io.brook.protocol.message.CreateTopicRequest;
import io.brook.protocol.message.DeleteTopicRequest;
import io.brook.protocol.message.DeleteTopicResponse;
import io.brook.protocol.message.DescribeTopicRequest;
import io.brook.protocol.message.ListTopicsRequest;
import io.brook.protocol.message.ListTopicsResponse;
import io.brook.protocol.message.MetadataRequest;
import io.brook.protocol.message.MetadataResponse;
import io.brook.protocol.message.TopicDescription;
import io.brook.protocol.message.TopicListing;
import io.brook.protocol.message.TopicMetadata;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Admin requests to the cluster-wide {@code brook.api.admin.*} addresses (any broker answers), one
 * event bus request each, failures as Kafka's typed exceptions; the consumer group calls through
 * {@link GroupAdmin}. Stateless apart from the closed flag; thread-safe.
 */
public final class BrookAdminImpl implements BrookAdmin {
  private final Rpc rpc;
  private final long timeoutMs;
  private final GroupAdmin groups;
  private final RecordsDeleter recordsDeleter;
  private volatile boolean closed;

  public BrookAdminImpl(Vertx vertx, AdminConfigs config) {
    this.rpc = new Rpc(vertx);
    this.timeoutMs = config.requestTimeoutMs();
    this.groups = new GroupAdmin(vertx, rpc, config);
    this.recordsDeleter = new RecordsDeleter(vertx, rpc, config.requestTimeoutMs(), config.defaultApiTimeoutMs(),
        config.retryBackoffMs());
  }

  @Override
  public Future<TopicMetadata> createTopic(String name, int partitions, short replicationFactor,
      Map<String, String> configs) {
    return call(Addresses.CREATE_TOPIC,
        new CreateTopicRequest(name, partitions, replicationFactor, configs == null ? Map.of() : configs),
        TopicMetadata.class);
  }

  @Override
  public Future<TopicMetadata> createTopic(String name, List<List<Integer>> replicaAssignment,
      Map<String, String> configs) {
    if (replicaAssignment == null || replicaAssignment.isEmpty()) { // an empty one would read as "the defaults"
      return Future.failedFuture(new org.apache.kafka.common.errors.InvalidRequestException(
          "a replica assignment needs at least one partition"));
    }
    return call(Addresses.CREATE_TOPIC,
        CreateTopicRequest.assigned(name, replicaAssignment, configs == null ? Map.of() : configs, false),
        TopicMetadata.class);
  }

  @Override
  public Future<TopicMetadata> createPartitions(String name, int count, List<List<Integer>> newReplicas) {
    return call(Addresses.CREATE_PARTITIONS, new CreatePartitionsRequest(name, count, false, newReplicas),
        TopicMetadata.class);
  }

  @Override
  public Future<Void> deleteTopic(String name) {
    return call(Addresses.DELETE_TOPIC, new DeleteTopicRequest(name), DeleteTopicResponse.class).mapEmpty();
  }

  @Override
  public Future<List<TopicListing>> listTopics() {
    return call(Addresses.LIST_TOPICS, new ListTopicsRequest(false), ListTopicsResponse.class)
        .map(ListTopicsResponse::topics);
  }

  @Override
  public Future<TopicDescription> describeTopic(String name) {
    return call(Addresses.DESCRIBE_TOPIC, new DescribeTopicRequest(name), TopicDescription.class);
  }

  @Override
  public Future<Map<String, String>> alterConfigs(String name, Map<String, String> set, List<String> delete) {
    return call(Addresses.ALTER_CONFIGS,
        new AlterConfigsRequest(name, set == null ? Map.of() : set, delete == null ? List.of() : delete),
        AlterConfigsResponse.class).map(AlterConfigsResponse::configOverrides);
  }

  @Override
  public Future<MetadataResponse> metadata() {
    return call(Addresses.METADATA, MetadataRequest.all(), MetadataResponse.class);
  }

  @Override
  public Map<TopicPartition, Future<Long>> deleteRecords(Map<TopicPartition, Long> offsets) {
    if (closed) {
      Map<TopicPartition, Future<Long>> refused = new java.util.LinkedHashMap<>();
      offsets.keySet().forEach(tp -> refused.put(tp, Future.failedFuture(
          new IllegalStateException("The admin client has been closed"))));
      return refused;
    }
    return recordsDeleter.delete(Map.copyOf(offsets));
  }

  @Override
  public Future<Collection<GroupListing>> listConsumerGroups() {
    return open(groups::listConsumerGroups);
  }

  @Override
  public Future<Map<String, ConsumerGroupDescription>> describeConsumerGroups(Collection<String> groupIds) {
    return open(() -> groups.describeConsumerGroups(groupIds));
  }

  @Override
  public Future<Void> deleteConsumerGroups(Collection<String> groupIds) {
    return open(() -> groups.deleteConsumerGroups(groupIds));
  }

  @Override
  public Future<Map<TopicPartition, OffsetAndMetadata>> listConsumerGroupOffsets(String groupId) {
    return open(() -> groups.listConsumerGroupOffsets(groupId));
  }

  @Override
  public Future<Void> alterConsumerGroupOffsets(String groupId, Map<TopicPartition, OffsetAndMetadata> offsets) {
    return open(() -> groups.alterConsumerGroupOffsets(groupId, Map.copyOf(offsets)));
  }

  private <T> Future<T> call(String address, Object request, Class<T> type) {
    return open(() -> rpc.request(address, request, timeoutMs, type));
  }

  private <T> Future<T> open(Supplier<Future<T>> operation) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("The admin client has been closed"));
    }
    return operation.get();
  }

  @Override
  public void close() {
    closed = true;
  }
}
