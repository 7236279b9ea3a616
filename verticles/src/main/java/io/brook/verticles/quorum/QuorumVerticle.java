package io.brook.verticles.quorum;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.ClusterView;
import io.brook.protocol.message.QuorumDescription;
import io.brook.quorum.ControlRecords;
import io.brook.quorum.ElectionStateFile;
import io.brook.quorum.MetaProperties;
import io.brook.quorum.Outbound;
import io.brook.quorum.PartitionQuorumLog;
import io.brook.quorum.QuorumConfig;
import io.brook.quorum.QuorumMessages.QuorumBeginEpoch;
import io.brook.quorum.QuorumMessages.QuorumFetchRequest;
import io.brook.quorum.QuorumMessages.QuorumFetchResponse;
import io.brook.quorum.QuorumMessages.QuorumStatus;
import io.brook.quorum.QuorumMessages.QuorumVoteRequest;
import io.brook.quorum.QuorumMessages.QuorumVoteResponse;
import io.brook.quorum.QuorumReplica;
import io.brook.quorum.ReplicaKey;
import io.brook.quorum.Role;
import io.brook.quorum.VoterHistory;
import io.brook.quorum.VoterSet;
import io.brook.storage.LogConfig;
import io.brook.storage.PartitionLog;
import io.brook.storage.Time;
import io.brook.verticles.ClusterConsumers;
import io.brook.verticles.ClusterMembership;
import io.brook.verticles.log.LogRequests;
import io.brook.verticles.metadata.MetadataTopic;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.NotControllerException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * This broker's replica of the cluster metadata log in the metadata quorum: the only owner of the
 * log {@code __cluster_metadata-0} and of the {@link QuorumReplica} (Raft) that decides what is in
 * it. It carries the replica's messages over the event bus ({@code brook.internal.quorum.<id>}),
 * holds followers' fetches while nothing is new (long poll), serves the local reads of the metadata
 * listener below the high watermark, appends the controller's records and answers once they are
 * committed, and publishes its state locally ({@link QuorumRequests.QuorumState}).
 *
 * <p>A broker whose log is empty and that knows no cluster joins the one it hears of, or, if it is the
 * designated founder and hears of none, founds one ({@link ClusterFounding}).
 *
 * <p>Deployed as a worker verticle on a pool of its own with one thread: every handler and timer
 * runs there, one at a time, so the log's fsyncs never block an event loop, and a busy data-partition
 * worker pool never delays an election.
 */
public final class QuorumVerticle extends VerticleBase {
  private static final System.Logger LOG = System.getLogger(QuorumVerticle.class.getName());
  static final String BUS_NODE_HEADER = "brook-bus-node";
  private static final long TICK_MS = 50;
  private static final long STATUS_MS = 1_000;
  private static final long APPEND_TIMEOUT_MS = 30_000;
  private static final long OBSERVER_SHOWN_MS = 60_000;
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);
  private static final DeliveryOptions LOCAL_RESTART = new DeliveryOptions().setLocalOnly(true).setSendTimeout(120_000);

  private final int nodeId;
  private final QuorumConfig config;
  private final MetadataLogDir dirs;
  private final Path logDir;
  private final LogConfig logConfig;
  private final Time time;
  private MetaProperties meta;
  private PartitionLog log;
  private QuorumReplica replica;
  private ClusterFounding founding;
  private final List<Parked> parked = new ArrayList<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final List<ClusterConsumers.Registration<?>> clusterConsumers = new ArrayList<>();
  private String leaderBusNode;
  private final Map<Integer, String> busNodes = new HashMap<>();
  private QuorumRequests.QuorumState published = QuorumRequests.QuorumState.UNKNOWN;
  private boolean caughtUp;
  private boolean yielding;

  /** A follower's fetch held until the log or the high watermark moves, or its wait ends. */
  private record Parked(Message<QuorumFetchRequest> message, long deadlineMs) {}

  /** An append or voter change answered once the high watermark passes {@code offset}. */
  private record Waiter(Message<?> message, long offset, int epoch, Object answer, long deadlineMs) {}

  public QuorumVerticle(int nodeId, QuorumConfig config, MetadataLogDir dirs, LogConfig logConfig, Time time) {
    this.nodeId = nodeId;
    this.config = config;
    this.dirs = dirs;
    this.logDir = dirs.logDir();
    this.logConfig = logConfig;
    this.time = time;
  }

  @Override
  public Future<?> start() throws Exception {
    meta = dirs.open();
    log = PartitionLog.open(logDir, logConfig, time);
    if (log.logEndOffset() > 0 && meta.clusterId().isEmpty()) {
      // a crash while founding a cluster: the voter set was written, the cluster id not yet
      LOG.log(System.Logger.Level.WARNING, "The metadata log of broker " + nodeId + " belongs to no cluster (a founding was "
          + "interrupted): starting it again empty");
      log.truncateFullyAndStartAt(0);
    }
    if (log.logEndOffset() == 0) {
      meta = dirs.adoptDataDirCluster(meta);
    }
    PartitionQuorumLog quorumLog = new PartitionQuorumLog(log);
    replica = new QuorumReplica(meta.replicaKey(), meta.clusterId().orElse(null), config, quorumLog,
        new ElectionStateFile(logDir), votersIn(quorumLog), new Random(), nowMs());
    founding = new ClusterFounding(vertx, nodeId, config.bootstrapFounderId(), config.bootstrapListenMs());
    LOG.log(System.Logger.Level.INFO, "Broker " + nodeId + " metadata replica " + replica + " in cluster "
        + meta.clusterId().orElse("(none yet)") + ", metadata log in " + dirs);
    EventBus bus = vertx.eventBus();
    clusterConsumers.add(ClusterConsumers.consumer(vertx, Addresses.quorum(nodeId), this::dispatch));
    clusterConsumers.add(ClusterConsumers.<QuorumStatus>consumer(vertx, Addresses.QUORUM_STATUS, m -> onStatus(m.body())));
    consumers.add(bus.<String>localConsumer(Addresses.LOCAL_NODE_LEFT, m -> onNodeLeft(m.body())));
    consumers.add(bus.<QuorumRequests.Append>localConsumer(Addresses.LOCAL_QUORUM_APPEND, this::onAppend));
    consumers.add(bus.<QuorumRequests.ChangeVoters>localConsumer(Addresses.LOCAL_QUORUM_VOTERS, this::onChangeVoters));
    consumers.add(bus.localConsumer(Addresses.LOCAL_QUORUM_DESCRIBE, m -> m.reply(describe())));
    consumers.add(bus.<Integer>localConsumer(Addresses.LOCAL_QUORUM_RESIGN, m -> onEvent(now ->
        replica.resignLeadership(m.body(), now))));
    consumers.add(bus.localConsumer(Addresses.localLog(MetadataTopic.NAME, 0), this::onLocalLogRequest));
    vertx.setPeriodic(TICK_MS, id -> onEvent(replica::tick));
    vertx.setPeriodic(STATUS_MS, id -> publishStatus());
    List<Future<Void>> registered = new ArrayList<>(consumers.stream().map(MessageConsumer::completion).toList());
    clusterConsumers.forEach(c -> registered.add(c.completion()));
    return Future.all(registered).onSuccess(done -> onEvent(now -> {}));
  }

  @Override
  public Future<?> stop() {
    parked.forEach(p -> BrookErrors.fail(p.message(), new NotControllerException("broker shutting down")));
    waiters.forEach(w -> BrookErrors.fail(w.message(), new NotControllerException("broker shutting down")));
    if (log != null) {
      log.close();
    }
    return Future.succeededFuture();
  }

  private static VoterHistory votersIn(PartitionQuorumLog log) {
    VoterHistory history = new VoterHistory();
    long offset = log.startOffset();
    while (offset < log.endOffset()) {
      MemoryRecords chunk = log.read(offset, 1 << 20);
      ControlRecords.votersIn(chunk).forEach(v -> history.add(v.offset(), v.voters()));
      long next = offset;
      for (var batch : chunk.batches()) {
        next = batch.nextOffset();
      }
      if (next <= offset) {
        break;
      }
      offset = next;
    }
    return history;
  }

  private static long nowMs() {
    return System.nanoTime() / 1_000_000;
  }

  // ---- every event ends here ----

  private interface Step {
    void run(long nowMs);
  }

  /** Runs one input into the replica, then sends what it asks, answers what it can, and publishes changes. */
  private void onEvent(Step step) {
    long now = nowMs();
    try {
      step.run(now);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "Metadata quorum replica of broker " + nodeId + " failed on an event", e);
    }
    for (Outbound out : replica.drainOutbox()) {
      send(out);
    }
    serveParked(now);
    settleWaiters(now);
    publishState(now);
    founding.maybeStart(replica, this::found);
  }

  // ---- votes and announcements ----

  /** The other replicas' messages, all on this broker's one quorum address. */
  @SuppressWarnings("unchecked")
  private void dispatch(Message<Object> message) {
    Object body = message.body();
    if (body instanceof QuorumFetchRequest) {
      onFetch((Message<QuorumFetchRequest>) (Message<?>) message);
    } else if (body instanceof QuorumVoteRequest) {
      onVote((Message<QuorumVoteRequest>) (Message<?>) message);
    } else if (body instanceof QuorumBeginEpoch begin) {
      onEvent(now -> replica.handleBeginEpoch(begin, now));
    } else if (body instanceof QuorumStatus status) {
      onStatus(status);
    } else {
      BrookErrors.fail(message, new InvalidRequestException(
          "not a metadata quorum message: " + (body == null ? "null" : body.getClass().getSimpleName())));
    }
  }

  private void onVote(Message<QuorumVoteRequest> message) {
    onEvent(now -> message.reply(replica.handleVote(message.body(), now), replyOptions()));
  }

  /** Every second: this broker's status to the cluster, and its state again locally (for verticles deployed later). */
  private void publishStatus() {
    QuorumStatus status = new QuorumStatus(replica.clusterId().orElse(null), nodeId, replica.epoch(), replica.leaderId(),
        busNode(), replica.voters().map(VoterSet::size).orElse(0));
    vertx.eventBus().publish(Addresses.QUORUM_STATUS, status);
    List<String> members = ClusterMembership.members(vertx);
    replica.voters().ifPresent(voters -> voters.ids().stream()
        .filter(id -> id != nodeId && (members == null || !busNodes.containsKey(id) || members.contains(busNodes.get(id))))
        .forEach(id -> vertx.eventBus().send(Addresses.quorum(id), status))); // keeps their addresses resolved
    vertx.eventBus().publish(Addresses.LOCAL_METADATA_HIGH_WATERMARK, published.highWatermark(), LOCAL);
    vertx.eventBus().publish(Addresses.LOCAL_QUORUM_STATE, published, LOCAL);
  }

  /** Another broker's status: the leader's announces it; a broker of no cluster yet learns the cluster id. */
  private void onStatus(QuorumStatus status) {
    busNodes.put(status.nodeId(), status.eventBusNodeId()); // a voter whose process is gone is not sent to
    if (status.nodeId() == nodeId || status.clusterId() == null) {
      founding.onClusterSeen(status);
      return;
    }
    founding.onClusterSeen(status);
    onEvent(now -> {
      if (replica.clusterId().isEmpty()) {
        join(status.clusterId());
      }
      if (!replica.clusterId().orElseThrow().equals(status.clusterId())) {
        founding.warnForeign(status);
        maybeYieldTo(status);
        return;
      }
      if (status.leaderId() == status.nodeId()) {
        if (status.epoch() >= replica.epoch()) {
          leaderBusNode = status.eventBusNodeId();
        }
        replica.handleBeginEpoch(new QuorumBeginEpoch(status.clusterId(), status.epoch(), status.leaderId()), now);
      }
    });
  }

  /**
   * A cluster this broker founded alone and that holds nothing but its founding is given up for the
   * real one ({@link LoneFounding}): the node restarts this broker on a metadata directory that
   * forgets it, and the new broker joins the cluster heard of.
   */
  private void maybeYieldTo(QuorumStatus status) {
    String own = replica.clusterId().orElseThrow();
    if (yielding || !LoneFounding.yieldsTo(nodeId, own, replica.voters(), status)
        || !LoneFounding.holdsOnlyItsFounding(new PartitionQuorumLog(log), nodeId)) {
      return;
    }
    yielding = true;
    LOG.log(System.Logger.Level.WARNING, "Broker " + nodeId + " founded cluster " + own + " alone and it holds nothing "
        + "but that founding (no topic, config, user or ACL), while broker " + status.nodeId() + " belongs to cluster "
        + status.clusterId() + " with " + status.voters() + " voter(s): broker " + nodeId + " gives its cluster up, "
        + "restarts and joins " + status.clusterId() + " (it was restarted on an empty disk while cut off from it?)");
    vertx.eventBus().request(Addresses.LOCAL_BROKER_RESTART, own, LOCAL_RESTART)
        .onFailure(e -> LOG.log(System.Logger.Level.ERROR, "Broker " + nodeId + " could not restart itself to leave cluster " + own
              + " (" + e.getMessage() + "): stop it, remove " + dirs.logDir() + " and the cluster.id line of its "
              + MetaProperties.NAME + ", and start it again")); // said once: no node here to restart it
  }

  private void join(String clusterId) {
    try {
      meta = dirs.recordClusterId(meta, clusterId);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot record cluster id " + clusterId + " in " + dirs.dir(), e);
    }
    replica.joinCluster(clusterId);
    LOG.log(System.Logger.Level.INFO, "Broker " + nodeId + " joins cluster " + clusterId);
  }

  /** Called by {@link ClusterFounding} while this broker holds the founding lock and heard of no cluster. */
  private void found() {
    onEvent(now -> {
      if (replica.clusterId().isPresent() || replica.logEndOffset() > 0) {
        return;
      }
      String clusterId = MetaProperties.newClusterId();
      replica.bootstrap(clusterId, now); // the voter set {this broker} is on disk first ...
      try {
        meta = dirs.recordClusterId(meta, clusterId); // ... then the cluster id: a crash between is undone at start
      } catch (IOException e) {
        throw new IllegalStateException("Cannot record cluster id " + clusterId + " in " + dirs.dir(), e);
      }
      LOG.log(System.Logger.Level.INFO, "Broker " + nodeId + " founded cluster " + clusterId
          + " (it is controller.quorum.bootstrap.founder.id and heard of no other cluster); it is the first voter of "
          + "the metadata quorum");
      publishStatus();
    });
  }

  private void onNodeLeft(String busNodeId) {
    if (busNodeId.equals(leaderBusNode)) {
      onEvent(now -> replica.onLeaderGone(replica.leaderId(), now));
    }
  }

  // ---- sending ----

  private void send(Outbound out) {
    EventBus bus = vertx.eventBus();
    if (out instanceof Outbound.SendVote vote) {
      DeliveryOptions options = new DeliveryOptions().setSendTimeout(config.requestTimeoutMs());
      bus.<QuorumVoteResponse>request(Addresses.quorum(vote.to()), vote.request(), options).onComplete(done -> {
        if (done.succeeded()) {
          onEvent(now -> replica.onVoteResponse(vote.to(), done.result().body(), now));
        } else {
          onEvent(now -> replica.onVoteFailed(vote.to(), now));
        }
      });
    } else if (out instanceof Outbound.SendFetch fetch) {
      long timeout = fetch.request().maxWaitMs() + config.requestTimeoutMs();
      bus.<QuorumFetchResponse>request(Addresses.quorum(fetch.to()), fetch.request(),
          new DeliveryOptions().setSendTimeout(timeout)).onComplete(done -> {
            if (done.succeeded()) {
              String busNode = done.result().headers().get(BUS_NODE_HEADER);
              onEvent(now -> {
                replica.onFetchResponse(fetch.to(), fetch.fetchId(), done.result().body(), now);
                if (busNode != null && replica.leaderId() == fetch.to()) {
                  leaderBusNode = busNode;
                }
              });
            } else {
              onEvent(now -> replica.onFetchFailed(fetch.fetchId(), now));
            }
          });
    } else if (out instanceof Outbound.SendBeginEpoch begin) {
      bus.send(Addresses.quorum(begin.to()), begin.message());
    }
  }

  private DeliveryOptions replyOptions() {
    return new DeliveryOptions().addHeader(BUS_NODE_HEADER, busNode());
  }

  private String busNode() {
    return ClusterView.of(vertx).selfIdOr(Integer.toString(nodeId));
  }

  // ---- fetches from other replicas ----

  private void onFetch(Message<QuorumFetchRequest> message) {
    onEvent(now -> {
      if (!answer(message, message.body(), now)) {
        parked.add(new Parked(message, now + Math.min(message.body().maxWaitMs(), config.fetchMaxWaitMs())));
      }
    });
  }

  /** True if answered; false if the replica holds it (nothing new yet). */
  private boolean answer(Message<QuorumFetchRequest> message, QuorumFetchRequest request, long now) {
    QuorumReplica.FetchVerdict verdict = replica.handleFetch(request, now);
    if (verdict instanceof QuorumReplica.FetchVerdict.Answer answer) {
      message.reply(answer.response(), replyOptions());
      return true;
    }
    return false;
  }

  private void serveParked(long now) {
    for (Iterator<Parked> it = parked.iterator(); it.hasNext(); ) {
      Parked p = it.next();
      QuorumFetchRequest request = p.message().body();
      if (now >= p.deadlineMs()) {
        request = withKnownHighWatermark(request, -1); // its wait is over: answer, empty if need be
      }
      if (answer(p.message(), request, now)) {
        it.remove();
      }
    }
  }

  private static QuorumFetchRequest withKnownHighWatermark(QuorumFetchRequest r, long highWatermark) {
    return new QuorumFetchRequest(r.clusterId(), r.replicaId(), r.directoryId(), r.epoch(), r.fetchOffset(),
        r.lastFetchedEpoch(), highWatermark, r.maxBytes(), r.maxWaitMs(), r.lastResponseSentMs());
  }

  // ---- the controller's appends and voter changes ----

  private void onAppend(Message<QuorumRequests.Append> message) {
    onEvent(now -> {
      QuorumRequests.Append append = message.body();
      try {
        long last = replica.appendAsLeader(append.records(), append.epoch());
        long base = last - recordCount(append.records()) + 1;
        waiters.add(new Waiter(message, last, append.epoch(), base, now + APPEND_TIMEOUT_MS));
      } catch (RuntimeException e) {
        BrookErrors.fail(message, e);
      }
    });
  }

  private static long recordCount(MemoryRecords records) {
    long count = 0;
    for (var batch : records.batches()) {
      count += batch.lastOffset() - batch.baseOffset() + 1;
    }
    return count;
  }

  private void onChangeVoters(Message<QuorumRequests.ChangeVoters> message) {
    onEvent(now -> {
      QuorumRequests.ChangeVoters change = message.body();
      try {
        VoterSet current = replica.voters().orElseThrow();
        VoterSet next;
        if (change.add()) {
          ReplicaKey key = replica.caughtUpObserver(change.nodeId(), now).orElseThrow(() ->
              new InvalidRequestException("Broker " + change.nodeId()
                  + " has not caught up with the metadata log yet"));
          next = current.key(change.nodeId()).isPresent() ? current.without(change.nodeId()) : current.with(key);
        } else {
          next = current.without(change.nodeId());
        }
        long offset = replica.appendVoters(next, change.epoch(), now);
        LOG.log(System.Logger.Level.INFO, "Metadata quorum voters change to " + next + " at offset " + offset);
        waiters.add(new Waiter(message, offset, change.epoch(), offset, now + APPEND_TIMEOUT_MS));
      } catch (RuntimeException e) {
        BrookErrors.fail(message, e);
      }
    });
  }

  private void settleWaiters(long now) {
    boolean leading = replica.role() == Role.LEADER;
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter w = it.next();
      if (leading && replica.epoch() == w.epoch() && replica.highWatermark() > w.offset()) {
        it.remove();
        w.message().reply(w.answer());
      } else if (!leading || replica.epoch() != w.epoch()) {
        it.remove();
        BrookErrors.fail(w.message(), new NotControllerException("Broker " + nodeId + " stopped leading metadata epoch "
            + w.epoch() + " before offset " + w.offset() + " was committed"));
      } else if (now >= w.deadlineMs()) {
        it.remove();
        BrookErrors.fail(w.message(), new TimeoutException("Offset " + w.offset() + " of the metadata log was not "
            + "committed by a majority of the voters in " + APPEND_TIMEOUT_MS + " ms"));
      }
    }
  }

  // ---- the local metadata listener's reads ----

  private void onLocalLogRequest(Message<Object> message) {
    onEvent(now -> {
      try {
        if (message.body() instanceof LogRequests.Read read) {
          long to = Math.min(read.maxOffset(), replica.highWatermark());
          ByteBuffer records = read.offset() >= to ? ByteBuffer.allocate(0)
              : log.read(read.offset(), read.maxBytes(), to, true).readFully();
          message.reply(new LogRequests.ReadDone(records, offsets()));
        } else if (message.body() instanceof LogRequests.Describe) {
          message.reply(offsets());
        } else {
          throw new IllegalArgumentException("the metadata log takes no " + message.body());
        }
      } catch (RuntimeException e) {
        BrookErrors.fail(message, e);
      }
    });
  }

  private LogRequests.LogOffsets offsets() {
    return new LogRequests.LogOffsets(log.logStartOffset(), log.logEndOffset(), log.sizeInBytes(),
        log.numberOfSegments(), log.recoveryPoint(), log.latestEpoch().orElse(-1), replica.highWatermark());
  }

  // ---- what the rest of the broker sees ----

  private void publishState(long now) {
    caughtUp |= replica.highWatermarkIsCurrent(); // from then on the high watermark is not a stale disk's
    long leaseEndMs = replica.leaseEndMs(now);
    long leaseEndNanos = leaseEndMs < 0 ? Long.MIN_VALUE : leaseEndMs * 1_000_000;
    QuorumRequests.QuorumState state = new QuorumRequests.QuorumState(replica.epoch(), replica.leaderId(),
        replica.leadsWithCommittedEpoch(), leaseEndNanos, replica.highWatermark(), caughtUp, replica.isVoter(),
        replica.voters().map(VoterSet::size).orElse(0), replica.clusterId().orElse(null));
    boolean changed = state.epoch() != published.epoch() || state.leaderId() != published.leaderId()
        || !java.util.Objects.equals(state.clusterId(), published.clusterId())
        || state.leading() != published.leading() || state.highWatermark() != published.highWatermark()
        || state.caughtUp() != published.caughtUp() || state.voter() != published.voter()
        || state.voters() != published.voters() || leaseEndNanos - published.leaseEndNanos() > 100_000_000L
        || (leaseEndNanos < 0) != (published.leaseEndNanos() < 0);
    if (!changed) {
      return;
    }
    if (state.leaderId() != published.leaderId() || state.epoch() != published.epoch()) {
      LOG.log(System.Logger.Level.INFO, "Metadata quorum: broker " + nodeId + " sees leader " + state.leaderId()
          + " at epoch " + state.epoch() + " (" + replica.role() + ")");
    }
    if (state.highWatermark() != published.highWatermark()) {
      vertx.eventBus().publish(Addresses.LOCAL_METADATA_HIGH_WATERMARK, state.highWatermark(), LOCAL);
    }
    published = state;
    vertx.eventBus().publish(Addresses.LOCAL_QUORUM_STATE, state, LOCAL);
  }

  private QuorumDescription describe() {
    long now = nowMs();
    List<QuorumDescription.Replica> replicas = new ArrayList<>();
    VoterSet voters = replica.voters().orElse(null);
    Map<Integer, QuorumReplica.ReplicaProgress> progress = replica.replicaProgress(now);
    long end = replica.logEndOffset();
    if (voters != null) {
      for (ReplicaKey voter : voters.keys()) {
        replicas.add(row(voter.id(), voter.directoryId(), true, progress.get(voter.id()), end));
      }
    }
    progress.values().stream().filter(p -> voters == null || !voters.isVoter(p.key()))
        .filter(p -> p.lastFetchAgeMs() < OBSERVER_SHOWN_MS) // a broker gone for good stops being listed
        .forEach(p -> replicas.add(row(p.key().id(), p.key().directoryId(), false, p, end)));
    return new QuorumDescription(replica.epoch(), replica.leaderId(), replica.highWatermark(), end, replicas);
  }

  private QuorumDescription.Replica row(int id, String directoryId, boolean voter, QuorumReplica.ReplicaProgress p,
      long leaderEnd) {
    if (id == nodeId) {
      return new QuorumDescription.Replica(id, directoryId, voter, leaderEnd, 0, -1);
    }
    if (p == null || !p.key().directoryId().equals(directoryId)) {
      return new QuorumDescription.Replica(id, directoryId, voter, -1, -1, -1);
    }
    return new QuorumDescription.Replica(id, directoryId, voter, p.endOffset(), Math.max(0, leaderEnd - p.endOffset()),
        p.lastFetchAgeMs());
  }
}
