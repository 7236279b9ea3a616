package io.brook.client.internals;

import io.brook.client.ConsumerConfigs;
import io.brook.protocol.GroupApi;
import io.brook.protocol.message.HeartbeatRequest;
import io.brook.protocol.message.HeartbeatResponse;
import io.brook.protocol.message.JoinGroupRequest;
import io.brook.protocol.message.JoinGroupResponse;
import io.brook.protocol.message.LeaveGroupRequest;
import io.brook.protocol.message.LeaveGroupResponse;
import io.brook.protocol.message.SyncGroupRequest;
import io.brook.protocol.message.SyncGroupResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.RebalanceProtocol;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.GroupMaxSizeReachedException;
import org.apache.kafka.common.errors.IllegalGenerationException;
import org.apache.kafka.common.errors.MemberIdRequiredException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Utils;

/**
 * The consumer as a member of its group, in the classic protocol, as Kafka's
 * {@code AbstractCoordinator} and {@code ConsumerCoordinator}: find the coordinator, join
 * (MEMBER_ID_REQUIRED: join again with the id given), the leader runs the assignor and sends every
 * assignment in SyncGroup, followers get theirs; heartbeats on a timer whether or not the
 * application polls; rejoin on REBALANCE_IN_PROGRESS; partitions lost and a new join on
 * ILLEGAL_GENERATION or UNKNOWN_MEMBER_ID; FENCED_INSTANCE_ID is fatal.
 *
 * <p><b>What runs where.</b> Requests and heartbeats run on the consumer's context by themselves.
 * Whatever calls the application's rebalance listener runs only inside a poll ({@link #poll}), on
 * the poll's caller side (see {@link RebalanceListenerInvoker}): before a join (revoke everything
 * with the eager protocol, only partitions of topics no longer subscribed with the cooperative one,
 * or declare them lost when the generation was lost) and after a SyncGroup (cooperative: revoke
 * what the leader moved away and join again; then the new partitions are assigned). With
 * auto-commit, the positions of partitions about to be revoked are committed first, and the
 * commits the listener started are awaited before the member goes on.
 *
 * <p>{@link #poll} never waits for the network: it starts what is due and answers; every answer
 * that moves the member on wakes the waiting poll ({@code wake}) for the next step. The member's
 * state ({@link MemberState}, {@link Generation}) is owned by the consumer's context.
 */
final class ConsumerCoordinator implements OffsetCommits.Member {
  private static final System.Logger LOG = System.getLogger(ConsumerCoordinator.class.getName());
  static final String PROTOCOL_TYPE = ConsumerProtocol.PROTOCOL_TYPE;
  /** As Kafka: a JoinGroup may wait a whole rebalance timeout at the coordinator, plus this. */
  private static final int JOIN_GROUP_TIMEOUT_LAPSE_MS = 5000;

  private final Vertx vertx;
  private final ConsumerConfigs config;
  private final String groupId;
  private final String instanceId;
  private final String clientId;
  private final String clientHost;
  private final SubscriptionState subscriptions;
  private final Metadata metadata;
  private final CoordinatorChannel channel;
  private final OffsetCommits commits;
  private final RebalanceListenerInvoker listeners;
  private final List<ConsumerPartitionAssignor> assignors;
  private final RebalanceProtocol protocol;
  private final Heartbeat heartbeat;
  private final Runnable wake;
  private final BooleanSupplier pollWaiting;

  private MemberState state = MemberState.UNJOINED;
  private Generation generation = Generation.NO_GENERATION;
  private boolean rejoinNeeded = true;
  private boolean needsJoinPrepare = true;
  private Future<ByteBuffer> joinFuture;
  private long joinRetryAtMs;
  /** With auto-commit, the commit of what was consumed before a join (eager: before everything is revoked). */
  private Future<Void> prepareCommit;
  /** With auto-commit and the cooperative protocol, the commit of the partitions the leader moved away. */
  private Future<Void> revokeCommit;
  private Set<String> joinedSubscription;
  /** Leader only: the group's topics' partition counts when it assigned (a change means a new rebalance). */
  private Map<String, Integer> assignmentSnapshot;
  private boolean lookupInFlight;
  private long lookupRetryAtMs;
  private RuntimeException lookupError;
  private long heartbeatTimer = -1;
  private boolean closed;
  private volatile ConsumerGroupMetadata groupMetadata;
  private volatile RuntimeException fatal;

  ConsumerCoordinator(Vertx vertx, Context context, ConsumerConfigs config, String clientHost,
      SubscriptionState subscriptions, Metadata metadata, CoordinatorChannel channel, OffsetCommits commits,
      Runnable wake, BooleanSupplier pollWaiting) {
    this.vertx = vertx;
    this.config = config;
    this.groupId = config.groupId().orElseThrow();
    this.instanceId = config.groupInstanceId().orElse(null);
    this.clientId = config.clientId().isEmpty() ? "consumer-" + groupId : config.clientId();
    this.clientHost = clientHost;
    this.subscriptions = subscriptions;
    this.metadata = metadata;
    this.channel = channel;
    this.commits = commits;
    this.listeners = new RebalanceListenerInvoker(subscriptions, context, groupId);
    this.assignors = config.assignors();
    this.protocol = ConsumerConfigs.rebalanceProtocolOf(assignors);
    this.heartbeat = new Heartbeat(config.sessionTimeoutMs(), config.heartbeatIntervalMs(), config.maxPollIntervalMs(),
        config.retryBackoffMs(), System.currentTimeMillis());
    this.wake = wake;
    this.pollWaiting = pollWaiting;
    this.groupMetadata = new ConsumerGroupMetadata(groupId, -1, "", Optional.ofNullable(instanceId));
    commits.member(this);
  }

  ConsumerGroupMetadata groupMetadata() {
    return groupMetadata;
  }

  /** The error every later poll and commit fails with (a fenced static member), or null. */
  RuntimeException fatalError() {
    return fatal;
  }

  // ---- one step of a poll ----

  /**
   * On the context, from a poll: finds the coordinator, (re)joins when needed, runs the listener
   * callbacks that are due and the auto-commit. Fails with what the poll must raise.
   */
  Future<Void> poll(long nowMs, Context caller) {
    if (fatal != null) {
      return Future.failedFuture(fatal);
    }
    if (!subscriptions.hasAutoAssignedPartitions()) {
      commits.maybeAutoCommit(nowMs); // assigned partitions with a group id: commits with generation -1
      return Future.succeededFuture();
    }
    heartbeat.poll(nowMs);
    if (channel.unknown()) {
      lookupCoordinator(nowMs);
      RuntimeException error = lookupError;
      lookupError = null;
      return error == null ? Future.succeededFuture() : Future.failedFuture(error);
    }
    if (rejoinNeededOrPending()) {
      if (subscriptions.hasPatternSubscription() && !metadata.hasAllTopics()) {
        metadata.requestUpdate(); // a pattern is matched against the cluster's topics at least once before a join
        return Future.succeededFuture();
      }
      return rebalanceStep(nowMs, caller);
    }
    commits.maybeAutoCommit(nowMs);
    return Future.succeededFuture();
  }

  private void lookupCoordinator(long nowMs) {
    if (lookupInFlight || nowMs < lookupRetryAtMs) {
      return;
    }
    lookupInFlight = true;
    channel.lookup().onComplete(ar -> {
      lookupInFlight = false;
      if (ar.succeeded()) {
        heartbeat.resetSessionTimeout(System.currentTimeMillis());
      } else if (ar.cause() instanceof RetriableException) {
        lookupRetryAtMs = System.currentTimeMillis() + config.retryBackoffMs();
        vertx.setTimer(Math.max(1, config.retryBackoffMs()), id -> wake.run());
        return;
      } else {
        lookupError = ar.cause() instanceof RuntimeException re ? re : new KafkaException(ar.cause());
      }
      wake.run();
    });
  }

  boolean rejoinNeededOrPending() {
    if (!subscriptions.hasAutoAssignedPartitions()) {
      return false;
    }
    if (joinedSubscription != null && !joinedSubscription.equals(subscriptions.subscription()) && !rejoinNeeded) {
      requestRejoin("subscription has changed from " + joinedSubscription + " to " + subscriptions.subscription());
    }
    return rejoinNeeded || joinFuture != null;
  }

  private Future<Void> rebalanceStep(long nowMs, Context caller) {
    if (joinFuture == null) {
      if (needsJoinPrepare) {
        if (!prepareCommitted()) {
          return Future.succeededFuture(); // the auto-commit before the rebalance is in flight: it wakes us
        }
        needsJoinPrepare = false;
        Future<Void> prepared = onJoinPrepare(caller);
        return prepared.andThen(ar -> startJoin(System.currentTimeMillis()));
      }
      startJoin(nowMs);
      return Future.succeededFuture();
    }
    if (!joinFuture.isComplete()) {
      return Future.succeededFuture();
    }
    if (joinFuture.failed()) {
      Throwable cause = joinFuture.cause();
      joinFuture = null;
      return onJoinFailed(cause, nowMs);
    }
    return completeJoin(caller);
  }

  // ---- before a join ----

  /** With auto-commit, commits what was consumed before the rebalance; true once done (or not needed). */
  private boolean prepareCommitted() {
    if (!config.autoCommit() || generation.isReset()) {
      return true; // a member that lost its generation could not commit anyway
    }
    if (prepareCommit == null) {
      if (protocol == RebalanceProtocol.EAGER) {
        // stop fetching and handing out what will be revoked, so the commit covers all that was returned
        subscriptions.markPendingRevocation(subscriptions.assignment());
      }
      Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> consumed = subscriptions.allConsumed();
      if (consumed.isEmpty()) {
        return true;
      }
      prepareCommit = commits.commitSync(consumed, rebalanceDeadlineMs());
      prepareCommit.onComplete(ar -> wake.run());
    }
    if (!prepareCommit.isComplete()) {
      return false;
    }
    if (prepareCommit.failed()) {
      LOG.log(System.Logger.Level.WARNING, "Group " + groupId + ": the auto-commit before the rebalance failed: "
          + prepareCommit.cause().getMessage());
    }
    prepareCommit = null;
    return true;
  }

  /** Kafka's {@code onJoinPrepare}: revoke (or lose) what the protocol says, in the listener, then drop it. */
  private Future<Void> onJoinPrepare(Context caller) {
    SortedSet<TopicPartition> owned = RebalanceListenerInvoker.sorted(subscriptions.assignment());
    assignmentSnapshot = null;
    if (generation.isReset()) {
      if (owned.isEmpty()) {
        return Future.succeededFuture();
      }
      LOG.log(System.Logger.Level.INFO, "Group " + groupId + ": giving away " + owned + " as lost: the member lost its"
          + " generation");
      return afterListener(listeners.lost(owned, caller), Set.of(), rebalanceDeadlineMs());
    }
    if (protocol == RebalanceProtocol.EAGER) {
      return afterListener(listeners.revoked(owned, caller), Set.of(), rebalanceDeadlineMs());
    }
    SortedSet<TopicPartition> unsubscribed = new TreeSet<>(RebalanceListenerInvoker.ORDER);
    owned.stream().filter(tp -> !subscriptions.matchesSubscription(List.of(tp))).forEach(unsubscribed::add);
    if (unsubscribed.isEmpty()) {
      return Future.succeededFuture();
    }
    Set<TopicPartition> kept = new TreeSet<>(RebalanceListenerInvoker.ORDER);
    kept.addAll(owned);
    kept.removeAll(unsubscribed);
    return afterListener(listeners.revoked(unsubscribed, caller), kept, rebalanceDeadlineMs());
  }

  /** How long a rebalance step may wait for commits: the rebalance timeout, as Kafka's onJoinPrepare. */
  private long rebalanceDeadlineMs() {
    return System.currentTimeMillis() + config.maxPollIntervalMs();
  }

  /**
   * After the listener ran, and the commits it started completed (until {@code deadlineMs}): the
   * assignment becomes {@code kept}.
   */
  private Future<Void> afterListener(Future<Throwable> listener, Set<TopicPartition> kept, long deadlineMs) {
    return listener.compose(error -> commits.awaitInFlight(deadlineMs)
        .compose(v -> {
          subscriptions.assignFromSubscribed(kept);
          return raise(error);
        }));
  }

  private static Future<Void> raise(Throwable listenerError) {
    if (listenerError == null) {
      return Future.succeededFuture();
    }
    return Future.failedFuture(listenerError instanceof KafkaException ke ? ke
        : new KafkaException("User rebalance callback throws an error", listenerError));
  }

  // ---- JoinGroup and SyncGroup ----

  private void startJoin(long nowMs) {
    if (joinFuture != null || closed || nowMs < joinRetryAtMs || !rejoinNeededOrPending()) {
      return;
    }
    if (channel.unknown()) {
      lookupCoordinator(nowMs);
      return;
    }
    Future<ByteBuffer> joining = sendJoinGroup();
    joinFuture = joining;
    joining.onComplete(ar -> wake.run());
  }

  private long joinTimeoutMs() {
    return Math.max(config.requestTimeoutMs(), (long) config.maxPollIntervalMs() + JOIN_GROUP_TIMEOUT_LAPSE_MS);
  }

  private Future<ByteBuffer> sendJoinGroup() {
    state = MemberState.PREPARING_REBALANCE;
    joinedSubscription = subscriptions.subscription();
    Generation sent = generation;
    LOG.log(System.Logger.Level.INFO, "Group " + groupId + ": (re-)joining as " + (sent.hasMemberId() ? sent.memberId()
        : "a new member") + " with subscription " + joinedSubscription);
    JoinGroupRequest request = new JoinGroupRequest(groupId, config.sessionTimeoutMs(), config.maxPollIntervalMs(),
        sent.memberId(), instanceId, PROTOCOL_TYPE, protocols(joinedSubscription, sent), clientId, clientHost);
    return channel.send(GroupApi.JOIN_GROUP, request, joinTimeoutMs(), JoinGroupResponse.class)
        .compose(response -> onJoinResponse(response, sent));
  }

  /** One protocol per assignor, in preference order: the subscription with the partitions owned now. */
  private List<JoinGroupRequest.Protocol> protocols(Set<String> topics, Generation sent) {
    List<String> sortedTopics = new ArrayList<>(new TreeSet<>(topics));
    List<TopicPartition> owned = new ArrayList<>(RebalanceListenerInvoker.sorted(subscriptions.assignment()));
    List<JoinGroupRequest.Protocol> protocols = new ArrayList<>();
    for (ConsumerPartitionAssignor assignor : assignors) {
      Subscription subscription = new Subscription(sortedTopics, assignor.subscriptionUserData(topics), owned,
          sent.generationId(), Optional.empty());
      protocols.add(new JoinGroupRequest.Protocol(assignor.name(),
          Utils.toArray(ConsumerProtocol.serializeSubscription(subscription))));
    }
    return protocols;
  }

  private Future<ByteBuffer> onJoinResponse(JoinGroupResponse response, Generation sent) {
    Errors error = MetadataSnapshot.errorOf(response.error());
    switch (error) {
      case NONE:
        return onJoined(response);
      case MEMBER_ID_REQUIRED:
        // KIP-394: join again at once with the id the coordinator gave
        generation = new Generation(Generation.NO_GENERATION.generationId(), response.memberId(), null);
        requestRejoin("need to re-join with the given member-id " + response.memberId());
        return Future.failedFuture(error.exception());
      case UNKNOWN_MEMBER_ID:
        if (generation.equals(sent)) {
          resetStateAndRejoin("encountered " + error + " from JoinGroup", true);
        }
        return Future.failedFuture(error.exception());
      case COORDINATOR_NOT_AVAILABLE:
      case NOT_COORDINATOR:
        return channel.failWith(error, "JoinGroup");
      case GROUP_AUTHORIZATION_FAILED:
        return Future.failedFuture(GroupAuthorizationException.forGroupId(groupId));
      case GROUP_MAX_SIZE_REACHED:
        return Future.failedFuture(new GroupMaxSizeReachedException("Consumer group " + groupId
            + " already has the configured maximum number of members."));
      case COORDINATOR_LOAD_IN_PROGRESS:
      case REBALANCE_IN_PROGRESS:
      case FENCED_INSTANCE_ID:
      case INCONSISTENT_GROUP_PROTOCOL:
      case INVALID_SESSION_TIMEOUT:
      case INVALID_GROUP_ID:
        return Future.failedFuture(error.exception());
      default:
        return Future.failedFuture(new KafkaException("Unexpected error in join group response: " + error.message()));
    }
  }

  private Future<ByteBuffer> onJoined(JoinGroupResponse response) {
    if (response.protocolType() != null && !PROTOCOL_TYPE.equals(response.protocolType())) {
      return Future.failedFuture(Errors.INCONSISTENT_GROUP_PROTOCOL.exception());
    }
    if (state != MemberState.PREPARING_REBALANCE) {
      // the member left (or lost its place) while the join was in flight
      return Future.failedFuture(new org.apache.kafka.common.errors.UnknownMemberIdException("the member is no longer"
          + " joining"));
    }
    state = MemberState.COMPLETING_REBALANCE;
    generation = new Generation(response.generationId(), response.memberId(), response.protocolName());
    LOG.log(System.Logger.Level.INFO, "Group " + groupId + ": joined generation " + generation.generationId() + " as "
        + generation.memberId() + (response.memberId().equals(response.leader()) ? " (leader)" : "") + ", protocol "
        + generation.protocolName());
    enableHeartbeat(System.currentTimeMillis());
    Future<Map<String, ByteBuffer>> assignments = response.memberId().equals(response.leader())
        ? onLeaderElected(response) : Future.succeededFuture(Map.of());
    return assignments.compose(this::sendSyncGroup);
  }

  private Future<Map<String, ByteBuffer>> onLeaderElected(JoinGroupResponse response) {
    ConsumerPartitionAssignor assignor = assignor(response.protocolName());
    if (assignor == null) {
      return Future.failedFuture(new IllegalStateException("Coordinator selected invalid assignment protocol: "
          + response.protocolName()));
    }
    LeaderAssignment.Subscriptions members;
    try {
      members = LeaderAssignment.read(response.members());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    if (response.skipAssignment()) {
      // a static leader that came back to a stable group: the assignment stands (KIP-814)
      assignmentSnapshot = LeaderAssignment.partitionCounts(metadata.snapshot(), members.topics());
      return Future.succeededFuture(Map.of());
    }
    if (metadata.addTopics(members.topics())) {
      LOG.log(System.Logger.Level.DEBUG, "Group " + groupId + ": the leader follows the group's topics " + members.topics());
    }
    return metadata.refresh().transform(refreshed -> {
      MetadataSnapshot snapshot = metadata.snapshot();
      try {
        Map<String, ByteBuffer> assignments = LeaderAssignment.assign(assignor, protocol, members, snapshot);
        assignmentSnapshot = LeaderAssignment.partitionCounts(snapshot, members.topics());
        return Future.succeededFuture(assignments);
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    });
  }

  private ConsumerPartitionAssignor assignor(String name) {
    return assignors.stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
  }

  private Future<ByteBuffer> sendSyncGroup(Map<String, ByteBuffer> assignments) {
    Generation sent = generation;
    List<SyncGroupRequest.Assignment> list = new ArrayList<>();
    assignments.forEach((member, bytes) -> list.add(new SyncGroupRequest.Assignment(member, Utils.toArray(bytes))));
    SyncGroupRequest request = new SyncGroupRequest(groupId, sent.generationId(), sent.memberId(), instanceId,
        PROTOCOL_TYPE, sent.protocolName(), list);
    return channel.send(GroupApi.SYNC_GROUP, request, joinTimeoutMs(), SyncGroupResponse.class)
        .compose(response -> onSyncResponse(response, sent));
  }

  private Future<ByteBuffer> onSyncResponse(SyncGroupResponse response, Generation sent) {
    Errors error = MetadataSnapshot.errorOf(response.error());
    switch (error) {
      case NONE:
        if (response.protocolType() != null && !PROTOCOL_TYPE.equals(response.protocolType())) {
          return Future.failedFuture(Errors.INCONSISTENT_GROUP_PROTOCOL.exception());
        }
        if (generation.isReset() || state != MemberState.COMPLETING_REBALANCE) {
          // the heartbeat lost the generation meanwhile: join again at once
          return Future.failedFuture(Errors.ILLEGAL_GENERATION.exception());
        }
        if (response.protocolName() != null && !response.protocolName().equals(generation.protocolName())) {
          return Future.failedFuture(Errors.INCONSISTENT_GROUP_PROTOCOL.exception());
        }
        state = MemberState.STABLE;
        rejoinNeeded = false;
        LOG.log(System.Logger.Level.INFO, "Group " + groupId + ": synced generation " + generation.generationId());
        return Future.succeededFuture(ByteBuffer.wrap(response.assignment() == null ? new byte[0]
            : response.assignment()));
      case UNKNOWN_MEMBER_ID:
      case ILLEGAL_GENERATION:
        if (generation.equals(sent)) {
          // ILLEGAL_GENERATION keeps the member id: the coordinator still knows it
          resetStateAndRejoin("encountered " + error + " from SyncGroup", error == Errors.UNKNOWN_MEMBER_ID);
        }
        return Future.failedFuture(error.exception());
      case COORDINATOR_NOT_AVAILABLE:
      case NOT_COORDINATOR:
        return channel.failWith(error, "SyncGroup");
      case GROUP_AUTHORIZATION_FAILED:
        return Future.failedFuture(GroupAuthorizationException.forGroupId(groupId));
      case REBALANCE_IN_PROGRESS:
      case FENCED_INSTANCE_ID:
        return Future.failedFuture(error.exception());
      default:
        return Future.failedFuture(new KafkaException("Unexpected error from SyncGroup: " + error.message()));
    }
  }

  /** Kafka's {@code joinGroupIfNeeded} on a failed join or sync: join again at once, after a backoff, or raise. */
  private Future<Void> onJoinFailed(Throwable cause, long nowMs) {
    if (!(cause instanceof MemberIdRequiredException)) {
      requestRejoin("rebalance failed due to " + cause.getClass().getSimpleName());
    }
    if (cause instanceof FencedInstanceIdException fenced) {
      return Future.failedFuture(fatal(fenced));
    }
    if (cause instanceof UnknownMemberIdException || cause instanceof IllegalGenerationException
        || cause instanceof RebalanceInProgressException || cause instanceof MemberIdRequiredException) {
      wake.run();
      return Future.succeededFuture();
    }
    if (!(cause instanceof RetriableException)) {
      return Future.failedFuture(cause); // raised by this poll; the next one joins again
    }
    LOG.log(System.Logger.Level.INFO, "Group " + groupId + ": rebalance failed, retrying: " + cause.getMessage());
    joinRetryAtMs = nowMs + config.retryBackoffMs();
    vertx.setTimer(Math.max(1, config.retryBackoffMs()), id -> wake.run());
    return Future.succeededFuture();
  }

  // ---- after SyncGroup ----

  private Future<Void> completeJoin(Context caller) {
    if (generation.isReset() || state != MemberState.STABLE) {
      joinFuture = null;
      revokeCommit = null;
      resetStateAndRejoin("the generation was lost before the assignment was applied", true);
      return Future.succeededFuture();
    }
    Assignment assignment;
    try {
      assignment = ConsumerProtocol.deserializeAssignment(joinFuture.result().duplicate());
    } catch (RuntimeException e) {
      joinFuture = null;
      requestRejoin("the assignment could not be read");
      return Future.failedFuture(new IllegalStateException("The assignment from the group leader could not be read"
          + " (a leader that assigned nothing to this member?)", e));
    }
    SortedSet<TopicPartition> owned = RebalanceListenerInvoker.sorted(subscriptions.assignment());
    SortedSet<TopicPartition> assigned = RebalanceListenerInvoker.sorted(assignment.partitions());
    SortedSet<TopicPartition> revoked = new TreeSet<>(RebalanceListenerInvoker.ORDER);
    if (protocol == RebalanceProtocol.COOPERATIVE) {
      revoked.addAll(owned);
      revoked.removeAll(assigned);
      if (!revoked.isEmpty() && !revokeCommitted(revoked)) {
        return Future.succeededFuture(); // committing what is given up; the commit wakes us
      }
    }
    joinFuture = null;
    revokeCommit = null;
    needsJoinPrepare = true;
    if (!subscriptions.matchesSubscription(assigned)) {
      requestRejoin("received assignment " + assigned + " does not match the current subscription");
      return Future.succeededFuture();
    }
    return onJoinComplete(assignment, owned, assigned, revoked, caller);
  }

  /** With auto-commit, commits the positions of the partitions the leader moved away; true once done. */
  private boolean revokeCommitted(SortedSet<TopicPartition> revoked) {
    if (!config.autoCommit()) {
      return true;
    }
    if (revokeCommit == null) {
      subscriptions.markPendingRevocation(revoked);
      revokeCommit = commits.commitSync(subscriptions.consumed(revoked), rebalanceDeadlineMs());
      revokeCommit.onComplete(ar -> wake.run());
    }
    if (!revokeCommit.isComplete()) {
      return false;
    }
    if (revokeCommit.failed()) {
      LOG.log(System.Logger.Level.WARNING, "Group " + groupId + ": committing " + revoked + " before giving them up "
          + "failed: " + revokeCommit.cause().getMessage());
    }
    return true;
  }

  /** Kafka's {@code onJoinComplete}: revoked (cooperative), then the new assignment, then assigned. */
  private Future<Void> onJoinComplete(Assignment assignment, SortedSet<TopicPartition> owned,
      SortedSet<TopicPartition> assigned, SortedSet<TopicPartition> revoked, Context caller) {
    ConsumerPartitionAssignor assignor = assignor(generation.protocolName());
    groupMetadata = new ConsumerGroupMetadata(groupId, generation.generationId(), generation.memberId(),
        Optional.ofNullable(instanceId));
    SortedSet<TopicPartition> added = new TreeSet<>(RebalanceListenerInvoker.ORDER);
    added.addAll(assigned);
    added.removeAll(owned);
    LOG.log(System.Logger.Level.INFO, "Group " + groupId + ": generation " + generation.generationId() + " assigns "
        + assigned + " (added " + added + ", revoked " + revoked + ")");
    Future<Throwable> revokedDone = Future.succeededFuture();
    if (!revoked.isEmpty()) {
      revokedDone = listeners.revoked(revoked, caller).compose(error -> commits.awaitInFlight(rebalanceDeadlineMs())
          .map(v -> error));
      requestRejoin("need to revoke partitions " + revoked + " and re-join");
    }
    return revokedDone.compose(revokeError -> {
      Throwable first = revokeError;
      try {
        if (assignor != null) {
          assignor.onAssignment(assignment, groupMetadata);
        }
      } catch (RuntimeException e) {
        first = first == null ? e : first;
      }
      commits.resetAutoCommitTimer(System.currentTimeMillis());
      subscriptions.assignFromSubscribed(assigned);
      Throwable before = first;
      return listeners.assigned(added, caller).compose(assignError -> raise(before != null ? before : assignError));
    });
  }

  // ---- state changes ----

  /** The member joins again at the next poll step (a waiting poll is woken). */
  void requestRejoin(String reason) {
    if (!rejoinNeeded) {
      LOG.log(System.Logger.Level.INFO, "Group " + groupId + ": rejoining: " + reason);
      rejoinNeeded = true;
      wake.run();
    }
  }

  /** Kafka's {@code enforceRebalance}: a rebalance at the next poll, unless one is under way. */
  void enforceRebalance() {
    requestRejoin("the application asked for a rebalance (enforceRebalance)");
  }

  /** On the context when a poll returns: the time to the next poll ({@code max.poll.interval.ms}) counts from now. */
  void onPollEnd(long nowMs) {
    heartbeat.poll(nowMs);
  }

  /** The member lost its generation (and, with {@code resetMemberId}, its id): join again; what it owns is lost. */
  private void resetStateAndRejoin(String reason, boolean resetMemberId) {
    LOG.log(System.Logger.Level.INFO, "Group " + groupId + ": resetting generation" + (resetMemberId ? " and member id"
        : "") + ": " + reason);
    state = MemberState.UNJOINED;
    generation = resetMemberId ? Generation.NO_GENERATION : generation.withoutGeneration();
    groupMetadata = new ConsumerGroupMetadata(groupId, -1, generation.memberId(), Optional.ofNullable(instanceId));
    needsJoinPrepare = true;
    // a commit started for the lost generation proves nothing for the next rebalance
    prepareCommit = null;
    revokeCommit = null;
    cancelHeartbeat();
    rejoinNeeded = true;
    wake.run();
  }

  private RuntimeException fatal(RuntimeException error) {
    if (fatal == null) {
      LOG.log(System.Logger.Level.ERROR, "Group " + groupId + ": fatal error, the consumer must be closed: " + error);
      fatal = error;
      cancelHeartbeat();
      wake.run();
    }
    return fatal;
  }

  // ---- heartbeats ----

  private void enableHeartbeat(long nowMs) {
    heartbeat.resetTimeouts(nowMs);
    armHeartbeat(heartbeat.timeToNextCheck(nowMs));
  }

  private void armHeartbeat(long delayMs) {
    cancelHeartbeat();
    if (!closed && fatal == null && !state.hasNotJoinedGroup()) {
      heartbeatTimer = vertx.setTimer(Math.max(1, delayMs), id -> {
        heartbeatTimer = -1;
        heartbeatTick();
      });
    }
  }

  private void cancelHeartbeat() {
    if (heartbeatTimer >= 0) {
      vertx.cancelTimer(heartbeatTimer);
      heartbeatTimer = -1;
    }
  }

  /** Kafka's heartbeat thread loop, one turn: look the coordinator up, notice expiries, send what is due. */
  private void heartbeatTick() {
    if (closed || fatal != null || state.hasNotJoinedGroup()) {
      return;
    }
    long nowMs = System.currentTimeMillis();
    if (pollWaiting.getAsBoolean()) {
      heartbeat.poll(nowMs); // a poll in progress is a poll
    }
    if (channel.unknown()) {
      lookupCoordinator(nowMs);
      armHeartbeat(config.retryBackoffMs());
    } else if (heartbeat.sessionTimeoutExpired(nowMs)) {
      channel.markUnknown("session timed out without receiving a heartbeat response");
      armHeartbeat(config.retryBackoffMs());
    } else if (heartbeat.pollTimeoutExpired(nowMs)) {
      LOG.log(System.Logger.Level.WARNING, "Group " + groupId + ": consumer poll timeout has expired. The time between"
          + " polls was longer than max.poll.interval.ms (" + config.maxPollIntervalMs() + " ms): the member leaves the"
          + " group. Poll more often or return fewer records per poll (max.poll.records).");
      maybeLeaveGroup("consumer poll timeout has expired.");
    } else {
      if (heartbeat.shouldHeartbeat(nowMs)) {
        heartbeat.sent(nowMs);
        sendHeartbeat();
      }
      armHeartbeat(heartbeat.timeToNextCheck(nowMs));
    }
  }

  private void sendHeartbeat() {
    Generation sent = generation;
    channel.send(GroupApi.HEARTBEAT, new HeartbeatRequest(groupId, sent.generationId(), sent.memberId(), instanceId),
            HeartbeatResponse.class)
        .onComplete(ar -> onHeartbeatResponse(sent, ar.succeeded() ? MetadataSnapshot.errorOf(ar.result().error())
            : Errors.forException(ar.cause())));
  }

  private void onHeartbeatResponse(Generation sent, Errors error) {
    long nowMs = System.currentTimeMillis();
    if (closed) {
      return;
    }
    switch (error) {
      case NONE -> heartbeat.received(nowMs);
      case REBALANCE_IN_PROGRESS -> {
        // heartbeats go on during a rebalance: the coordinator keeps the member until the rebalance timeout
        heartbeat.received(nowMs);
        if (state == MemberState.STABLE) {
          requestRejoin("group is already rebalancing");
        }
      }
      case ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID -> {
        heartbeat.failed(nowMs);
        if (generation.equals(sent)) {
          if (error == Errors.FENCED_INSTANCE_ID) {
            fatal(new FencedInstanceIdException("The group instance id " + instanceId + " was fenced by another "
                + "instance (a second consumer with the same group.instance.id)"));
            return;
          }
          resetStateAndRejoin("encountered " + error + " from Heartbeat", error == Errors.UNKNOWN_MEMBER_ID);
        }
      }
      case COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR -> {
        channel.markUnknown(error + " on Heartbeat");
        heartbeat.failed(nowMs);
      }
      default -> heartbeat.failed(nowMs);
    }
    if (!state.hasNotJoinedGroup()) {
      armHeartbeat(heartbeat.timeToNextCheck(nowMs));
    }
  }

  // ---- leaving ----

  /**
   * Kafka's {@code maybeLeaveGroup}: a dynamic member that is in the group sends LeaveGroup (once,
   * not retried); a static member never does (its session ends it). Either way the member then has
   * no generation.
   */
  Future<Void> maybeLeaveGroup(String reason) {
    Future<Void> sent = Future.succeededFuture();
    if (instanceId == null && !channel.unknown() && state != MemberState.UNJOINED && generation.hasMemberId()) {
      LOG.log(System.Logger.Level.INFO, "Group " + groupId + ": member " + generation.memberId() + " leaves: " + reason);
      LeaveGroupRequest request = new LeaveGroupRequest(groupId,
          List.of(new LeaveGroupRequest.Member(generation.memberId(), null)));
      sent = channel.send(GroupApi.LEAVE_GROUP, request, LeaveGroupResponse.class).transform(ar -> {
        String error = ar.succeeded() ? ar.result().error() : ar.cause().toString();
        if (error != null) {
          LOG.log(System.Logger.Level.INFO, "Group " + groupId + ": LeaveGroup failed: " + error);
        }
        return Future.succeededFuture();
      });
    }
    joinFuture = null;
    resetStateAndRejoin("consumer pro-actively leaving the group", true);
    return sent;
  }

  /** Kafka's {@code onLeavePrepare}: the listener hears that everything is revoked (lost, if mid-rebalance). */
  private Future<Void> onLeavePrepare(Context caller, long deadlineMs) {
    SortedSet<TopicPartition> dropped = RebalanceListenerInvoker.sorted(subscriptions.assignment());
    if (!subscriptions.hasAutoAssignedPartitions() || dropped.isEmpty()) {
      return Future.succeededFuture();
    }
    boolean lost = generation.isReset() || state == MemberState.PREPARING_REBALANCE
        || state == MemberState.COMPLETING_REBALANCE;
    return afterListener(lost ? listeners.lost(dropped, caller) : listeners.revoked(dropped, caller), Set.of(),
        deadlineMs);
  }

  /**
   * Leaves the group (close, unsubscribe): with auto-commit, commits what was consumed first; waits
   * for the commits in flight; the listener hears about the partitions; then LeaveGroup. Completes
   * by {@code deadlineMs}; fails with the listener's error, if any, once all is done.
   */
  Future<Void> leave(long deadlineMs, Context caller, String reason) {
    Future<Void> committed = config.autoCommit()
        ? commits.commitSync(subscriptions.allConsumed(), deadlineMs).recover(error -> {
          LOG.log(System.Logger.Level.WARNING, "Group " + groupId + ": committing the consumed offsets failed: "
              + error.getMessage());
          return Future.succeededFuture();
        })
        : Future.succeededFuture();
    Future<Void> prepared = committed.compose(v -> commits.awaitInFlight(deadlineMs)).compose(v -> onLeavePrepare(caller, deadlineMs));
    return prepared.transform(listenerOutcome -> Retries.withDeadline(vertx, maybeLeaveGroup(reason), deadlineMs)
        .otherwiseEmpty().transform(left -> listenerOutcome.succeeded() ? Future.succeededFuture()
            : Future.failedFuture(listenerOutcome.cause())));
  }

  /** Stops heartbeats; nothing more is sent. */
  void close() {
    closed = true;
    cancelHeartbeat();
  }

  // ---- metadata ----

  /** On the context after each metadata refresh: a pattern's topics, and (leader) partition counts, may have changed. */
  void onMetadataUpdate() {
    if (closed) {
      return;
    }
    if (subscriptions.hasPatternSubscription() && metadata.hasAllTopics()
        && subscriptions.matchPattern(metadata.snapshot().knownTopics())) {
      metadata.addTopics(subscriptions.subscription());
      wake.run(); // the next poll joins with the new topics
    }
    if (assignmentSnapshot != null && !assignmentSnapshot.equals(
        LeaderAssignment.partitionCounts(metadata.snapshot(), assignmentSnapshot.keySet()))) {
      assignmentSnapshot = null;
      requestRejoin("the partitions of the group's topics changed since the assignment");
    }
  }

  // ---- OffsetCommits.Member ----

  @Override
  public Generation commitGeneration() {
    if (!subscriptions.hasAutoAssignedPartitions()) {
      return Generation.NO_GENERATION;
    }
    if (state == MemberState.STABLE) {
      return generation;
    }
    if (state == MemberState.PREPARING_REBALANCE || state == MemberState.COMPLETING_REBALANCE) {
      throw new RebalanceInProgressException("Offset commit cannot be completed since the consumer is undergoing a "
          + "rebalance for auto partition assignment. You can try completing the rebalance by calling poll() and then "
          + "retry the operation.");
    }
    throw new CommitFailedException("Offset commit cannot be completed since the consumer is not part of an active "
        + "group for auto partition assignment; it is likely that the consumer was kicked out of the group.");
  }

  @Override
  public String commitInstanceId() {
    return instanceId;
  }

  @Override
  public KafkaException onCommitError(Errors error, Generation sent) {
    boolean unchanged = generation.equals(sent);
    switch (error) {
      case FENCED_INSTANCE_ID:
        if (unchanged) {
          return (KafkaException) fatal(new FencedInstanceIdException("The group instance id " + instanceId
              + " was fenced by another instance"));
        }
        return state == MemberState.PREPARING_REBALANCE ? rebalanceInProgress() : new CommitFailedException();
      case REBALANCE_IN_PROGRESS:
        requestRejoin("offset commit failed since group is already rebalancing");
        return new RebalanceInProgressException("Offset commit cannot be completed since the consumer group is "
            + "executing a rebalance at the moment. You can try completing the rebalance by calling poll() and then "
            + "retry commit again");
      default: // UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION
        if (!unchanged && state == MemberState.PREPARING_REBALANCE) {
          return rebalanceInProgress();
        }
        if (subscriptions.hasAutoAssignedPartitions() && unchanged) {
          resetStateAndRejoin("encountered " + error + " from OffsetCommit", error == Errors.UNKNOWN_MEMBER_ID);
        }
        return new CommitFailedException();
    }
  }

  private static RebalanceInProgressException rebalanceInProgress() {
    return new RebalanceInProgressException("Offset commit cannot be completed since the consumer member's generation "
        + "is already stale, meaning it has already participated another rebalance and got a new generation. You can "
        + "try completing the rebalance by calling poll() and then retry commit again");
  }
}
