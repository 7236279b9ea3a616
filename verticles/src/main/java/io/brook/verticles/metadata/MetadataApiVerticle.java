package io.brook.verticles.metadata;

import io.brook.metadata.Acl;
import io.brook.metadata.BrokerRegistration;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.PartitionRegistration;
import io.brook.metadata.ScramImage;
import io.brook.metadata.TopicImage;
import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.InternalTopics;
import io.brook.protocol.Messages;
import io.brook.protocol.message.AclEntry;
import io.brook.protocol.message.AlterConfigsRequest;
import io.brook.protocol.message.BrokerDescription;
import io.brook.protocol.message.BrokerInfo;
import io.brook.protocol.message.ClusterDescription;
import io.brook.protocol.message.CreateAclsRequest;
import io.brook.protocol.message.CreatePartitionsRequest;
import io.brook.protocol.message.CreateTopicRequest;
import io.brook.protocol.message.DeleteAclsRequest;
import io.brook.protocol.message.DeleteTopicRequest;
import io.brook.protocol.message.DeleteUserRequest;
import io.brook.protocol.message.DescribeAclsRequest;
import io.brook.protocol.message.DescribeAclsResponse;
import io.brook.protocol.message.DescribeClusterRequest;
import io.brook.protocol.message.DescribePartitionRequest;
import io.brook.protocol.message.DescribeTopicRequest;
import io.brook.protocol.message.DescribeUsersRequest;
import io.brook.protocol.message.DescribeUsersResponse;
import io.brook.protocol.message.ElectLeadersRequest;
import io.brook.protocol.message.ListTopicsRequest;
import io.brook.protocol.message.ListTopicsResponse;
import io.brook.protocol.message.MetadataRequest;
import io.brook.protocol.message.MetadataResponse;
import io.brook.protocol.message.PartitionDescription;
import io.brook.protocol.message.QuorumDescription;
import io.brook.protocol.message.ReassignPartitionRequest;
import io.brook.protocol.message.TopicDescription;
import io.brook.protocol.message.TopicListing;
import io.brook.protocol.message.TopicMetadata;
import io.brook.protocol.message.UnregisterBrokerRequest;
import io.brook.protocol.message.UpsertUserRequest;
import io.brook.security.AuthorizerConfig;
import io.brook.storage.LogConfig;
import io.brook.verticles.BrokerConfig;
import io.brook.verticles.ClusterConsumers;
import io.brook.verticles.controller.WireViews;
import io.brook.verticles.quorum.QuorumRequests;
import io.brook.verticles.quorum.QuorumRequests.QuorumState;
import io.brook.verticles.replica.ReplicaManagerVerticle;
import io.brook.verticles.security.RequestAuthorizer;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.LeaderNotAvailableException;
import org.apache.kafka.common.errors.NotControllerException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Every broker's client-facing metadata and admin door ({@code brook.api.metadata},
 * {@code brook.api.admin.*}): metadata, topic lists and descriptions come from this broker's
 * committed metadata image; changes go to the active controller (the metadata quorum's leader),
 * retried while a controller is being elected, and are answered once this broker's image shows them.
 *
 * <p>A broker answers from its image only once, in this run, the image has reached the committed
 * offset it learned from a quorum leader: a broker restarted with a stale (or empty) metadata log
 * answers {@code LEADER_NOT_AVAILABLE} ("NOT_READY", retriable) until then, never "no such topic"
 * for a topic it has not read yet.
 *
 * <p>Runs on one event loop.
 */
public final class MetadataApiVerticle extends VerticleBase {
  private static final long CONTROLLER_RETRY_MS = 250;
  /** Longer than an election (fetch timeout + a vote or two), shorter than the HTTP API's request timeout. */
  private static final long CONTROLLER_WAIT_MS = 12_000;
  private static final long VISIBLE_WAIT_MS = 10_000;

  private final BrokerConfig config;
  private final AuthorizerConfig authorizerConfig;
  private RequestAuthorizer authorizer;
  /** Short: a controller that died does not answer, and the next one may already be elected. */
  private final DeliveryOptions toController = new DeliveryOptions().setSendTimeout(5_000);
  private final DeliveryOptions toBroker = new DeliveryOptions().setSendTimeout(10_000);
  private MetadataImage image = MetadataImage.EMPTY;
  private long appliedOffset = -1;
  private final List<Waiter> waiters = new ArrayList<>();

  /** An admin answer held until this broker's image shows the change and its replicas host it. */
  private record Waiter(java.util.function.Predicate<MetadataImage> done, io.vertx.core.Promise<Void> promise) {}
  private int controllerId = -1;
  private String clusterId;
  private final MetadataReadiness readiness = new MetadataReadiness();

  public MetadataApiVerticle(BrokerConfig config, AuthorizerConfig authorizerConfig) {
    this.config = config;
    this.authorizerConfig = authorizerConfig;
  }

  @Override
  public Future<?> start() {
    EventBus bus = vertx.eventBus();
    authorizer = new RequestAuthorizer(authorizerConfig, MetadataImages.latest(vertx));
    Handler<Message<Object>> answerMetadata = m -> answerLater(m, () -> metadata(m, Messages.body(m, MetadataRequest.class)));
    return Future.all(List.of(
        MetadataImages.follow(vertx, this::onImage),
        bus.<Long>localConsumer(Addresses.LOCAL_METADATA_IMAGE_APPLIED, m -> onApplied(m.body())).completion(),
        bus.<QuorumState>localConsumer(Addresses.LOCAL_QUORUM_STATE, m -> onQuorumState(m.body())).completion(),
        ClusterConsumers.consumer(vertx, Addresses.METADATA, answerMetadata).completion(),
        ClusterConsumers.consumer(vertx, Addresses.metadata(config.nodeId()), answerMetadata).completion(),
        ClusterConsumers.consumer(vertx, Addresses.LIST_TOPICS, m -> answer(m, () -> list(m, Messages.body(m, ListTopicsRequest.class)))).completion(),
        ClusterConsumers.consumer(vertx, Addresses.DESCRIBE_TOPIC, m -> answerLater(m, () -> describe(m, Messages.body(m, DescribeTopicRequest.class))))
            .completion(),
        ClusterConsumers.consumer(vertx, Addresses.LIST_REASSIGNMENTS,
            m -> answer(m, () -> reassignments(m, Messages.body(m, io.brook.protocol.message.ListReassignmentsRequest.class))))
            .completion(),
        ClusterConsumers.consumer(vertx, Addresses.DESCRIBE_USERS, m -> answer(m, () -> users(m, Messages.body(m, DescribeUsersRequest.class)))).completion(),
        ClusterConsumers.consumer(vertx, Addresses.DESCRIBE_ACLS, m -> answer(m, () -> acls(m, Messages.body(m, DescribeAclsRequest.class)))).completion(),
        ClusterConsumers.consumer(vertx, Addresses.UPSERT_USER, m -> forward(m, UpsertUserRequest.class)).completion(),
        ClusterConsumers.consumer(vertx, Addresses.DELETE_USER, m -> forward(m, DeleteUserRequest.class)).completion(),
        ClusterConsumers.consumer(vertx, Addresses.CREATE_ACLS, m -> forward(m, CreateAclsRequest.class)).completion(),
        ClusterConsumers.consumer(vertx, Addresses.DELETE_ACLS, m -> forward(m, DeleteAclsRequest.class)).completion(),
        ClusterConsumers.consumer(vertx, Addresses.CREATE_TOPIC, m -> forward(m, CreateTopicRequest.class)).completion(),
        ClusterConsumers.consumer(vertx, Addresses.DELETE_TOPIC, m -> forward(m, DeleteTopicRequest.class)).completion(),
        ClusterConsumers.consumer(vertx, Addresses.ALTER_CONFIGS, m -> forward(m, AlterConfigsRequest.class)).completion(),
        ClusterConsumers.consumer(vertx, Addresses.CREATE_PARTITIONS, m -> forward(m, CreatePartitionsRequest.class)).completion(),
        ClusterConsumers.consumer(vertx, Addresses.ELECT_LEADERS, m -> forward(m, ElectLeadersRequest.class)).completion(),
        ClusterConsumers.consumer(vertx, Addresses.REASSIGN_PARTITION, m -> forward(m, ReassignPartitionRequest.class)).completion(),
        ClusterConsumers.consumer(vertx, Addresses.DESCRIBE_CLUSTER, m -> forward(m, DescribeClusterRequest.class)).completion(),
        ClusterConsumers.consumer(vertx, Addresses.UNREGISTER_BROKER, m -> forward(m, UnregisterBrokerRequest.class)).completion()));
  }

  /** The controller is the quorum leader; the first committed offset heard from a leader is the bar for answering. */
  private void onQuorumState(QuorumState state) {
    controllerId = state.leaderId();
    clusterId = state.clusterId();
    logIfReady(readiness.onQuorumState(state));
  }

  private void onImage(MetadataImage next) {
    image = next;
    logIfReady(readiness.onImage(next));
    onApplied(appliedOffset); // the replica manager may have applied this image before it reached this verticle
  }

  private void logIfReady(boolean becameReady) {
    if (becameReady) {
      System.getLogger(MetadataApiVerticle.class.getName()).log(System.Logger.Level.INFO, "Broker " + config.nodeId()
          + " caught up with the metadata log (offset " + image.lastOffset() + "): it answers metadata requests");
    }
  }

  private void throwIfNotReady() {
    if (!readiness.ready()) {
      throw new LeaderNotAvailableException("NOT_READY: broker " + config.nodeId() + " has not caught up with the "
          + "cluster metadata yet (no metadata quorum leader heard from, or still reading the log); retry, or ask "
          + "another broker");
    }
  }

  // ---- answered from the image ----

  /**
   * Topics the caller may not DESCRIBE are left out of a full listing and refused by name or id, existing or
   * not. Missing topics named in a request that allows it are created first when auto.create.topics.enable.
   */
  private Future<MetadataResponse> metadata(Message<?> message, MetadataRequest request) {
    throwIfNotReady();
    List<TopicMetadata> topics = new ArrayList<>();
    List<Future<?>> creations = new ArrayList<>();
    if (request.topics().isEmpty() && request.topicIds().isEmpty()) {
      image.topics().values().stream().filter(topic -> !InternalTopics.isInternal(topic.name()))
          .filter(topic -> authorizer.allowedOnTopic(message, AclOperation.DESCRIBE, topic.name()))
          .forEach(topic -> topics.add(WireViews.topic(topic, image)));
    }
    for (String name : request.topics()) {
      if (InternalTopics.isInternal(name)) {
        topics.add(new TopicMetadata(name, Errors.INVALID_TOPIC_EXCEPTION.name(), (short) -1, List.of()));
        continue;
      }
      if (!authorizer.allowedOnTopic(message, AclOperation.DESCRIBE, name)) {
        topics.add(new TopicMetadata(name, Errors.TOPIC_AUTHORIZATION_FAILED.name(), (short) -1, List.of()));
        continue;
      }
      TopicMetadata found = image.topic(name).map(topic -> WireViews.topic(topic, image))
          .orElse(new TopicMetadata(name, Errors.UNKNOWN_TOPIC_OR_PARTITION.name(), (short) -1, List.of()));
      int index = topics.size();
      topics.add(found);
      if (found.error() != null && request.allowAutoCreate() && config.autoCreateTopicsEnable()) {
        creations.add(autoCreate(message, name).onComplete(done -> topics.set(index, done.result())));
      }
    }
    for (String id : request.topicIds()) {
      topics.add(topicById(message, id));
    }
    return Future.join(creations).transform(done -> Future.succeededFuture(new MetadataResponse(image.controllerId(),
        liveBrokers(), topics, clusterId)));
  }

  private List<BrokerInfo> liveBrokers() {
    return image.brokers().values().stream().filter(b -> !b.fenced())
        .map(b -> new BrokerInfo(b.nodeId(), b.host(), b.httpPort(), b.bridgePort(), b.eventBusNodeId(), b.kafkaHost(),
            b.kafkaPort(), b.kafkaListeners())).toList();
  }

  /** An unknown (or internal) id and one the caller may not describe are told apart only by the error, nameless. */
  private TopicMetadata topicById(Message<?> message, String id) {
    TopicImage topic;
    try {
      topic = image.topicById(org.apache.kafka.common.Uuid.fromString(id)).orElse(null);
    } catch (IllegalArgumentException notAnId) {
      topic = null;
    }
    if (topic == null || InternalTopics.isInternal(topic.name())) {
      return new TopicMetadata(null, Errors.UNKNOWN_TOPIC_ID.name(), (short) -1, List.of(), id);
    }
    if (!authorizer.allowedOnTopic(message, AclOperation.DESCRIBE, topic.name())) {
      return new TopicMetadata(null, Errors.TOPIC_AUTHORIZATION_FAILED.name(), (short) -1, List.of(), id);
    }
    return WireViews.topic(topic, image);
  }

  /**
   * Kafka's auto-creation: the defaults (-1 partitions and replication factor), CREATE needed as for any
   * creation (TOPIC_AUTHORIZATION_FAILED without it), answered once this broker's image has the topic.
   * A creation that cannot be finished now answers LEADER_NOT_AVAILABLE, which clients retry; one refused for
   * good (a bad name, too few brokers for the default replication factor) answers the refusal. Never fails.
   */
  private Future<TopicMetadata> autoCreate(Message<?> message, String name) {
    CreateTopicRequest create = new CreateTopicRequest(name, -1, (short) -1, Map.of());
    try {
      Topic.validate(name);
      authorize(message, create);
    } catch (RuntimeException refused) {
      return Future.succeededFuture(new TopicMetadata(name, BrookErrors.errorOf(refused).name(), (short) -1, List.of()));
    }
    return forwardUntil(create, System.currentTimeMillis() + CONTROLLER_WAIT_MS)
        .compose(answer -> visibleHere(create, answer.committedOffset()))
        .transform(done -> {
          Errors error = done.succeeded() ? Errors.NONE : BrookErrors.errorOf(done.cause());
          if (error == Errors.NONE || error == Errors.TOPIC_ALREADY_EXISTS) { // created here, or by someone else meanwhile
            return Future.succeededFuture(image.topic(name).map(topic -> WireViews.topic(topic, image))
                .orElse(new TopicMetadata(name, Errors.LEADER_NOT_AVAILABLE.name(), (short) -1, List.of())));
          }
          Errors told = error.exception() instanceof org.apache.kafka.common.errors.RetriableException
              ? Errors.LEADER_NOT_AVAILABLE : error;
          return Future.succeededFuture(new TopicMetadata(name, told.name(), (short) -1, List.of()));
        });
  }

  private ListTopicsResponse list(Message<?> message, ListTopicsRequest request) {
    throwIfNotReady();
    return new ListTopicsResponse(image.topics().values().stream()
        // internal topics (__consumer_offsets) are listed when asked for, as Kafka; nothing else of them is served
        .filter(t -> request.includeInternal() || !InternalTopics.isInternal(t.name()))
        .filter(t -> authorizer.allowedOnTopic(message, AclOperation.DESCRIBE, t.name()))
        .map(t -> new TopicListing(t.name(), t.partitionCount(), (short) t.replicationFactor()))
        .sorted(java.util.Comparator.comparing(TopicListing::name)).toList());
  }

  /** Configs need DESCRIBE_CONFIGS too: without it the description has none. */
  private Future<TopicDescription> describe(Message<?> message, DescribeTopicRequest request) {
    throwIfNotReady();
    InternalTopics.refuseIfInternal(request.name());
    Topic.validate(request.name());
    authorizer.requireOnTopic(message, AclOperation.DESCRIBE, request.name());
    boolean configs = authorizer.allowedOnTopic(message, AclOperation.DESCRIBE_CONFIGS, request.name());
    TopicImage topic = image.topic(request.name())
        .orElseThrow(() -> new UnknownTopicOrPartitionException("Topic '" + request.name() + "' does not exist"));
    List<Future<PartitionDescription>> partitions = new ArrayList<>();
    for (int p = 0; p < topic.partitionCount(); p++) {
      partitions.add(describePartition(topic.name(), p, topic.partitions().get(p)));
    }
    return Future.all(partitions).map(all -> new TopicDescription(topic.name(), (short) topic.replicationFactor(),
        configs ? new TreeMap<>(topic.configs()) : Map.of(), configs ? effectiveConfigs(topic) : Map.of(),
        partitions.stream().map(Future::result).toList()));
  }

  /** From the image: partitions with replicas being added or removed; DESCRIBE on the cluster, as Kafka. */
  private io.brook.protocol.message.ListReassignmentsResponse reassignments(Message<?> message,
      io.brook.protocol.message.ListReassignmentsRequest request) {
    throwIfNotReady();
    authorizer.requireOnCluster(message, AclOperation.DESCRIBE);
    java.util.Set<io.brook.protocol.message.TopicPartitionRef> wanted = request.partitions() == null ? null
        : new java.util.HashSet<>(request.partitions());
    List<io.brook.protocol.message.ListReassignmentsResponse.Reassignment> found = new ArrayList<>();
    image.topics().values().stream().filter(topic -> !InternalTopics.isInternal(topic.name()))
        .sorted(java.util.Comparator.comparing(TopicImage::name)).forEach(topic -> {
          for (int p = 0; p < topic.partitionCount(); p++) {
            PartitionRegistration partition = topic.partitions().get(p);
            if (partition.isReassigning()
                && (wanted == null || wanted.contains(new io.brook.protocol.message.TopicPartitionRef(topic.name(), p)))) {
              found.add(new io.brook.protocol.message.ListReassignmentsResponse.Reassignment(topic.name(), p,
                  partition.replicas(), partition.addingReplicas(), partition.removingReplicas()));
            }
          }
        });
    return new io.brook.protocol.message.ListReassignmentsResponse(found);
  }

  /** Names and mechanisms only: salts and keys never leave the brokers. */
  private DescribeUsersResponse users(Message<?> message, DescribeUsersRequest request) {
    throwIfNotReady();
    authorizer.requireOnCluster(message, AclOperation.DESCRIBE);
    ScramImage scram = image.scram();
    List<String> names = request.names().isEmpty() ? scram.userNames() : request.names().stream().sorted().distinct()
        .filter(scram::contains).toList();
    return new DescribeUsersResponse(names.stream().map(name -> new DescribeUsersResponse.User(name,
        scram.credentials(name).values().stream()
            .map(c -> new DescribeUsersResponse.Credential(c.mechanism().mechanismName(), c.iterations()))
            .sorted(java.util.Comparator.comparing(DescribeUsersResponse.Credential::mechanism)).toList()))
        .toList());
  }

  private DescribeAclsResponse acls(Message<?> message, DescribeAclsRequest request) {
    throwIfNotReady();
    authorizer.requireOnCluster(message, AclOperation.DESCRIBE);
    AclBindingFilter filter = request.filter().toFilter();
    if (filter.isUnknown()) {
      throw new InvalidRequestException("ACL filter with a word Brook does not know: " + request.filter());
    }
    return new DescribeAclsResponse(image.acls().matching(filter).stream().map(acl -> AclEntry.of(acl.toBinding()))
        .toList());
  }

  private Future<PartitionDescription> describePartition(String topic, int partition, PartitionRegistration registration) {
    List<Integer> offline = registration.replicas().stream().filter(id -> image.isOffline(registration, id)).toList();
    PartitionDescription unknown = new PartitionDescription(partition, registration.leader(), registration.leaderEpoch(),
        registration.replicas(), registration.isr(), -1, -1, -1, -1, 0, offline);
    if (!registration.hasLeader()) {
      return Future.succeededFuture(unknown);
    }
    return vertx.eventBus().<PartitionDescription>request(Addresses.describePartition(registration.leader()),
            new DescribePartitionRequest(topic, partition), toBroker)
        .map(reply -> {
          PartitionDescription d = reply.body();
          return new PartitionDescription(partition, registration.leader(), registration.leaderEpoch(),
              registration.replicas(), registration.isr(), d.logStartOffset(), d.logEndOffset(), d.highWatermark(),
              d.sizeBytes(), d.segments(), offline);
        })
        .otherwise(unknown); // the leader is moving: describe what the metadata says
  }

  private Map<String, String> effectiveConfigs(TopicImage topic) {
    Map<String, String> logKeys = new HashMap<>();
    topic.configs().forEach((key, value) -> {
      if (LogConfig.CONFIG_DEF.names().contains(key)) {
        logKeys.put(key, value);
      }
    });
    Map<String, String> effective = new TreeMap<>(config.topicDefaults().withOverrides(logKeys).values());
    topic.configs().forEach(effective::putIfAbsent);
    return effective;
  }

  // ---- forwarded to the controller ----

  private <T> void forward(Message<Object> message, Class<T> type) {
    T request;
    try {
      request = Messages.body(message, type);
      InternalTopics.refuseIfInternal(request);
      authorize(message, request);
    } catch (RuntimeException e) {
      BrookErrors.fail(message, e);
      return;
    }
    forwardUntil(request, System.currentTimeMillis() + CONTROLLER_WAIT_MS)
        .compose(answer -> visibleHere(request, answer.committedOffset()).map(visible -> answer.body()))
        .onComplete(done -> {
          if (done.succeeded()) {
            Messages.reply(message, done.result());
          } else {
            BrookErrors.fail(message, done.cause());
          }
        });
  }

  /** What each change needs (security/README.md has the table). */
  private void authorize(Message<?> message, Object request) {
    if (request instanceof CreateTopicRequest r) {
      if (!authorizer.allowed(message, AclOperation.CREATE, ResourceType.CLUSTER, Acl.CLUSTER_NAME)) {
        authorizer.requireOnTopic(message, AclOperation.CREATE, r.name());
      }
    } else if (request instanceof DeleteTopicRequest r) {
      authorizer.requireOnTopic(message, AclOperation.DELETE, r.name());
    } else if (request instanceof AlterConfigsRequest r) {
      authorizer.requireOnTopic(message, AclOperation.ALTER_CONFIGS, r.name());
    } else if (request instanceof CreatePartitionsRequest r) {
      authorizer.requireOnTopic(message, AclOperation.ALTER, r.name());
    } else if (request instanceof DescribeClusterRequest) {
      authorizer.requireOnCluster(message, AclOperation.DESCRIBE);
    } else { // elect, reassign, unregister a broker; users and ACLs
      authorizer.requireOnCluster(message, AclOperation.ALTER);
    }
  }

  /**
   * So that a client can use what it just changed through this broker: wait (bounded) until this
   * broker's image has reached the offset the controller committed the change at, and its replicas
   * are hosted here. By offset, not by what the image shows: a topic created and deleted again at once
   * never shows, and waiting for it would only time out.
   */
  private Future<Void> visibleHere(Object request, long committedOffset) {
    boolean usedRightAfter = request instanceof CreateTopicRequest || request instanceof DeleteTopicRequest
        || request instanceof AlterConfigsRequest || request instanceof CreatePartitionsRequest
        // a new user or password logs in through this broker next; a new ACL is checked here
        || request instanceof UpsertUserRequest || request instanceof DeleteUserRequest
        || request instanceof CreateAclsRequest || request instanceof DeleteAclsRequest
        // Kafka's Admin lists reassignments and describes leaders through the node it changed them through
        || request instanceof ReassignPartitionRequest || request instanceof ElectLeadersRequest;
    if (!usedRightAfter || committedOffset < 0) {
      return Future.succeededFuture();
    }
    return visibleHere(img -> img.lastOffset() >= committedOffset);
  }

  private Future<Void> visibleHere(java.util.function.Predicate<MetadataImage> done) {
    io.vertx.core.Promise<Void> promise = io.vertx.core.Promise.promise();
    waiters.add(new Waiter(done, promise));
    onApplied(appliedOffset);
    vertx.setTimer(VISIBLE_WAIT_MS, t -> promise.tryComplete()); // answer anyway: clients retry
    return promise.future();
  }

  private void onApplied(long offset) {
    appliedOffset = Math.max(appliedOffset, offset);
    MetadataImage hosted = image.lastOffset() <= appliedOffset ? image : null;
    waiters.removeIf(w -> {
      if (w.promise().future().isComplete()) {
        return true;
      }
      if (hosted != null && w.done().test(hosted)) {
        w.promise().complete();
        return true;
      }
      return false;
    });
  }

  /** A controller's answer, and the offset of the metadata it had committed when it answered (-1: not said). */
  private record Answered(Object body, long committedOffset) {}

  /** While a controller is being elected there is none to ask: try again until one answers. */
  private Future<Answered> forwardUntil(Object request, long deadlineMs) {
    if (controllerId < 0) {
      if (request instanceof DescribeClusterRequest) {
        // the operator most needs this view when there is no controller
        return describeWithoutController().map(description -> new Answered(description, -1));
      }
      return retryLater(request, deadlineMs, new NotControllerException("No controller: the metadata quorum has no "
          + "leader, so metadata cannot change (a majority of its voters must be running and reachable; `cluster "
          + "describe` lists them)"));
    }
    return vertx.eventBus().request(Addresses.controller(controllerId), request, toController)
        .map(reply -> new Answered(reply.body(), committedOffset(reply)))
        .recover(failure -> {
          Errors error = BrookErrors.errorOf(failure);
          // a timeout may hide a request that was applied: retrying it can answer TOPIC_ALREADY_EXISTS, as in Kafka
          if (error == Errors.NOT_CONTROLLER || error == Errors.LEADER_NOT_AVAILABLE || error == Errors.REQUEST_TIMED_OUT) {
            return retryLater(request, deadlineMs, failure);
          }
          return Future.failedFuture(failure);
        });
  }

  private static long committedOffset(Message<Object> reply) {
    String offset = reply.headers().get(Addresses.COMMITTED_OFFSET_HEADER);
    return offset == null ? -1 : Long.parseLong(offset);
  }

  private Future<Answered> retryLater(Object request, long deadlineMs, Throwable lastFailure) {
    if (System.currentTimeMillis() + CONTROLLER_RETRY_MS > deadlineMs) {
      return Future.failedFuture(lastFailure);
    }
    io.vertx.core.Promise<Answered> retried = io.vertx.core.Promise.promise();
    vertx.setTimer(CONTROLLER_RETRY_MS, t -> forwardUntil(request, deadlineMs).onComplete(retried));
    return retried.future();
  }

  /** What this broker knows without a controller: the brokers of its image, and the quorum as its replica sees it. */
  private Future<Object> describeWithoutController() {
    List<BrokerDescription> brokers = image.brokers().values().stream()
        .map(b -> new BrokerDescription(b.nodeId(), b.host(), b.httpPort(), b.bridgePort(),
            b.brokerEpoch(), b.state().name(), -1, image.partitionsLedBy(b.nodeId()).size(),
            image.replicasOn(b.nodeId()).size()))
        .toList();
    return vertx.eventBus().<QuorumDescription>request(Addresses.LOCAL_QUORUM_DESCRIBE,
            new QuorumRequests.Describe(), new DeliveryOptions().setLocalOnly(true))
        .map(quorum -> new ClusterDescription(-1, quorum.body().epoch(), brokers,
            quorum.body()));
  }

  // ---- helpers ----

  private static void answer(Message<Object> message, java.util.function.Supplier<Object> handle) {
    try {
      Messages.reply(message, handle.get());
    } catch (RuntimeException e) {
      BrookErrors.fail(message, e);
    }
  }

  private static void answerLater(Message<Object> message, java.util.function.Supplier<Future<?>> handle) {
    try {
      handle.get().onComplete(done -> {
        if (done.succeeded()) {
          Messages.reply(message, done.result());
        } else {
          BrookErrors.fail(message, done.cause());
        }
      });
    } catch (RuntimeException e) {
      BrookErrors.fail(message, e);
    }
  }
}
