package io.brook.kafka;

import io.brook.protocol.Addresses;
import io.brook.protocol.message.BrokerInfo;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.TopicMetadata;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBroker;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;

/**
 * Metadata, from this node's metadata image ({@code brook.api.broker.<id>.metadata}, the event bus API
 * every Brook client uses): the unfenced brokers that have a Kafka listener, with the host and port it
 * advertises, the controller, and the topics asked for (internal topics are never listed) with each
 * partition's leader, leader epoch, replicas, ISR and offline replicas, and the topic ids.
 *
 * <p>Topics may be named by id (v10+; an unknown one is {@code UNKNOWN_TOPIC_ID}); a missing topic is
 * created when the request allows it and the broker's {@code auto.create.topics.enable} is true (the
 * node's metadata API decides, with the client's ACLs). Not yet: authorized operations.
 */
final class MetadataApi implements KafkaApi {
  static final long TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final int nodeId;

  MetadataApi(Vertx vertx, int nodeId) {
    this.vertx = vertx;
    this.nodeId = nodeId;
  }

  @Override
  public ApiKeys key() {
    return ApiKeys.METADATA;
  }


  @Override
  public Future<AbstractResponse> handle(KafkaRequest request) {
    MetadataRequest body = (MetadataRequest) request.body();
    boolean all = body.isAllTopics();
    // v10+ may name a topic by id, its name then null or "" (Kafka's Admin leaves it ""): the id counts, as in
    // Kafka; an id Brook does not know comes back UNKNOWN_TOPIC_ID
    List<String> names = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    if (!all) {
      for (MetadataRequestData.MetadataRequestTopic topic : body.data().topics()) {
        if (topic.topicId() != null && !Uuid.ZERO_UUID.equals(topic.topicId())) {
          ids.add(topic.topicId().toString());
        } else if (topic.name() != null) {
          names.add(topic.name());
        }
      }
    }
    // Brook's request for no topic at all asks for every one: ask for every one and list none
    boolean listTopics = all || !names.isEmpty() || !ids.isEmpty();
    io.brook.protocol.message.MetadataRequest brook = new io.brook.protocol.message.MetadataRequest(names, ids,
        !all && body.allowAutoTopicCreation());
    return vertx.eventBus().<io.brook.protocol.message.MetadataResponse>request(Addresses.metadata(nodeId), brook,
            request.onBehalfOfClient(TIMEOUT_MS))
        .map(reply -> response(reply.body(), listTopics, request.version(), request.listenerName()));
  }

  /** The brokers as the listener the client came through reaches them (a broker without it is left out). */
  private static AbstractResponse response(io.brook.protocol.message.MetadataResponse brook, boolean listTopics,
      short version, String listener) {
    MetadataResponseData data = new MetadataResponseData().setControllerId(brook.controllerId())
        .setClusterId(brook.clusterId());
    for (BrokerInfo broker : brook.brokers()) {
      broker.kafkaEndpoint(listener).ifPresent(endpoint -> data.brokers().add(new MetadataResponseBroker()
          .setNodeId(broker.nodeId()).setHost(endpoint.host()).setPort(endpoint.port())));
    }
    if (listTopics) {
      for (TopicMetadata topic : brook.topics()) {
        data.topics().add(topic(topic));
      }
    }
    return new MetadataResponse(data, version);
  }

  private static MetadataResponseTopic topic(TopicMetadata topic) {
    MetadataResponseTopic out = new MetadataResponseTopic().setName(topic.name())
        .setTopicId(topic.topicId() == null ? Uuid.ZERO_UUID : Uuid.fromString(topic.topicId()))
        .setErrorCode(PartitionErrors.named(topic.error()).code()).setIsInternal(false);
    for (PartitionMetadata partition : topic.partitions()) {
      out.partitions().add(new MetadataResponsePartition().setPartitionIndex(partition.partition())
          .setErrorCode((partition.leader() < 0 ? Errors.LEADER_NOT_AVAILABLE : Errors.NONE).code())
          .setLeaderId(partition.leader()).setLeaderEpoch(partition.leaderEpoch())
          .setReplicaNodes(new ArrayList<>(partition.replicas())).setIsrNodes(new ArrayList<>(partition.isr()))
          .setOfflineReplicas(new ArrayList<>(partition.offlineReplicas())));
    }
    return out;
  }
}
