package io.brook.kafka;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.message.BrokerInfo;
import io.brook.protocol.message.CreatePartitionsRequest;
import io.brook.protocol.message.DeleteRecordsRequest;
import io.brook.protocol.message.ElectLeadersRequest;
import io.brook.protocol.message.MetadataRequest;
import io.brook.protocol.message.MetadataResponse;
import io.brook.protocol.message.ListReassignmentsRequest;
import io.brook.protocol.message.ListReassignmentsResponse;
import io.brook.protocol.message.ReassignPartitionRequest;
import io.brook.protocol.message.TopicPartitionRef;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.CreatePartitionsResponse;
import org.apache.kafka.common.requests.DescribeClusterResponse;

/**
 * Kafka's partition and cluster admin APIs over Brook's admin addresses, as the client (its ACLs apply):
 * CreatePartitions ({@code brook.api.admin.create-partitions}; validate-only as the controller's dry run;
 * manual assignments, one replica list per new partition, checked by the controller), DeleteRecords (each
 * partition at its leader, {@code brook.api.broker.<leader>.delete-records}), ElectLeaders (preferred and unclean,
 * {@code brook.api.admin.elect-leaders}), DescribeCluster (the brokers with a Kafka listener and the
 * controller, from this node's metadata), AlterPartitionReassignments (each partition through
 * {@code brook.api.admin.reassign-partition}; null replicas cancel) and ListPartitionReassignments
 * ({@code brook.api.admin.list-reassignments}).
 */
final class PartitionAdminApis {
  static final long TIMEOUT_MS = 30_000;

  private PartitionAdminApis() {}

  static List<KafkaApi> all(Vertx vertx, int nodeId, PartitionLeaders leaders) {
    return List.of(
        KafkaApi.of(ApiKeys.CREATE_PARTITIONS, request -> createPartitions(vertx, request)),
        KafkaApi.of(ApiKeys.DELETE_RECORDS, request -> deleteRecords(vertx, leaders, request)),
        KafkaApi.of(ApiKeys.ELECT_LEADERS, request -> electLeaders(vertx, request)),
        KafkaApi.of(ApiKeys.DESCRIBE_CLUSTER, request -> describeCluster(vertx, nodeId, request)),
        KafkaApi.of(ApiKeys.ALTER_PARTITION_REASSIGNMENTS, request -> alterReassignments(vertx, nodeId, request)),
        KafkaApi.of(ApiKeys.LIST_PARTITION_REASSIGNMENTS, request -> listReassignments(vertx, request)));
  }


  private static Future<AbstractResponse> createPartitions(Vertx vertx, KafkaRequest request) {
    CreatePartitionsRequestData data = ((org.apache.kafka.common.requests.CreatePartitionsRequest) request.body()).data();
    CreatePartitionsResponseData response = new CreatePartitionsResponseData();
    List<Future<?>> pending = new ArrayList<>();
    for (CreatePartitionsRequestData.CreatePartitionsTopic topic : data.topics()) {
      CreatePartitionsResponseData.CreatePartitionsTopicResult out =
          new CreatePartitionsResponseData.CreatePartitionsTopicResult().setName(topic.name());
      response.results().add(out);
      // one replica list per new partition, checked by the controller as Kafka's (the count among them)
      List<List<Integer>> assignments = topic.assignments() == null ? null : topic.assignments().stream()
          .map(CreatePartitionsRequestData.CreatePartitionsAssignment::brokerIds).toList();
      pending.add(vertx.eventBus().request(Addresses.CREATE_PARTITIONS, new CreatePartitionsRequest(topic.name(),
              topic.count(), data.validateOnly(), assignments),
              request.onBehalfOfClient(data.timeoutMs() + TopicAdminApis.MARGIN_MS))
          .onSuccess(done -> out.setErrorCode(Errors.NONE.code()))
          .onFailure(failure -> out.setErrorCode(BrookErrors.errorOf(failure).code()).setErrorMessage(failure.getMessage())));
    }
    return Future.join(pending).transform(done -> Future.succeededFuture(new CreatePartitionsResponse(response)));
  }

  private static Future<AbstractResponse> deleteRecords(Vertx vertx, PartitionLeaders leaders, KafkaRequest request) {
    DeleteRecordsRequestData data = ((org.apache.kafka.common.requests.DeleteRecordsRequest) request.body()).data();
    DeleteRecordsResponseData response = new DeleteRecordsResponseData();
    List<Future<?>> pending = new ArrayList<>();
    for (DeleteRecordsRequestData.DeleteRecordsTopic topic : data.topics()) {
      DeleteRecordsResponseData.DeleteRecordsTopicResult out =
          new DeleteRecordsResponseData.DeleteRecordsTopicResult().setName(topic.name());
      response.topics().add(out);
      for (DeleteRecordsRequestData.DeleteRecordsPartition partition : topic.partitions()) {
        DeleteRecordsResponseData.DeleteRecordsPartitionResult result =
            new DeleteRecordsResponseData.DeleteRecordsPartitionResult().setPartitionIndex(partition.partitionIndex())
                .setLowWatermark(-1);
        out.partitions().add(result);
        pending.add(leaders.leader(topic.name(), partition.partitionIndex())
            .compose(leader -> vertx.eventBus().<io.brook.protocol.message.DeleteRecordsResponse>request(
                Addresses.deleteRecords(leader),
                new DeleteRecordsRequest(topic.name(), List.of(new DeleteRecordsRequest.PartitionOffset(
                    partition.partitionIndex(), partition.offset())), data.timeoutMs()),
                request.onBehalfOfClient(data.timeoutMs() + TopicAdminApis.MARGIN_MS)))
            .onSuccess(reply -> {
              io.brook.protocol.message.DeleteRecordsResponse.PartitionResult one = reply.body().results().get(0);
              result.setErrorCode(PartitionErrors.named(one.error()).code()).setLowWatermark(one.lowWatermark());
            })
            .onFailure(failure -> {
              Errors error = BrookErrors.errorOf(failure);
              if (PartitionErrors.leaderMayHaveMoved(error)) {
                leaders.forget(topic.name());
              }
              result.setErrorCode(error.code());
            }));
      }
    }
    return Future.join(pending).transform(done -> Future.succeededFuture(
        new org.apache.kafka.common.requests.DeleteRecordsResponse(response)));
  }

  private static Future<AbstractResponse> electLeaders(Vertx vertx, KafkaRequest request) {
    ElectLeadersRequestData data = ((org.apache.kafka.common.requests.ElectLeadersRequest) request.body()).data();
    ElectionType type = ElectionType.valueOf(data.electionType());
    List<String> partitions = new ArrayList<>();
    if (data.topicPartitions() != null) {
      data.topicPartitions().forEach(topic -> topic.partitions().forEach(p -> partitions.add(topic.topic() + ":" + p)));
    }
    ElectLeadersResponseData response = new ElectLeadersResponseData();
    return vertx.eventBus().<io.brook.protocol.message.ElectLeadersResponse>request(Addresses.ELECT_LEADERS,
            new ElectLeadersRequest(type == ElectionType.PREFERRED, partitions),
            request.onBehalfOfClient(data.timeoutMs() + TopicAdminApis.MARGIN_MS))
        .map(reply -> {
          Map<String, ElectLeadersResponseData.ReplicaElectionResult> byTopic = new HashMap<>();
          reply.body().results().forEach((name, error) -> {
            int colon = name.lastIndexOf(':');
            String topic = name.substring(0, colon);
            byTopic.computeIfAbsent(topic, t -> {
              ElectLeadersResponseData.ReplicaElectionResult result =
                  new ElectLeadersResponseData.ReplicaElectionResult().setTopic(t);
              response.replicaElectionResults().add(result);
              return result;
            }).partitionResult().add(new ElectLeadersResponseData.PartitionResult()
                .setPartitionId(Integer.parseInt(name.substring(colon + 1)))
                .setErrorCode(PartitionErrors.named(error).code()));
          });
          return (AbstractResponse) new org.apache.kafka.common.requests.ElectLeadersResponse(
              response.setErrorCode(Errors.NONE.code()));
        })
        .recover(failure -> Future.succeededFuture(new org.apache.kafka.common.requests.ElectLeadersResponse(
            response.setErrorCode(BrookErrors.errorOf(failure).code()))));
  }

  private static Future<AbstractResponse> describeCluster(Vertx vertx, int nodeId, KafkaRequest request) {
    return vertx.eventBus().<MetadataResponse>request(Addresses.metadata(nodeId), new MetadataRequest(List.of()),
            request.onBehalfOfClient(MetadataApi.TIMEOUT_MS))
        .map(reply -> {
          MetadataResponse metadata = reply.body();
          DescribeClusterResponseData data = new DescribeClusterResponseData().setErrorCode(Errors.NONE.code())
              .setControllerId(metadata.controllerId()).setClusterId(metadata.clusterId() == null ? ""
                  : metadata.clusterId());
          for (BrokerInfo broker : metadata.brokers()) {
            broker.kafkaEndpoint(request.listenerName()).ifPresent(endpoint -> data.brokers().add(
                new DescribeClusterResponseData.DescribeClusterBroker().setBrokerId(broker.nodeId())
                    .setHost(endpoint.host()).setPort(endpoint.port())));
          }
          return (AbstractResponse) new DescribeClusterResponse(data);
        })
        .recover(failure -> Future.succeededFuture(new DescribeClusterResponse(new DescribeClusterResponseData()
            .setErrorCode(BrookErrors.errorOf(failure).code()).setErrorMessage(failure.getMessage()))));
  }

  /**
   * Each partition's reassignment started (or, replicas null, cancelled) by the controller: answered once
   * the change is committed, while the new replicas still catch up (ListPartitionReassignments shows
   * them). Per partition: UNKNOWN_TOPIC_OR_PARTITION, INVALID_REPLICA_ASSIGNMENT, NO_REASSIGNMENT_IN_PROGRESS,
   * and REASSIGNMENT_IN_PROGRESS for a partition already moving (Brook does not replace a running
   * reassignment: cancel it first). Without ALTER on the cluster the whole request is
   * CLUSTER_AUTHORIZATION_FAILED, as Kafka. v1's allow_replication_factor_change=false refuses a new
   * replica count with INVALID_REPLICATION_FACTOR.
   */
  private static Future<AbstractResponse> alterReassignments(Vertx vertx, int nodeId, KafkaRequest request) {
    AlterPartitionReassignmentsRequestData data =
        ((org.apache.kafka.common.requests.AlterPartitionReassignmentsRequest) request.body()).data();
    long timeoutMs = data.timeoutMs() + TopicAdminApis.MARGIN_MS;
    Future<Map<String, Integer>> factors = data.allowReplicationFactorChange() ? Future.succeededFuture(Map.of())
        : replicationFactors(vertx, nodeId, data, request);
    AlterPartitionReassignmentsResponseData response = new AlterPartitionReassignmentsResponseData()
        .setErrorCode(Errors.NONE.code());
    List<Future<?>> pending = new ArrayList<>();
    for (AlterPartitionReassignmentsRequestData.ReassignableTopic topic : data.topics()) {
      var out = new AlterPartitionReassignmentsResponseData.ReassignableTopicResponse().setName(topic.name());
      response.responses().add(out);
      for (AlterPartitionReassignmentsRequestData.ReassignablePartition partition : topic.partitions()) {
        var result = new AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse()
            .setPartitionIndex(partition.partitionIndex()).setErrorCode(Errors.NONE.code()).setErrorMessage(null);
        out.partitions().add(result);
        if (partition.replicas() != null && partition.replicas().isEmpty()) { // Brook's cancel: refused, as Kafka
          result.setErrorCode(Errors.INVALID_REPLICA_ASSIGNMENT.code()).setErrorMessage("the replica list is empty "
              + "(null cancels a reassignment)");
          continue;
        }
        List<Integer> replicas = partition.replicas() == null ? List.of() : partition.replicas(); // null: cancel
        pending.add(factors.compose(rf -> {
              Integer current = rf.get(topic.name());
              if (partition.replicas() != null && current != null && current != replicas.size()) {
                return Future.failedFuture(new org.apache.kafka.common.errors.InvalidReplicationFactorException(
                    "the replication factor of " + topic.name() + " is " + current + ", not " + replicas.size()
                        + " (allow_replication_factor_change is false)"));
              }
              // this node's admin door (local): a round robin could pick a broker that cannot answer, one being
              // added to this very partition among them
              return vertx.eventBus().request(Addresses.REASSIGN_PARTITION, new ReassignPartitionRequest(topic.name(),
                  partition.partitionIndex(), replicas), request.onBehalfOfClient(timeoutMs).setLocalOnly(true));
            })
            .onFailure(failure -> {
              Errors error = BrookErrors.errorOf(failure);
              result.setErrorCode(error.code()).setErrorMessage(failure.getMessage());
              if (error == Errors.CLUSTER_AUTHORIZATION_FAILED) {
                response.setErrorCode(error.code()).setErrorMessage(failure.getMessage());
              }
            }));
      }
    }
    return Future.join(pending).transform(done -> Future.succeededFuture(
        new org.apache.kafka.common.requests.AlterPartitionReassignmentsResponse(response)));
  }

  /** The replication factor of each topic of the request, as this node's metadata has it (missing: unknown). */
  private static Future<Map<String, Integer>> replicationFactors(Vertx vertx, int nodeId,
      AlterPartitionReassignmentsRequestData data, KafkaRequest request) {
    List<String> names = data.topics().stream().map(AlterPartitionReassignmentsRequestData.ReassignableTopic::name)
        .distinct().toList();
    return vertx.eventBus().<MetadataResponse>request(Addresses.metadata(nodeId), new MetadataRequest(names),
            request.onBehalfOfClient(MetadataApi.TIMEOUT_MS))
        .map(reply -> {
          Map<String, Integer> factors = new HashMap<>();
          reply.body().topics().stream().filter(t -> t.error() == null)
              .forEach(t -> factors.put(t.name(), (int) t.replicationFactor()));
          return factors;
        });
  }

  private static Future<AbstractResponse> listReassignments(Vertx vertx, KafkaRequest request) {
    ListPartitionReassignmentsRequestData data =
        ((org.apache.kafka.common.requests.ListPartitionReassignmentsRequest) request.body()).data();
    List<TopicPartitionRef> partitions = null;
    if (data.topics() != null) {
      partitions = new ArrayList<>();
      for (ListPartitionReassignmentsRequestData.ListPartitionReassignmentsTopics topic : data.topics()) {
        for (int p : topic.partitionIndexes()) {
          partitions.add(new TopicPartitionRef(topic.name(), p));
        }
      }
    }
    return vertx.eventBus().<ListReassignmentsResponse>request(Addresses.LIST_REASSIGNMENTS,
            new ListReassignmentsRequest(partitions), request.onBehalfOfClient(TIMEOUT_MS).setLocalOnly(true))
        .map(reply -> {
          ListPartitionReassignmentsResponseData out = new ListPartitionReassignmentsResponseData()
              .setErrorCode(Errors.NONE.code()).setErrorMessage(null);
          Map<String, ListPartitionReassignmentsResponseData.OngoingTopicReassignment> topics = new LinkedHashMap<>();
          for (ListReassignmentsResponse.Reassignment r : reply.body().reassignments()) {
            topics.computeIfAbsent(r.topic(), name -> {
              var topic = new ListPartitionReassignmentsResponseData.OngoingTopicReassignment().setName(name);
              out.topics().add(topic);
              return topic;
            }).partitions().add(new ListPartitionReassignmentsResponseData.OngoingPartitionReassignment()
                .setPartitionIndex(r.partition()).setReplicas(new ArrayList<>(r.replicas()))
                .setAddingReplicas(new ArrayList<>(r.addingReplicas()))
                .setRemovingReplicas(new ArrayList<>(r.removingReplicas())));
          }
          return (AbstractResponse) new org.apache.kafka.common.requests.ListPartitionReassignmentsResponse(out);
        })
        .recover(failure -> Future.succeededFuture(new org.apache.kafka.common.requests.ListPartitionReassignmentsResponse(
            new ListPartitionReassignmentsResponseData().setErrorCode(BrookErrors.errorOf(failure).code())
                .setErrorMessage(failure.getMessage()))));
  }
}
