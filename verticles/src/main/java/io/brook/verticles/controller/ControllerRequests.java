package io.brook.verticles.controller;

import io.brook.metadata.ControllerResult;
import io.brook.metadata.ControllerState;
import io.brook.metadata.CreateTopicReply;
import io.brook.metadata.Partition;
import io.brook.metadata.HeartbeatReply;
import io.brook.metadata.PartitionRegistration;
import io.brook.metadata.AclDeletion;
import io.brook.metadata.MetadataRecord;
import io.brook.metadata.UserScramCredential;
import io.brook.protocol.message.AclEntry;
import io.brook.protocol.message.AclFilter;
import io.brook.protocol.message.AlterConfigsRequest;
import io.brook.protocol.message.AlterConfigsResponse;
import io.brook.protocol.message.AlterPartitionRequest;
import io.brook.protocol.message.AlterPartitionResponse;
import io.brook.protocol.message.BrokerHeartbeatRequest;
import io.brook.protocol.message.BrokerHeartbeatResponse;
import io.brook.metadata.BrokerRegistration;
import io.brook.protocol.message.BrokerRegistrationRequest;
import io.brook.protocol.message.BrokerRegistrationResponse;
import io.brook.protocol.message.CreatePartitionsRequest;
import io.brook.protocol.message.CreateTopicRequest;
import io.brook.protocol.message.DeleteTopicRequest;
import io.brook.protocol.message.DeleteTopicResponse;
import io.brook.protocol.message.DescribeClusterRequest;
import io.brook.protocol.message.ElectLeadersRequest;
import io.brook.protocol.message.ElectLeadersResponse;
import io.brook.protocol.message.CreateAclsRequest;
import io.brook.protocol.message.CreateAclsResponse;
import io.brook.protocol.message.DeleteAclsRequest;
import io.brook.protocol.message.DeleteAclsResponse;
import io.brook.protocol.message.DeleteUserRequest;
import io.brook.protocol.message.DeleteUserResponse;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.ReassignPartitionRequest;
import io.brook.protocol.message.TopicMetadata;
import io.brook.protocol.message.UpsertUserRequest;
import io.brook.protocol.message.UpsertUserResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.DuplicateResourceException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * What the controller does with each request it serves: the {@link ControllerState} call, and how
 * its response becomes the wire answer once the records are committed (the answer may read the
 * state after replay, as a created topic's placement does). Stateless over the given state.
 */
final class ControllerRequests {
  private ControllerRequests() {}

  /** A request's records, and its answer computed after they are committed and replayed. */
  record Planned(ControllerResult<?> result, Function<Object, Object> answer) {}

  static Planned plan(Object request, ControllerState state, long controllerEpoch, long nowMs) {
    if (request instanceof BrokerRegistrationRequest r) {
      // the directory it was on before, if another: the broker names it when it reports offline replicas
      String previousLogDir = state.image().broker(r.nodeId())
          .filter(before -> !before.directoryId().isEmpty() && !before.directoryId().equals(r.directoryId()))
          .map(BrokerRegistration::logDir).orElse("");
      return new Planned(state.registerBroker(r.nodeId(), r.host(), r.httpPort(), r.bridgePort(), r.eventBusNodeId(),
          r.directoryId(), r.logDir(), r.kafkaHost(), r.kafkaPort(), r.kafkaListeners(), nowMs),
          epoch -> new BrokerRegistrationResponse((Long) epoch, controllerEpoch, previousLogDir));
    }
    if (request instanceof BrokerHeartbeatRequest r) {
      return new Planned(state.brokerHeartbeat(r.nodeId(), r.brokerEpoch(), r.metadataOffset(), nowMs),
          reply -> new BrokerHeartbeatResponse(((HeartbeatReply) reply).fenced(), ((HeartbeatReply) reply).shouldReRegister(),
              controllerEpoch));
    }
    if (request instanceof AlterPartitionRequest r) {
      return new Planned(state.alterPartition(r.topic(), r.partition(), r.leaderId(), r.leaderEpoch(), r.partitionEpoch(),
          r.newIsr()), committed -> {
            PartitionRegistration p = (PartitionRegistration) committed;
            return new AlterPartitionResponse(p.leader(), p.leaderEpoch(), p.partitionEpoch(), p.isr());
          });
    }
    if (request instanceof CreateTopicRequest r) {
      ControllerResult<CreateTopicReply> result = state.createTopic(r.name(), r.partitions(), r.replicationFactor(),
          r.configs(), r.assignments(), nowMs);
      if (r.validateOnly()) { // every check passed: answer what would be created, write nothing
        return new Planned(ControllerResult.empty(result.response()), none -> validatedTopic(r.name(), result));
      }
      return new Planned(result, created -> WireViews.topic(state.image().topic(r.name()).orElseThrow(), state.image()));
    }
    if (request instanceof DeleteTopicRequest r) {
      return new Planned(state.deleteTopic(r.name()), deleted -> new DeleteTopicResponse(r.name()));
    }
    if (request instanceof AlterConfigsRequest r) {
      return new Planned(state.alterConfigs(r.name(), r.set(), r.delete()),
          configs -> new AlterConfigsResponse(r.name(), new TreeMap<>(castMap(configs))));
    }
    if (request instanceof CreatePartitionsRequest r) {
      ControllerResult<Integer> result = state.createPartitions(r.name(), r.count(), r.assignments());
      return new Planned(r.validateOnly() ? ControllerResult.empty(result.response()) : result,
          count -> WireViews.topic(state.image().topic(r.name()).orElseThrow(), state.image()));
    }
    if (request instanceof ElectLeadersRequest r) {
      ElectionType type = r.preferred() ? ElectionType.PREFERRED : ElectionType.UNCLEAN;
      return new Planned(state.electLeaders(type, partitions(r.partitions())), results -> electionAnswer(results));
    }
    if (request instanceof ReassignPartitionRequest r) {
      ControllerResult<PartitionRegistration> result = r.replicas() == null || r.replicas().isEmpty()
          ? state.cancelReassignment(r.topic(), r.partition())
          : state.reassignPartitions(r.topic(), r.partition(), r.replicas());
      return new Planned(result, p -> WireViews.partition(r.partition(), (PartitionRegistration) p, state.image()));
    }
    if (request instanceof UpsertUserRequest r) {
      return new Planned(upsertUser(r, state), none -> new UpsertUserResponse(r.name(), r.mechanism(), r.iterations()));
    }
    if (request instanceof DeleteUserRequest r) {
      return deleteUser(r, state);
    }
    if (request instanceof CreateAclsRequest r) {
      List<AclEntry> entries = r.acls();
      return new Planned(state.createAcls(entries.stream().map(AclEntry::toBinding).toList()), results -> {
        List<ApiError> errors = castList(results);
        List<CreateAclsResponse.Result> answer = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
          answer.add(new CreateAclsResponse.Result(entries.get(i), errors.get(i).error().name(), errors.get(i).message()));
        }
        return new CreateAclsResponse(answer);
      });
    }
    if (request instanceof DeleteAclsRequest r) {
      return new Planned(state.deleteAcls(r.filters().stream().map(AclFilter::toFilter).toList()),
          results -> new DeleteAclsResponse(ControllerRequests.<AclDeletion>castList(results).stream()
              .map(d -> new DeleteAclsResponse.Result(d.error().error().name(), d.error().message(),
                  d.deleted().stream().map(acl -> AclEntry.of(acl.toBinding())).toList()))
              .toList()));
    }
    if (request instanceof io.brook.protocol.message.AllocateProducerIdsRequest r) {
      return new Planned(state.allocateProducerIds(r.nodeId(), r.size()), block -> {
        io.brook.metadata.ProducerIds ids = (io.brook.metadata.ProducerIds) block;
        return new io.brook.protocol.message.AllocateProducerIdsResponse(ids.firstProducerId(), ids.size());
      });
    }
    if (request instanceof DescribeClusterRequest) {
      return new Planned(new ControllerResult<>(List.of(), null),
          none -> WireViews.cluster(state.describeCluster(nowMs), state.image()));
    }
    throw new InvalidRequestException("The controller does not serve " + request);
  }

  /** A validate-only creation's answer: no topic id, each planned partition's replicas, no leader yet. */
  private static TopicMetadata validatedTopic(String name, ControllerResult<CreateTopicReply> planned) {
    List<PartitionMetadata> partitions = planned.records().stream().filter(Partition.class::isInstance)
        .map(Partition.class::cast).map(p -> new PartitionMetadata(p.partition(), -1, -1, p.replicas(), List.of()))
        .toList();
    return new TopicMetadata(name, null, (short) planned.response().replicationFactor(), partitions, null);
  }

  /** Kafka's upsert, with the create-only / update-only checks of {@link UpsertUserRequest.Mode}. */
  private static ControllerResult<Void> upsertUser(UpsertUserRequest r, ControllerState state) {
    Map<ScramMechanism, UserScramCredential> existing = state.image().scram().credentials(r.name());
    ScramMechanism mechanism = r.mechanism() == null ? null : ScramMechanism.forMechanismName(r.mechanism());
    if (r.mode() == UpsertUserRequest.Mode.CREATE && mechanism != null && existing.containsKey(mechanism)) {
      throw new DuplicateResourceException("User " + r.name() + " already has a " + mechanism.mechanismName()
          + " credential (change it with passwd)");
    }
    if (r.mode() == UpsertUserRequest.Mode.UPDATE && existing.isEmpty()) {
      throw new ResourceNotFoundException("No user " + r.name());
    }
    return state.upsertScramCredential(r.name(), r.mechanism(), base64(r.salt(), "salt"), base64(r.storedKey(), "storedKey"),
        base64(r.serverKey(), "serverKey"), r.iterations());
  }

  private static byte[] base64(String text, String field) {
    try {
      return java.util.Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("'" + field + "' must be standard base64: " + e.getMessage());
    }
  }

  /** One mechanism's credential, or (no mechanism named) every one the user has, in one commit. */
  private static Planned deleteUser(DeleteUserRequest r, ControllerState state) {
    if (!r.mechanism().isEmpty()) {
      return new Planned(state.deleteScramCredential(r.name(), r.mechanism()),
          none -> new DeleteUserResponse(r.name(), List.of(r.mechanism())));
    }
    List<MetadataRecord> records = new ArrayList<>();
    List<String> deleted = new ArrayList<>();
    for (ScramMechanism mechanism : state.image().scram().credentials(r.name()).keySet()) {
      records.addAll(state.deleteScramCredential(r.name(), mechanism.mechanismName()).records());
      deleted.add(mechanism.mechanismName());
    }
    if (records.isEmpty()) {
      throw new ResourceNotFoundException("No user " + r.name());
    }
    return new Planned(ControllerResult.of(records, null), none -> new DeleteUserResponse(r.name(), deleted));
  }

  /** "topic:partition" strings; null for all. */
  private static List<TopicPartition> partitions(List<String> names) {
    if (names == null || names.isEmpty()) {
      return null;
    }
    List<TopicPartition> partitions = new ArrayList<>();
    for (String name : names) {
      int colon = name.lastIndexOf(':');
      if (colon <= 0) {
        throw new InvalidRequestException("partitions are given as topic:partition, not '" + name + "'");
      }
      try {
        partitions.add(new TopicPartition(name.substring(0, colon), Integer.parseInt(name.substring(colon + 1))));
      } catch (NumberFormatException e) {
        throw new InvalidRequestException("partitions are given as topic:partition, not '" + name + "'");
      }
    }
    return partitions;
  }

  @SuppressWarnings("unchecked")
  private static ElectLeadersResponse electionAnswer(Object results) {
    Map<String, String> answer = new TreeMap<>();
    ((Map<TopicPartition, Errors>) results).forEach((tp, error) -> answer.put(tp.topic() + ":" + tp.partition(), error.name()));
    return new ElectLeadersResponse(answer);
  }

  @SuppressWarnings("unchecked")
  private static <T> List<T> castList(Object list) {
    return (List<T>) list;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> castMap(Object map) {
    return (Map<String, String>) map;
  }
}
