package io.brook.web.api;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.message.FetchRequest;
import io.brook.protocol.message.FetchResponse;
import io.brook.protocol.message.ListOffsetsRequest;
import io.brook.protocol.message.ListOffsetsResponse;
import io.brook.protocol.message.MetadataRequest;
import io.brook.protocol.message.MetadataResponse;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.ProduceRequest;
import io.brook.protocol.message.ProduceResponse;
import io.brook.protocol.message.TopicMetadata;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import org.apache.kafka.common.errors.LeaderNotAvailableException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.protocol.Errors;

/**
 * The HTTP API's way to the brokers: typed requests over the (clustered) event bus with a timeout,
 * partition leaders from a {@link MetadataCache}, and one refresh-and-retry when a leader has moved
 * or a stale cache named a wrong one. A partition request is retried only after errors that prove it
 * was not applied (never after a timeout); reads that any broker answers from its metadata image are
 * retried after timeouts ({@link #requestAnyBroker}).
 *
 * <p>The event bus does not fail a request whose recipient died: a produce sent to a leader that was
 * killed would wait out its whole timeout (the request's {@code timeoutMs} plus the API's own). So a
 * request still pending after {@link #LEADER_CHECK_MS} checks, as often, that its leader still leads
 * (metadata at most that old, shared by every pending request of the topic); once another broker
 * leads the partition (or none does), the request fails with {@link LeaderMovedException}
 * ({@code NOT_LEADER_OR_FOLLOWER}, retriable). A read is then retried on the new leader, and so is a
 * produce whose batch carries a producer id (the new leader drops it if it has it); a plain produce is
 * not (it may have been written before the leader died): its client decides. Owned by its verticle's
 * event loop.
 */
public final class BrokerClient {
  /** Replies that mean "ask the metadata again": the request reached no leader of the partition. */
  private static final Set<Errors> REFRESH_ERRORS = Set.of(
      Errors.NOT_LEADER_OR_FOLLOWER, Errors.UNKNOWN_TOPIC_OR_PARTITION, Errors.LEADER_NOT_AVAILABLE,
      Errors.FENCED_LEADER_EPOCH);

  /** How long one attempt of a read any broker answers from its image may take; see {@link #requestAnyBroker}. */
  static final long ANY_BROKER_ATTEMPT_MS = 2_000;
  static final long ANY_BROKER_BACKOFF_MS = 100;

  /** How long a request waits at a leader before checking that the leader still leads, and how often. */
  static final long LEADER_CHECK_MS = 1_000;

  /** The partition's leader changed while a request to the old one was pending; it may have been applied. */
  public static final class LeaderMovedException extends NotLeaderOrFollowerException {
    private static final long serialVersionUID = 1L;

    LeaderMovedException(String message) {
      super(message);
    }
  }

  /** Where a route finds the client of its caller ({@link #as}), put there by the authentication handler. */
  static final String CALLER_KEY = "brook.caller-broker-client";

  private final Vertx vertx;
  private final int requestTimeoutMs;
  private final MetadataCache cache;
  /** The caller's principal and host (event bus headers), or empty for the listener's own requests. */
  private final Map<String, String> callerHeaders;
  /** Whether the brokers check callers against ACLs ({@code authorizer.enabled}). */
  private final boolean aclsChecked;

  public BrokerClient(Vertx vertx, int requestTimeoutMs, long metadataMaxAgeMs, boolean aclsChecked) {
    this.vertx = vertx;
    this.requestTimeoutMs = requestTimeoutMs;
    this.cache = new MetadataCache(this::metadata, System::currentTimeMillis, metadataMaxAgeMs);
    this.callerHeaders = Map.of();
    this.aclsChecked = aclsChecked;
  }

  private BrokerClient(BrokerClient shared, Map<String, String> callerHeaders) {
    this.vertx = shared.vertx;
    this.requestTimeoutMs = shared.requestTimeoutMs;
    this.cache = shared.cache;
    this.callerHeaders = callerHeaders;
    this.aclsChecked = shared.aclsChecked;
  }

  /**
   * This client acting for {@code principal} connected from {@code host}: every request carries them, and
   * the broker that serves it checks them against the ACLs. The metadata cache stays shared: it only finds
   * leaders, with the listener's own (unchecked) requests.
   */
  public BrokerClient as(String principal, String host) {
    return new BrokerClient(this, Map.of(Addresses.PRINCIPAL_HEADER, principal, Addresses.CLIENT_HOST_HEADER, host));
  }

  /** The event bus headers naming the caller (principal, host); empty for the listener's own requests. */
  public Map<String, String> callerHeaders() {
    return callerHeaders;
  }

  /** The caller's principal ({@code User:name}), or "" for the listener's own requests. */
  public String principal() {
    return callerHeaders.getOrDefault(Addresses.PRINCIPAL_HEADER, "");
  }

  /** The client acting for the caller of this route. */
  public static BrokerClient of(io.vertx.ext.web.RoutingContext ctx) {
    return java.util.Objects.requireNonNull(ctx.get(CALLER_KEY), "no authenticated caller on this route");
  }

  /** Sends {@code body} to {@code address} and answers the reply's body. */
  public <T> Future<T> request(String address, Object body, long timeoutMs) {
    return vertx.eventBus().<T>request(address, body, options().setSendTimeout(timeoutMs)).map(Message::body);
  }

  private DeliveryOptions options() {
    DeliveryOptions options = new DeliveryOptions();
    callerHeaders.forEach(options::addHeader);
    return options;
  }

  public <T> Future<T> request(String address, Object body) {
    return request(address, body, requestTimeoutMs);
  }

  /** Fresh metadata from any broker. */
  public Future<MetadataResponse> metadata(MetadataRequest request) {
    return requestAnyBroker(Addresses.METADATA, request);
  }

  /**
   * A quick read that any broker answers from its own metadata image ({@code brook.api.metadata},
   * {@code list-topics}): each attempt waits {@link #ANY_BROKER_ATTEMPT_MS} at most and a timed-out or
   * unanswered one is sent again (the event bus picks the next broker) until the request timeout. A
   * broker that died keeps its consumers registered until the cluster manager notices (a ZooKeeper
   * session, 6 s), and a request it was picked for would otherwise wait the whole request timeout.
   * Only timeouts and NOT_READY (LEADER_NOT_AVAILABLE: that broker has not caught up yet) are retried.
   */
  public <T> Future<T> requestAnyBroker(String address, Object body) {
    return retryingTimeouts(address, body, ANY_BROKER_ATTEMPT_MS);
  }

  /**
   * An idempotent request sent again, until the request timeout, whenever an attempt gets no answer
   * within {@code attemptMs}: the broker (or the controller it forwarded to) it reached may be dead.
   */
  public <T> Future<T> retryingTimeouts(String address, Object body, long attemptMs) {
    return retryingTimeouts(address, body, attemptMs, System.currentTimeMillis() + requestTimeoutMs);
  }

  private <T> Future<T> retryingTimeouts(String address, Object body, long attemptMs, long deadlineMs) {
    long leftMs = deadlineMs - System.currentTimeMillis();
    return this.<T>request(address, body, Math.max(1, Math.min(attemptMs, leftMs))).recover(failure -> {
      // a timeout (the broker picked may be dead; no handler anywhere fails at once, and stays failed), or a
      // broker that has not caught up with the metadata yet (LEADER_NOT_AVAILABLE): the next attempt goes elsewhere
      Errors error = BrookErrors.errorOf(failure);
      if ((error != Errors.REQUEST_TIMED_OUT && error != Errors.LEADER_NOT_AVAILABLE)
          || System.currentTimeMillis() + ANY_BROKER_BACKOFF_MS >= deadlineMs) {
        return Future.failedFuture(failure);
      }
      Promise<T> again = Promise.promise();
      vertx.setTimer(ANY_BROKER_BACKOFF_MS,
          id -> this.<T>retryingTimeouts(address, body, attemptMs, deadlineMs).onComplete(again));
      return again.future();
    });
  }

  /** The topic's metadata, cached. */
  /**
   * The topic's metadata. Acting for a caller while ACLs are checked, it is asked of a broker as that
   * caller, never taken from the shared cache: the cache would tell a caller who may not describe the
   * topic whether it exists and what its partitions are.
   */
  public Future<TopicMetadata> topic(String name) {
    if (callerHeaders.isEmpty() || !aclsChecked) {
      return cache.topic(name);
    }
    return this.<MetadataResponse>requestAnyBroker(Addresses.METADATA, new MetadataRequest(List.of(name)))
        .map(response -> MetadataCache.topicIn(name, response));
  }

  public void invalidate(String topic) {
    cache.invalidate(topic);
  }

  /**
   * Runs {@code call} against the partition's leader; refreshes metadata and retries once if it moved.
   * A request the leader may have applied before it moved ({@link LeaderMovedException}) is retried only
   * when {@code idempotent}.
   */
  public <T> Future<T> onLeader(String topic, int partition, boolean idempotent, IntFunction<Future<T>> call) {
    return leaderOf(topic, partition).compose(leader -> watched(topic, leader, call.apply(leader.leader())))
        .recover(failure -> {
          if (!REFRESH_ERRORS.contains(BrookErrors.errorOf(failure))
              || failure instanceof LeaderMovedException && !idempotent) {
            return Future.failedFuture(failure);
          }
          cache.invalidate(topic);
          return leaderOf(topic, partition).compose(leader -> watched(topic, leader, call.apply(leader.leader())));
        });
  }

  /**
   * {@code reply}, failed early once metadata shows a newer leader epoch with another leader (or none)
   * than {@code sentTo}, the partition as it was when the request was sent. Comparing epochs, not only
   * leaders, keeps a broker whose metadata lags from failing a request sent to the new leader.
   */
  private <T> Future<T> watched(String topic, PartitionMetadata sentTo, Future<T> reply) {
    if (reply.isComplete()) {
      return reply;
    }
    Promise<T> answer = Promise.promise();
    long timer = vertx.setPeriodic(LEADER_CHECK_MS, id -> cache.topic(topic, LEADER_CHECK_MS).onSuccess(metadata -> {
      PartitionMetadata now = metadata.partitions().stream().filter(p -> p.partition() == sentTo.partition())
          .findFirst().orElse(null);
      if (now != null && now.leaderEpoch() > sentTo.leaderEpoch() && now.leader() != sentTo.leader()) {
        answer.tryFail(new LeaderMovedException("the leader of " + topic + "-" + sentTo.partition() + ", broker "
            + sentTo.leader() + ", lost the partition while the request was pending (" + (now.leader() < 0
            ? "no leader" : "broker " + now.leader() + " leads") + " now at epoch " + now.leaderEpoch()
            + "); it may or may not have been applied"));
      }
    }));
    reply.onComplete(done -> {
      if (done.succeeded()) {
        answer.tryComplete(done.result());
      } else {
        answer.tryFail(done.cause());
      }
    });
    return answer.future().andThen(done -> vertx.cancelTimer(timer));
  }

  public Future<ProduceResponse> produce(ProduceRequest request) {
    return produce(request, false);
  }

  /**
   * Appends the request's batches at the partition's leader. {@code idempotent}: its batch carries a
   * producer id and sequence, so a leader that has it answers a copy sent again with its first offsets;
   * such a request is retried once on the new leader after {@link LeaderMovedException}.
   */
  public Future<ProduceResponse> produce(ProduceRequest request, boolean idempotent) {
    if (request.acks() == ProduceRequest.ACKS_NONE) {
      // acks=0: the broker does not answer, so neither do we wait
      return onLeader(request.topic(), request.partition(), false, leader -> {
        vertx.eventBus().send(Addresses.produce(leader), request, options());
        return Future.succeededFuture(new ProduceResponse(-1L, -1L, -1L));
      });
    }
    return onLeader(request.topic(), request.partition(), idempotent,
        leader -> request(Addresses.produce(leader), request, request.timeoutMs() + (long) requestTimeoutMs));
  }

  public Future<FetchResponse> fetch(FetchRequest request) {
    return onLeader(request.topic(), request.partition(), true,
        leader -> request(Addresses.fetch(leader), request, request.maxWaitMs() + (long) requestTimeoutMs));
  }

  public Future<ListOffsetsResponse> listOffsets(String topic, int partition, long timestamp) {
    return onLeader(topic, partition, true,
        leader -> request(Addresses.listOffsets(leader), new ListOffsetsRequest(topic, partition, timestamp)));
  }

  /** The partition's metadata, or UNKNOWN_TOPIC_OR_PARTITION when the topic has no such partition. */
  public static PartitionMetadata partitionOf(TopicMetadata topic, int partition) {
    return topic.partitions().stream()
        .filter(p -> p.partition() == partition)
        .findFirst()
        .orElseThrow(() -> new UnknownTopicOrPartitionException("Topic '" + topic.name() + "' has no partition "
            + partition + " (it has " + topic.partitions().size() + ")"));
  }

  /** The partition as the cache knows it, with a leader; LEADER_NOT_AVAILABLE when it has none. */
  private Future<PartitionMetadata> leaderOf(String topic, int partition) {
    return cache.topic(topic).map(metadata -> {
      PartitionMetadata found = partitionOf(metadata, partition);
      if (found.leader() < 0) {
        throw new LeaderNotAvailableException(topic + "-" + partition + " has no leader right now");
      }
      return found;
    });
  }
}
