package io.brook.verticles.groups;

import io.brook.groups.GroupCoordinatorConfig;
import io.brook.groups.GroupMessages;
import io.brook.metadata.BrokerRegistration;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.PartitionRegistration;
import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.GroupApi;
import io.brook.protocol.InternalTopics;
import io.brook.protocol.Messages;
import io.brook.protocol.message.DeleteGroupsRequest;
import io.brook.protocol.message.DeleteGroupsResponse;
import io.brook.protocol.message.DescribeGroupsRequest;
import io.brook.protocol.message.DescribeGroupsResponse;
import io.brook.protocol.message.FindCoordinatorRequest;
import io.brook.protocol.message.FindCoordinatorResponse;
import io.brook.protocol.message.HeartbeatRequest;
import io.brook.protocol.message.JoinGroupRequest;
import io.brook.protocol.message.LeaveGroupRequest;
import io.brook.protocol.message.ListGroupsRequest;
import io.brook.protocol.message.ListGroupsResponse;
import io.brook.protocol.message.OffsetCommitRequest;
import io.brook.protocol.message.OffsetCommitResponse;
import io.brook.protocol.message.OffsetDeleteRequest;
import io.brook.protocol.message.OffsetDeleteResponse;
import io.brook.protocol.message.OffsetFetchRequest;
import io.brook.protocol.message.OffsetFetchResponse;
import io.brook.protocol.message.SyncGroupRequest;
import io.brook.protocol.message.TopicPartitionRef;
import io.brook.security.AuthorizerConfig;
import io.brook.verticles.ClusterConsumers;
import io.brook.verticles.metadata.MetadataImages;
import io.brook.verticles.security.RequestAuthorizer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * A broker's consumer groups: it runs one {@link GroupCoordinatorVerticle} for each
 * {@code __consumer_offsets} partition this broker leads (deployed when it becomes leader, replaced
 * at a new leader epoch, undeployed when it stops leading), answers FindCoordinator from the
 * metadata (creating {@code __consumer_offsets} on first use), and serves the group APIs on this
 * broker's addresses: each request is checked (body, ACLs, partitions that exist) and handed to the
 * coordinator of its group's partition, or answered {@code NOT_COORDINATOR} when that is not here.
 */
public final class GroupCoordinatorManagerVerticle extends VerticleBase {
  private static final System.Logger LOG = System.getLogger(GroupCoordinatorManagerVerticle.class.getName());
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true).setSendTimeout(60_000);
  private static final DeliveryOptions TO_CONTROLLER = new DeliveryOptions().setSendTimeout(10_000);

  private final int nodeId;
  private final OffsetsTopic offsetsTopic;
  private final GroupCoordinatorConfig coordinatorConfig;
  private final AuthorizerConfig authorizerConfig;
  private RequestAuthorizer authorizer;
  private Supplier<MetadataImage> image;
  /** Coordinators running here, by partition: the leader epoch each serves and its deployment. */
  private final Map<Integer, Running> running = new HashMap<>();
  private boolean creatingTopic;
  /** Partitions whose growth was asked for and is not yet seen in the metadata (reassigning or done). */
  private final java.util.Set<Integer> growing = new java.util.HashSet<>();

  private record Running(int leaderEpoch, Future<String> deployment) {}

  public GroupCoordinatorManagerVerticle(int nodeId, OffsetsTopic offsetsTopic, GroupCoordinatorConfig coordinatorConfig,
      AuthorizerConfig authorizerConfig) {
    this.nodeId = nodeId;
    this.offsetsTopic = offsetsTopic;
    this.coordinatorConfig = coordinatorConfig;
    this.authorizerConfig = authorizerConfig;
  }

  @Override
  public Future<?> start() {
    io.brook.protocol.codec.BrookCodecs.registerLocal(vertx.eventBus(), CoordinatorCall.class);
    io.brook.protocol.codec.BrookCodecs.registerLocal(vertx.eventBus(), CoordinatorCall.Answer.class);
    image = MetadataImages.latest(vertx);
    authorizer = new RequestAuthorizer(authorizerConfig, image);
    List<Future<?>> registered = new ArrayList<>();
    registered.add(MetadataImages.follow(vertx, this::onImage));
    registered.add(ClusterConsumers.consumer(vertx, Addresses.FIND_COORDINATOR, this::findCoordinator).completion());
    for (GroupApi api : GroupApi.values()) {
      registered.add(ClusterConsumers.<Object>consumer(vertx, api.address(nodeId), m -> handle(api, m)).completion());
    }
    return Future.all(registered);
  }

  // ---- coordinators follow leadership ----

  private void onImage(MetadataImage next) {
    followLeadership(next);
    if (next.controllerId() == nodeId) {
      growOffsetsTopic(next);
    }
  }

  /** As the controller's broker: raise __consumer_offsets to its configured replication factor. */
  private void growOffsetsTopic(MetadataImage next) {
    growing.removeIf(p -> next.partition(OffsetsTopic.NAME, p).map(r -> r.isReassigning()).orElse(true));
    for (io.brook.protocol.message.ReassignPartitionRequest step : OffsetsTopicGrowth.plan(next,
        offsetsTopic.replicationFactor())) {
      if (growing.add(step.partition())) {
        LOG.log(System.Logger.Level.INFO, "Raising " + OffsetsTopic.NAME + "-" + step.partition() + " to replicas "
            + step.replicas() + " (offsets.topic.replication.factor " + offsetsTopic.replicationFactor() + ")");
        vertx.eventBus().request(Addresses.controller(nodeId), step, TO_CONTROLLER).onFailure(e -> {
          growing.remove(step.partition()); // the next image asks again
          LOG.log(System.Logger.Level.DEBUG, "Raising " + OffsetsTopic.NAME + "-" + step.partition() + " failed: " + e);
        });
      }
    }
  }

  private void followLeadership(MetadataImage next) {
    Map<Integer, Integer> led = new HashMap<>();
    next.topic(OffsetsTopic.NAME).ifPresent(topic -> {
      for (int p = 0; p < topic.partitionCount(); p++) {
        PartitionRegistration registration = topic.partitions().get(p);
        if (registration.leader() == nodeId) {
          led.put(p, registration.leaderEpoch());
        }
      }
    });
    running.entrySet().removeIf(entry -> {
      Integer epoch = led.get(entry.getKey());
      if (epoch != null && epoch == entry.getValue().leaderEpoch()) {
        return false;
      }
      entry.getValue().deployment().onSuccess(id -> vertx.undeploy(id));
      return true;
    });
    led.forEach((partition, epoch) -> running.computeIfAbsent(partition, p -> {
      Future<String> deployment = vertx.deployVerticle(new GroupCoordinatorVerticle(p, epoch, coordinatorConfig,
          offsetsTopic.commitTimeoutMs()));
      deployment.onFailure(e -> LOG.log(System.Logger.Level.ERROR, "The group coordinator of " + OffsetsTopic.NAME
          + "-" + p + " did not start", e));
      return new Running(epoch, deployment);
    }));
  }

  // ---- FindCoordinator ----

  private void findCoordinator(Message<Object> message) {
    try {
      FindCoordinatorRequest request = Messages.body(message, FindCoordinatorRequest.class);
      if (!FindCoordinatorRequest.GROUP.equals(request.keyType())) {
        throw new org.apache.kafka.common.errors.InvalidRequestException("Brook coordinates consumer groups only "
            + "(keyType GROUP), not " + request.keyType());
      }
      authorizer.require(message, AclOperation.DESCRIBE, ResourceType.GROUP, request.key());
      Messages.reply(message, coordinatorOf(request.key()));
    } catch (RuntimeException e) {
      BrookErrors.fail(message, e);
    }
  }

  private FindCoordinatorResponse coordinatorOf(String groupId) {
    MetadataImage now = image.get();
    var topic = now.topic(OffsetsTopic.NAME);
    if (topic.isEmpty()) {
      createOffsetsTopic(now);
      return notAvailable(OffsetsTopic.NAME + " is being created");
    }
    int partition = OffsetsTopic.partitionFor(groupId, topic.get().partitionCount());
    int leader = topic.get().partitions().get(partition).leader();
    BrokerRegistration broker = leader < 0 ? null : now.broker(leader).filter(b -> !b.fenced()).orElse(null);
    if (broker == null) {
      return notAvailable(OffsetsTopic.NAME + "-" + partition + " has no leader");
    }
    return new FindCoordinatorResponse(null, null, broker.nodeId(), broker.host(), broker.eventBusNodeId());
  }

  private static FindCoordinatorResponse notAvailable(String why) {
    return new FindCoordinatorResponse(Errors.COORDINATOR_NOT_AVAILABLE.name(), why, -1, null, null);
  }

  /** Asks the controller once at a time; a concurrent creation by another broker answers TOPIC_ALREADY_EXISTS. */
  private void createOffsetsTopic(MetadataImage now) {
    if (creatingTopic || now.controllerId() < 0) {
      return;
    }
    creatingTopic = true;
    vertx.eventBus().request(Addresses.controller(now.controllerId()), offsetsTopic.creation(now), TO_CONTROLLER)
        .onComplete(done -> {
          creatingTopic = false;
          if (done.succeeded()) {
            LOG.log(System.Logger.Level.INFO, "Created " + OffsetsTopic.NAME + " for the first consumer group");
          } else if (BrookErrors.errorOf(done.cause()) != Errors.TOPIC_ALREADY_EXISTS) {
            LOG.log(System.Logger.Level.WARNING, "Creating " + OffsetsTopic.NAME + " failed (the next group "
                + "request tries again): " + done.cause().getMessage());
          }
        });
  }

  // ---- the group APIs ----

  private void handle(GroupApi api, Message<Object> message) {
    try {
      switch (api) {
        case JOIN_GROUP -> {
          JoinGroupRequest r = Messages.body(message, JoinGroupRequest.class);
          requireGroup(message, AclOperation.READ, r.groupId());
          String host = message.headers().get(Addresses.CLIENT_HOST_HEADER);
          toCoordinator(message, r.groupId(), GroupWire.join(r, host));
        }
        case SYNC_GROUP -> {
          SyncGroupRequest r = Messages.body(message, SyncGroupRequest.class);
          requireGroup(message, AclOperation.READ, r.groupId());
          toCoordinator(message, r.groupId(), GroupWire.sync(r));
        }
        case HEARTBEAT -> {
          HeartbeatRequest r = Messages.body(message, HeartbeatRequest.class);
          requireGroup(message, AclOperation.READ, r.groupId());
          toCoordinator(message, r.groupId(), GroupWire.heartbeat(r));
        }
        case LEAVE_GROUP -> {
          LeaveGroupRequest r = Messages.body(message, LeaveGroupRequest.class);
          requireGroup(message, AclOperation.READ, r.groupId());
          toCoordinator(message, r.groupId(), GroupWire.leave(r));
        }
        case OFFSET_COMMIT -> commit(message, Messages.body(message, OffsetCommitRequest.class));
        case OFFSET_FETCH -> fetchOffsets(message, Messages.body(message, OffsetFetchRequest.class));
        case DESCRIBE_GROUPS -> describe(message, Messages.body(message, DescribeGroupsRequest.class));
        case LIST_GROUPS -> list(message, Messages.body(message, ListGroupsRequest.class));
        case DELETE_GROUPS -> delete(message, Messages.body(message, DeleteGroupsRequest.class));
        case OFFSET_DELETE -> deleteOffsets(message, Messages.body(message, OffsetDeleteRequest.class));
        default -> throw new IllegalStateException(api.name());
      }
    } catch (RuntimeException e) {
      BrookErrors.fail(message, e);
    }
  }

  private void requireGroup(Message<?> message, AclOperation operation, String groupId) {
    authorizer.require(message, operation, ResourceType.GROUP, groupId == null ? "" : groupId);
  }

  /** Partitions a client may not commit for or read the offsets of, with the error each gets; null when fine. */
  private Errors partitionError(Message<?> message, AclOperation operation, String topic, int partition) {
    if (topic == null || InternalTopics.isInternal(topic)) {
      return Errors.UNKNOWN_TOPIC_OR_PARTITION;
    }
    if (!authorizer.allowedOnTopic(message, operation, topic)) {
      return Errors.TOPIC_AUTHORIZATION_FAILED;
    }
    boolean exists = image.get().topic(topic).map(t -> partition >= 0 && partition < t.partitionCount()).orElse(false);
    return exists ? null : Errors.UNKNOWN_TOPIC_OR_PARTITION;
  }

  private void commit(Message<Object> message, OffsetCommitRequest r) {
    requireGroup(message, AclOperation.READ, r.groupId());
    List<OffsetCommitRequest.Offset> allowed = new ArrayList<>();
    List<OffsetCommitResponse.Partition> refused = new ArrayList<>();
    for (OffsetCommitRequest.Offset o : r.offsets()) {
      Errors error = o == null ? Errors.INVALID_REQUEST : partitionError(message, AclOperation.READ, o.topic(),
          o.partition());
      if (error == null) {
        allowed.add(o);
      } else if (o != null) {
        refused.add(new OffsetCommitResponse.Partition(o.topic(), o.partition(), error.name()));
      }
    }
    OffsetCommitRequest checked = new OffsetCommitRequest(r.groupId(), r.generationId(), r.memberId(),
        r.groupInstanceId(), allowed);
    toCoordinator(message, r.groupId(), GroupWire.commit(checked), answer -> {
      OffsetCommitResponse response = (OffsetCommitResponse) answer;
      List<OffsetCommitResponse.Partition> all = new ArrayList<>(response.partitions());
      all.addAll(refused);
      return new OffsetCommitResponse(all);
    });
  }

  private void fetchOffsets(Message<Object> message, OffsetFetchRequest r) {
    requireGroup(message, AclOperation.DESCRIBE, r.groupId());
    // offsets of topics the caller may not describe are left out, as Kafka does
    toCoordinator(message, r.groupId(), GroupWire.fetch(r), answer -> {
      OffsetFetchResponse response = (OffsetFetchResponse) answer;
      return new OffsetFetchResponse(response.error(), response.offsets().stream()
          .filter(o -> authorizer.allowedOnTopic(message, AclOperation.DESCRIBE, o.topic())).toList());
    });
  }

  /** As Kafka: DELETE on the group, READ on each topic (TOPIC_AUTHORIZATION_FAILED), a partition that exists. */
  private void deleteOffsets(Message<Object> message, OffsetDeleteRequest r) {
    requireGroup(message, AclOperation.DELETE, r.groupId());
    List<TopicPartitionRef> allowed = new ArrayList<>();
    List<OffsetDeleteResponse.Partition> refused = new ArrayList<>();
    for (TopicPartitionRef tp : r.partitions() == null ? List.<TopicPartitionRef>of() : r.partitions()) {
      Errors error = tp == null ? Errors.INVALID_REQUEST : partitionError(message, AclOperation.READ, tp.topic(),
          tp.partition());
      if (error == null) {
        allowed.add(tp);
      } else if (tp != null) {
        refused.add(new OffsetDeleteResponse.Partition(tp.topic(), tp.partition(), error.name()));
      }
    }
    toCoordinator(message, r.groupId(), GroupWire.deleteOffsets(new OffsetDeleteRequest(r.groupId(), allowed)), answer -> {
      OffsetDeleteResponse response = (OffsetDeleteResponse) answer;
      if (response.error() != null) {
        return response; // the group's error stands for every partition
      }
      List<OffsetDeleteResponse.Partition> all = new ArrayList<>(response.partitions());
      all.addAll(refused);
      return new OffsetDeleteResponse(null, all);
    });
  }

  private void describe(Message<Object> message, DescribeGroupsRequest r) {
    Map<String, DescribeGroupsResponse.Group> answers = new LinkedHashMap<>();
    Map<Integer, List<String>> byPartition = new HashMap<>();
    for (String groupId : GroupWire.describe(r).groupIds()) {
      if (!authorizer.allowed(message, AclOperation.DESCRIBE, ResourceType.GROUP, groupId == null ? "" : groupId)) {
        answers.put(groupId, deadGroup(groupId, Errors.GROUP_AUTHORIZATION_FAILED));
      } else {
        answers.put(groupId, null);
        routeGroup(groupId, byPartition, answers, id -> deadGroup(id, Errors.NOT_COORDINATOR));
      }
    }
    List<Future<Object>> asked = new ArrayList<>();
    byPartition.forEach((partition, groups) -> asked.add(ask(partition,
        new GroupMessages.DescribeGroupsRequest(groups))));
    Future.join(asked).onComplete(all -> {
      for (int i = 0; i < asked.size(); i++) {
        if (asked.get(i).succeeded()) {
          ((DescribeGroupsResponse) asked.get(i).result()).groups().forEach(g -> answers.put(g.groupId(), g));
        }
      }
      answers.replaceAll((id, g) -> g != null ? g : deadGroup(id, Errors.COORDINATOR_NOT_AVAILABLE));
      Messages.reply(message, new DescribeGroupsResponse(List.copyOf(answers.values())));
    });
  }

  private void delete(Message<Object> message, DeleteGroupsRequest r) {
    Map<String, String> answers = new LinkedHashMap<>();
    Map<Integer, List<String>> byPartition = new HashMap<>();
    for (String groupId : GroupWire.delete(r).groupIds()) {
      if (!authorizer.allowed(message, AclOperation.DELETE, ResourceType.GROUP, groupId == null ? "" : groupId)) {
        answers.put(groupId, Errors.GROUP_AUTHORIZATION_FAILED.name());
      } else {
        answers.put(groupId, Errors.COORDINATOR_NOT_AVAILABLE.name());
        routeGroup(groupId, byPartition, answers, id -> Errors.NOT_COORDINATOR.name());
      }
    }
    List<Future<Object>> asked = new ArrayList<>();
    byPartition.forEach((partition, groups) -> asked.add(ask(partition, new GroupMessages.DeleteGroupsRequest(groups))));
    Future.join(asked).onComplete(all -> {
      for (Future<Object> one : asked) {
        if (one.succeeded()) {
          ((DeleteGroupsResponse) one.result()).results().forEach(res -> answers.put(res.groupId(), res.error()));
        }
      }
      List<DeleteGroupsResponse.Result> results = new ArrayList<>();
      answers.forEach((id, error) -> results.add(new DeleteGroupsResponse.Result(id, error)));
      Messages.reply(message, new DeleteGroupsResponse(results));
    });
  }

  /** Adds the group to its partition's batch when coordinated here, else puts {@code elsewhere}'s answer. */
  private <T> void routeGroup(String groupId, Map<Integer, List<String>> byPartition, Map<String, T> answers,
      Function<String, T> elsewhere) {
    Integer partition = localPartitionOf(groupId);
    if (partition == null) {
      answers.put(groupId, elsewhere.apply(groupId));
    } else {
      byPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(groupId);
    }
  }

  private static DescribeGroupsResponse.Group deadGroup(String groupId, Errors error) {
    return new DescribeGroupsResponse.Group(error.name(), groupId, "Dead", "", "", List.of());
  }

  /** Every coordinator here: groups the caller may describe; an error when one of them is loading. */
  private void list(Message<Object> message, ListGroupsRequest r) {
    GroupMessages.ListGroupsRequest request = GroupWire.list(r);
    boolean wholeCluster = authorizer.allowed(message, AclOperation.DESCRIBE, ResourceType.CLUSTER,
        io.brook.metadata.Acl.CLUSTER_NAME);
    List<Future<Object>> asked = new ArrayList<>();
    running.keySet().forEach(partition -> asked.add(ask(partition, request)));
    Future.join(asked).onComplete(all -> {
      String error = null;
      List<ListGroupsResponse.Group> groups = new ArrayList<>();
      for (Future<Object> one : asked) {
        if (one.failed()) {
          error = Errors.COORDINATOR_NOT_AVAILABLE.name();
          continue;
        }
        ListGroupsResponse response = (ListGroupsResponse) one.result();
        if (response.error() != null) {
          error = response.error();
        }
        response.groups().stream().filter(g -> wholeCluster
                || authorizer.allowed(message, AclOperation.DESCRIBE, ResourceType.GROUP, g.groupId()))
            .forEach(groups::add);
      }
      groups.sort(java.util.Comparator.comparing(ListGroupsResponse.Group::groupId));
      Messages.reply(message, new ListGroupsResponse(error, groups));
    });
  }

  // ---- to the coordinators ----

  /** The partition of the group when its coordinator runs here, else null. */
  private Integer localPartitionOf(String groupId) {
    if (groupId == null) {
      return null;
    }
    int partitions = image.get().topic(OffsetsTopic.NAME).map(t -> t.partitionCount()).orElse(0);
    if (partitions == 0) {
      return null;
    }
    int partition = OffsetsTopic.partitionFor(groupId, partitions);
    return running.containsKey(partition) ? partition : null;
  }

  private void toCoordinator(Message<Object> message, String groupId, Object request) {
    toCoordinator(message, groupId, request, Function.identity());
  }

  private void toCoordinator(Message<Object> message, String groupId, Object request, Function<Object, Object> finish) {
    if (groupId == null) {
      throw new InvalidGroupIdException("a group request without a group id");
    }
    Integer partition = localPartitionOf(groupId);
    if (partition == null) {
      throw new NotCoordinatorException("Broker " + nodeId + " is not the coordinator of group '" + groupId
          + "': ask FindCoordinator again");
    }
    ask(partition, request).onComplete(done -> {
      if (done.succeeded()) {
        Messages.reply(message, finish.apply(done.result()));
      } else {
        BrookErrors.fail(message, done.cause());
      }
    });
  }

  /** The coordinator's answer in the wire's form; a coordinator that is gone is NOT_COORDINATOR. */
  private Future<Object> ask(int partition, Object request) {
    return vertx.eventBus().<CoordinatorCall.Answer>request(Addresses.localGroupCoordinator(partition),
            new CoordinatorCall(request), LOCAL)
        .map(reply -> GroupWire.response(reply.body().response()))
        .recover(failure -> Future.failedFuture(failure instanceof ReplyException reply
            && reply.failureType() == ReplyFailure.NO_HANDLERS
            ? new NotCoordinatorException("The coordinator of " + OffsetsTopic.NAME + "-" + partition
                + " stopped on broker " + nodeId + ": ask FindCoordinator again") : failure));
  }
}
