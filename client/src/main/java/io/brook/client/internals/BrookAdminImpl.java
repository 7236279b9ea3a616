package io.brook.client.internals;

import io.brook.client.AdminConfigs;
import io.brook.client.BrookAdmin;
import io.brook.protocol.Addresses;
import io.brook.protocol.message.AlterConfigsRequest;
import io.brook.protocol.message.AlterConfigsResponse;
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
import java.util.List;
import java.util.Map;

/**
 * Admin requests to the cluster-wide {@code brook.api.admin.*} addresses (any broker answers), one
 * event bus request each, failures as Kafka's typed exceptions. Stateless apart from the closed
 * flag; thread-safe.
 */
public final class BrookAdminImpl implements BrookAdmin {
  private final Rpc rpc;
  private final long timeoutMs;
  private volatile boolean closed;

  public BrookAdminImpl(Vertx vertx, AdminConfigs config) {
    this.rpc = new Rpc(vertx);
    this.timeoutMs = config.requestTimeoutMs();
  }

  @Override
  public Future<TopicMetadata> createTopic(String name, int partitions, short replicationFactor,
      Map<String, String> configs) {
    return call(Addresses.CREATE_TOPIC,
        new CreateTopicRequest(name, partitions, replicationFactor, configs == null ? Map.of() : configs),
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

  private <T> Future<T> call(String address, Object request, Class<T> type) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("The admin client has been closed"));
    }
    return rpc.request(address, request, timeoutMs, type);
  }

  @Override
  public void close() {
    closed = true;
  }
}
