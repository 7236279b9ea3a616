package io.brook.kafka;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.message.CreateTopicRequest;
import io.brook.protocol.message.DeleteTopicRequest;
import io.brook.protocol.message.TopicMetadata;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.DeleteTopicsRequest;
import org.apache.kafka.common.requests.DeleteTopicsResponse;

/**
 * CreateTopics and DeleteTopics, through the controller's admin API ({@code brook.api.admin.*}) as the
 * client (its ACLs apply). -1 partitions or replication factor take the broker defaults. Validate-only
 * is the controller's dry run: every check of a creation, nothing written, no topic id in the answer.
 * DeleteTopics names topics by name or (v6+) by id. Manual replica assignments (numPartitions and
 * replicationFactor -1) go to the controller, which checks them as Kafka's (INVALID_REPLICA_ASSIGNMENT) and
 * creates exactly those replicas; an assignment beside a count or a factor is {@code INVALID_REQUEST}.
 */
final class TopicAdminApis {
  static final long MARGIN_MS = 5_000;

  private TopicAdminApis() {}

  static KafkaApi createTopics(Vertx vertx) {
    return KafkaApi.of(ApiKeys.CREATE_TOPICS, request -> create(vertx, request));
  }

  static KafkaApi deleteTopics(Vertx vertx) {
    return KafkaApi.of(ApiKeys.DELETE_TOPICS, request -> delete(vertx, request));
  }


  private static Future<AbstractResponse> create(Vertx vertx, KafkaRequest request) {
    CreateTopicsRequestData data = ((CreateTopicsRequest) request.body()).data();
    CreateTopicsResponseData response = new CreateTopicsResponseData();
    List<Future<?>> pending = new ArrayList<>();
    for (CreateTopicsRequestData.CreatableTopic topic : data.topics()) {
      CreatableTopicResult out = new CreatableTopicResult().setName(topic.name()).setTopicId(Uuid.ZERO_UUID)
          .setNumPartitions(-1).setReplicationFactor((short) -1).setConfigs(null);
      response.topics().add(out);
      Map<String, String> configs = new HashMap<>();
      topic.configs().forEach(config -> configs.put(config.name(), config.value()));
      CreateTopicRequest create;
      try {
        create = new CreateTopicRequest(topic.name(), topic.numPartitions(), topic.replicationFactor(), configs,
            data.validateOnly(), assignments(topic));
      } catch (ApiException refused) {
        out.setErrorCode(Errors.forException(refused).code()).setErrorMessage(refused.getMessage());
        continue;
      }
      pending.add(vertx.eventBus().<TopicMetadata>request(Addresses.CREATE_TOPIC, create,
              request.onBehalfOfClient(data.timeoutMs() + MARGIN_MS))
          .onSuccess(reply -> {
            TopicMetadata created = reply.body();
            // the overrides it was created with (the full config, defaults included, is DescribeConfigs' answer)
            List<CreateTopicsResponseData.CreatableTopicConfigs> set = new ArrayList<>();
            configs.forEach((name, value) -> set.add(new CreateTopicsResponseData.CreatableTopicConfigs().setName(name)
                .setValue(value).setConfigSource(org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource
                    .TOPIC_CONFIG.id()).setReadOnly(false).setIsSensitive(false)));
            out.setErrorCode(Errors.NONE.code()).setNumPartitions(created.partitions().size())
                .setReplicationFactor(created.replicationFactor()).setConfigs(set)
                .setTopicId(created.topicId() == null ? Uuid.ZERO_UUID : Uuid.fromString(created.topicId()));
          })
          .onFailure(failure -> out.setErrorCode(BrookErrors.errorOf(failure).code()).setErrorMessage(failure.getMessage())));
    }
    return Future.join(pending).transform(done -> Future.succeededFuture(new CreateTopicsResponse(response)));
  }

  /**
   * A topic's manual assignment, partition to replicas (empty: none). As Kafka: not together with a partition
   * count or a replication factor (INVALID_REQUEST), one entry per partition (INVALID_REPLICA_ASSIGNMENT); the
   * controller checks the rest.
   */
  private static Map<Integer, List<Integer>> assignments(CreateTopicsRequestData.CreatableTopic topic) {
    if (topic.assignments().isEmpty()) {
      return Map.of();
    }
    if (topic.numPartitions() != -1 || topic.replicationFactor() != -1) {
      throw new InvalidRequestException("Both numPartitions or replicationFactor and replicasAssignments were set. "
          + "Both cannot be used at the same time.");
    }
    Map<Integer, List<Integer>> byPartition = new HashMap<>();
    for (CreateTopicsRequestData.CreatableReplicaAssignment assignment : topic.assignments()) {
      if (byPartition.put(assignment.partitionIndex(), assignment.brokerIds()) != null) {
        throw new InvalidReplicaAssignmentException("Found multiple manual partition assignments for partition "
            + assignment.partitionIndex());
      }
    }
    return byPartition;
  }

  private static Future<AbstractResponse> delete(Vertx vertx, KafkaRequest request) {
    DeleteTopicsRequestData data = ((DeleteTopicsRequest) request.body()).data();
    DeleteTopicsResponseData response = new DeleteTopicsResponseData();
    List<Future<?>> pending = new ArrayList<>();
    List<DeleteTopicsRequestData.DeleteTopicState> topics = new ArrayList<>(data.topics());
    data.topicNames().forEach(name -> topics.add(new DeleteTopicsRequestData.DeleteTopicState().setName(name)));
    for (DeleteTopicsRequestData.DeleteTopicState topic : topics) {
      DeletableTopicResult out = new DeletableTopicResult().setName(topic.name()).setTopicId(topic.topicId());
      response.responses().add(out);
      Future<String> name = topic.name() != null ? Future.succeededFuture(topic.name())
          : nameOf(vertx, topic.topicId(), request).onSuccess(out::setName);
      pending.add(name
          .compose(known -> vertx.eventBus().request(Addresses.DELETE_TOPIC, new DeleteTopicRequest(known),
              request.onBehalfOfClient(data.timeoutMs() + MARGIN_MS)))
          .onSuccess(reply -> out.setErrorCode(Errors.NONE.code()))
          .onFailure(failure -> out.setErrorCode(BrookErrors.errorOf(failure).code()).setErrorMessage(failure.getMessage())));
    }
    return Future.join(pending).transform(done -> Future.succeededFuture(new DeleteTopicsResponse(response)));
  }

  /**
   * The name of the topic with this id, as the client may see it (DESCRIBE): UNKNOWN_TOPIC_ID or
   * TOPIC_AUTHORIZATION_FAILED otherwise. Deleted by that name afterwards: a topic deleted and created again
   * under the same name in between would be the one deleted (Kafka's controller deletes by id).
   */
  private static Future<String> nameOf(Vertx vertx, Uuid id, KafkaRequest request) {
    return vertx.eventBus().<io.brook.protocol.message.MetadataResponse>request(Addresses.METADATA,
            new io.brook.protocol.message.MetadataRequest(List.of(), List.of(id.toString()), false),
            request.onBehalfOfClient(MetadataApi.TIMEOUT_MS).setLocalOnly(true)) // this node's image: it is up
        .compose(reply -> {
          TopicMetadata found = reply.body().topics().stream().filter(t -> id.toString().equals(t.topicId()))
              .findFirst().orElse(null);
          if (found == null || found.error() != null || found.name() == null) {
            Errors error = found == null ? Errors.UNKNOWN_TOPIC_ID : PartitionErrors.named(found.error());
            return Future.failedFuture(error.exception("topic id " + id + ": " + error.message()));
          }
          return Future.succeededFuture(found.name());
        });
  }
}
