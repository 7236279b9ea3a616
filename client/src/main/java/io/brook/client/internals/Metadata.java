package io.brook.client.internals;

import io.brook.protocol.Addresses;
import io.brook.protocol.message.MetadataRequest;
import io.brook.protocol.message.MetadataResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A client's view of partition leaders for the topics it uses, refreshed from
 * {@code brook.api.metadata} on demand (unknown topic, leader errors) and at least every
 * {@code metadata.max.age.ms}.
 *
 * <p>A consumer subscribed by pattern asks for every topic ({@link #needAllTopics}): then each
 * answer lists the whole cluster and topics it leaves out are dropped (deleted).
 *
 * <p>Threads: {@link #snapshot()}, {@link #addTopics} and {@link #requestUpdate()} from any thread;
 * {@link #refresh()} and everything else on the client's context, which owns the in-flight state.
 * At most one metadata request is in flight; refreshes asked for meanwhile share the next one.
 */
public final class Metadata {
  private final Vertx vertx;
  private final Context context;
  private final Rpc rpc;
  private final long requestTimeoutMs;
  private final long backoffMs;
  private final Runnable onUpdate;
  private final Set<String> topics = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean updateScheduled = new AtomicBoolean();
  private final long periodicTimer;
  private volatile boolean allTopics;
  /** Whether an answer listing every topic has arrived since {@link #needAllTopics} was last switched on. */
  private volatile boolean allTopicsFresh;

  private volatile MetadataSnapshot snapshot = MetadataSnapshot.EMPTY;
  // owned by the context
  private Future<MetadataSnapshot> inFlight;
  private Promise<MetadataSnapshot> nextRound;
  private long lastRefreshStartMs;
  private int nextBroker;
  private volatile long lastSuccessStartMs = -1;
  private boolean closed;

  /** {@code onUpdate} runs on the context after each refresh, successful or not. */
  public Metadata(Vertx vertx, Context context, Rpc rpc, long requestTimeoutMs, long backoffMs, long maxAgeMs,
      Runnable onUpdate) {
    this.vertx = vertx;
    this.context = context;
    this.rpc = rpc;
    this.requestTimeoutMs = requestTimeoutMs;
    this.backoffMs = backoffMs;
    this.onUpdate = onUpdate;
    this.periodicTimer = vertx.setPeriodic(Math.max(1, maxAgeMs), id -> context.runOnContext(v -> refresh()));
  }

  public MetadataSnapshot snapshot() {
    return snapshot;
  }

  /**
   * When the last successful refresh started: a topic's state in the snapshot is at least that
   * fresh, so a record sent before it may trust an "unknown topic" answer.
   */
  public long lastSuccessStartMs() {
    return lastSuccessStartMs;
  }

  /** Adds topics to the ones refreshed; answers true if one of them is new. */
  public boolean addTopics(Collection<String> names) {
    return topics.addAll(names);
  }

  public boolean addTopic(String name) {
    return topics.add(name);
  }

  /** Every topic of the cluster from now on (true), or only those added (false). */
  public void needAllTopics(boolean all) {
    if (all && !allTopics) {
      allTopicsFresh = false;
    }
    allTopics = all;
  }

  /** Whether the snapshot lists every topic of the cluster, as an answer since {@code needAllTopics(true)} did. */
  public boolean hasAllTopics() {
    return allTopics && allTopicsFresh;
  }

  /** Asks for a refresh soon: at once, or {@code retry.backoff.ms} after the previous one started. */
  public void requestUpdate() {
    if (!updateScheduled.compareAndSet(false, true)) {
      return;
    }
    context.runOnContext(v -> {
      long waitMs = lastRefreshStartMs + backoffMs - System.currentTimeMillis();
      if (waitMs <= 0) {
        updateScheduled.set(false);
        refresh();
      } else {
        vertx.setTimer(waitMs, id -> context.runOnContext(w -> {
          updateScheduled.set(false);
          refresh();
        }));
      }
    });
  }

  /** On the context: a refresh that starts now or right after the one in flight. */
  public Future<MetadataSnapshot> refresh() {
    if (closed) {
      return Future.succeededFuture(snapshot);
    }
    if (inFlight == null) {
      return start();
    }
    if (nextRound == null) {
      nextRound = Promise.promise();
    }
    return nextRound.future();
  }

  /**
   * To a live broker it knows, in turn (watched: if its node leaves the cluster the request fails at
   * once), else to any broker: the cluster-wide address may route to a broker that just died, whose
   * registration the cluster manager has not dropped yet, and wait the whole timeout.
   */
  private Future<MetadataResponse> ask(MetadataRequest request) {
    List<String> members = rpc.clusterMembers();
    List<Map.Entry<Integer, String>> live = snapshot.brokerNodes().entrySet().stream()
        .filter(b -> members == null || members.contains(b.getValue()))
        .sorted(Map.Entry.comparingByKey()).toList();
    if (live.isEmpty()) {
      return rpc.request(Addresses.METADATA, request, requestTimeoutMs, MetadataResponse.class);
    }
    Map.Entry<Integer, String> broker = live.get(Math.floorMod(nextBroker++, live.size()));
    return rpc.request(Addresses.metadata(broker.getKey()), request, requestTimeoutMs, MetadataResponse.class,
        broker.getValue());
  }

  private Future<MetadataSnapshot> start() {
    long startMs = System.currentTimeMillis();
    lastRefreshStartMs = startMs;
    boolean all = allTopics;
    List<String> wanted = all ? List.of() : List.copyOf(topics); // an empty list asks for every topic
    Future<MetadataSnapshot> round = wanted.isEmpty() && !all
        ? Future.succeededFuture(snapshot)
        : ask(new MetadataRequest(wanted)).map(response -> {
          snapshot = snapshot.merge(response.topics(), all).withBrokers(response.brokers());
          allTopicsFresh = all;
          return snapshot;
        });
    inFlight = round;
    round.onComplete(ar -> {
      inFlight = null;
      if (ar.succeeded()) {
        lastSuccessStartMs = startMs;
      }
      Promise<MetadataSnapshot> waiting = nextRound;
      nextRound = null;
      if (waiting != null) {
        start().onComplete(waiting);
      }
      onUpdate.run();
    });
    return round;
  }

  /** On the context: no more refreshes. */
  public void close() {
    closed = true;
    vertx.cancelTimer(periodicTimer);
  }
}
