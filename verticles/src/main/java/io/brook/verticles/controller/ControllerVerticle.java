package io.brook.verticles.controller;

import io.brook.metadata.BrokerRegistration;
import io.brook.metadata.ControllerConfig;
import io.brook.metadata.ControllerResult;
import io.brook.metadata.ControllerState;
import io.brook.metadata.FenceBroker;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.MetadataRecord;
import io.brook.metadata.RegisterBroker;
import io.brook.metadata.TopicConfigValidator;
import io.brook.metadata.UnfenceBroker;
import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.message.BrokerHeartbeatRequest;
import io.brook.protocol.message.ClusterDescription;
import io.brook.protocol.message.DescribeClusterRequest;
import io.brook.protocol.message.QuorumDescription;
import io.brook.protocol.message.UnregisterBrokerRequest;
import io.brook.verticles.BrokerConfig;
import io.brook.verticles.ClusterConsumers;
import io.brook.verticles.ClusterMembership;
import io.brook.verticles.metadata.MetadataImages;
import io.brook.verticles.metadata.MetadataTopic;
import io.brook.verticles.quorum.QuorumRequests;
import io.brook.verticles.quorum.QuorumRequests.QuorumState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.NotControllerException;

/**
 * The active controller, on whichever broker leads the metadata quorum: owns the
 * {@link ControllerState}, and serves brokers' registrations, heartbeats and ISR changes and the admin
 * requests on {@code brook.internal.broker.<id>.controller}. Every broker deploys it; it takes over
 * when its broker's quorum replica leads and has committed an entry of its epoch (its log then holds
 * every committed record), rebuilds its state from the committed image, and stops when the replica
 * stops leading. It acts only while the quorum's lease holds (a majority of voters fetched within
 * the fetch timeout), so a controller that was cut off or frozen acts on nothing once another may
 * have been elected; and nothing it writes counts before a majority of voters have it.
 *
 * <p>Requests are served one at a time: plan on the state, append the records through the quorum
 * (answered once committed), replay them, answer. The state thus only ever holds committed records.
 * It also keeps the voters of the quorum at {@code controller.quorum.size}: brokers that registered
 * and caught up are added, one at a time.
 *
 * <p>Runs on one event loop.
 */
public final class ControllerVerticle extends VerticleBase {
  private static final System.Logger LOG = System.getLogger(ControllerVerticle.class.getName());
  private static final long TICK_MS = 1_000;
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true).setSendTimeout(60_000);

  private final BrokerConfig broker;
  private final ControllerConfig config;
  private final int quorumSize;
  private final TopicConfigValidator validator;
  private final ArrayDeque<Op> queue = new ArrayDeque<>();
  private MetadataImage latestImage = MetadataImage.EMPTY;
  private Promise<MetadataImage> imageWait;
  private long imageWaitOffset;
  private QuorumState quorum = QuorumState.UNKNOWN;
  private ControllerState state;
  private int epoch = -1;
  private ClusterConsumers.Registration<Object> requests;
  private long tickTimer = -1;
  private boolean busy;

  /** A request to serve ({@code message} null for the controller's own work). */
  private record Op(Object request, Message<Object> message) {}

  private record Tick() {}

  private record NewEpoch() {}

  /** Keep the quorum's voters at {@code controller.quorum.size}. */
  private record VoterCheck() {}

  /** The cluster manager says this registration's process is gone; fences that registration, not a newer one. */
  private record FenceHint(int nodeId, long brokerEpoch) {}

  public ControllerVerticle(BrokerConfig broker, ControllerConfig config, int quorumSize, TopicConfigValidator validator) {
    this.broker = broker;
    this.config = config;
    this.quorumSize = quorumSize;
    this.validator = validator;
  }

  @Override
  public Future<?> start() {
    return Future.all(
        MetadataImages.follow(vertx, this::onImage),
        vertx.eventBus().<QuorumState>localConsumer(Addresses.LOCAL_QUORUM_STATE, m -> onQuorumState(m.body()))
            .completion(),
        vertx.eventBus().<String>localConsumer(Addresses.LOCAL_NODE_LEFT, m -> onNodeLeft(m.body())).completion());
  }

  @Override
  public Future<?> stop() {
    deactivate("broker shutting down");
    return Future.succeededFuture();
  }

  // ---- becoming and ceasing to be controller ----

  private void onQuorumState(QuorumState next) {
    quorum = next;
    boolean leads = next.leading() && next.leaderId() == broker.nodeId();
    if (leads && epoch != next.epoch()) {
      deactivate("a new metadata epoch " + next.epoch());
      activate(next.epoch(), next.highWatermark());
    } else if (!leads && epoch >= 0) {
      deactivate("the metadata quorum is led by " + next.leaderId() + " at epoch " + next.epoch());
    }
    processNext();
  }

  /** The quorum leader's log holds every committed record: build the state from the image once it has them all. */
  private void activate(int newEpoch, long committedEnd) {
    LOG.log(System.Logger.Level.INFO, "Broker " + broker.nodeId() + " is the controller at epoch " + newEpoch);
    epoch = newEpoch;
    awaitImage(committedEnd - 1).onComplete(done -> {
      if (epoch != newEpoch) {
        return; // stepped down meanwhile
      }
      if (done.failed()) {
        LOG.log(System.Logger.Level.ERROR, "Controller " + broker.nodeId() + " could not read the metadata log up to "
            + committedEnd + "; it resigns", done.cause());
        resign();
        return;
      }
      MetadataImage image = done.result();
      state = new ControllerState(image, config, new Random(), validator);
      queue.addFirst(new Op(new NewEpoch(), null));
      fenceBrokersAlreadyGone(image);
      requests = ClusterConsumers.consumer(vertx, Addresses.controller(broker.nodeId()), m -> enqueue(m.body(), m));
      tickTimer = vertx.setPeriodic(TICK_MS, id -> onTick());
      processNext();
    });
  }

  private void deactivate(String reason) {
    if (epoch < 0) {
      return;
    }
    LOG.log(System.Logger.Level.INFO, "Broker " + broker.nodeId() + " stops being controller (" + reason + ")");
    epoch = -1;
    state = null;
    vertx.cancelTimer(tickTimer);
    if (requests != null) {
      requests.unregister();
      requests = null;
    }
    NotControllerException notController = new NotControllerException("Broker " + broker.nodeId() + " is no longer the controller");
    queue.forEach(op -> {
      if (op.message() != null) {
        BrookErrors.fail(op.message(), notController);
      }
    });
    queue.clear();
  }

  /**
   * The log may hold a write of this epoch that was not answered (it may still be committed): this
   * state may no longer match the log. Leadership passes on, and the next controller (maybe this
   * broker again, at a higher epoch) rebuilds from the committed log.
   */
  private void resign() {
    vertx.eventBus().send(Addresses.LOCAL_QUORUM_RESIGN, epoch, LOCAL);
    deactivate("resigned");
  }

  private void onImage(MetadataImage image) {
    latestImage = image;
    if (imageWait != null && image.lastOffset() >= imageWaitOffset) {
      Promise<MetadataImage> waiting = imageWait;
      imageWait = null;
      waiting.complete(image);
    }
  }

  /** The local image once it holds every record up to {@code lastOffset}. */
  private Future<MetadataImage> awaitImage(long lastOffset) {
    if (latestImage.lastOffset() >= lastOffset) {
      return Future.succeededFuture(latestImage);
    }
    imageWait = Promise.promise();
    imageWaitOffset = lastOffset;
    Promise<MetadataImage> waiting = imageWait;
    vertx.setTimer(30_000, timer -> waiting.tryFail("the metadata log was not applied up to " + lastOffset + " in 30 s"));
    return waiting.future();
  }

  /** Acts only while no other controller can exist: the quorum's lease, in this controller's epoch. */
  private boolean mayAct() {
    return state != null && quorum.epoch() == epoch && quorum.leaseHolds();
  }

  // ---- serving ----

  private void enqueue(Object request, Message<Object> message) {
    queue.add(new Op(request, message));
    processNext();
  }

  private void onTick() {
    if (queue.stream().noneMatch(op -> op.request() instanceof Tick)) {
      enqueue(new Tick(), null);
    }
    if (queue.stream().noneMatch(op -> op.request() instanceof VoterCheck)) {
      enqueue(new VoterCheck(), null);
    }
  }

  /**
   * A broker that died with the previous controller left before this one could hear it go: fence it
   * now rather than after a whole session timeout (it re-registers if it is in fact alive). This
   * broker's own previous incarnation too (a restart of the only node, or of the controller's): its
   * event bus node is gone, and until it is fenced this incarnation's registration is refused.
   */
  private void fenceBrokersAlreadyGone(MetadataImage image) {
    List<String> members = ClusterMembership.members(vertx);
    if (members == null) {
      return;
    }
    image.brokers().values().stream()
        .filter(b -> !b.fenced() && !members.contains(b.eventBusNodeId()))
        .forEach(b -> queue.add(new Op(new FenceHint(b.nodeId(), b.brokerEpoch()), null)));
  }

  private void onNodeLeft(String eventBusNodeId) {
    if (state != null) {
      state.image().brokerOnEventBusNode(eventBusNodeId)
          .ifPresent(b -> enqueue(new FenceHint(b.nodeId(), b.brokerEpoch()), null));
    }
  }

  private void processNext() {
    if (busy || state == null || queue.isEmpty()) {
      return;
    }
    if (!mayAct()) {
      if (quorum.epoch() != epoch || !quorum.leading()) {
        return; // stepping down: deactivate answers what is queued
      }
      // leading, but the lease lapsed for now (voters silent): requests are refused (clients retry); the
      // controller's own work (its epoch record first) waits for the lease, on the next state or tick
      Op op = queue.peek();
      if (op.message() == null) {
        return;
      }
      queue.poll();
      fail(op, new NotControllerException("The controller's lease on broker " + broker.nodeId() + " lapsed"));
      processNext();
      return;
    }
    Op op = queue.poll();
    Future<Object> served;
    try {
      served = serve(op);
    } catch (RuntimeException e) {
      fail(op, e);
      processNext();
      return;
    }
    busy = true;
    served.onComplete(done -> {
      busy = false;
      if (done.succeeded()) {
        if (op.message() != null) {
          // ops run one at a time and are replayed once committed: the image ends at this op's last record
          DeliveryOptions committed = state == null ? new DeliveryOptions()
              : new DeliveryOptions().addHeader(Addresses.COMMITTED_OFFSET_HEADER, Long.toString(state.image().lastOffset()));
          op.message().reply(done.result(), committed);
        }
      } else {
        fail(op, done.cause());
      }
      processNext();
    });
  }

  private Future<Object> serve(Op op) {
    Object request = op.request();
    if (request instanceof VoterCheck) {
      return keepVoters().map(done -> null);
    }
    if (request instanceof UnregisterBrokerRequest unregister) {
      return unregisterBroker(unregister.nodeId(), unregister.force());
    }
    ControllerRequests.Planned planned = plan(request);
    Future<Object> answered = commit(planned.result().records()).map(committed -> planned.answer()
        .apply(planned.result().response()));
    if (request instanceof DescribeClusterRequest) {
      return answered.compose(this::withQuorum);
    }
    return answered;
  }

  /** Appends and replays {@code records}; a write that fails makes this controller resign. */
  private Future<Void> commit(List<MetadataRecord> records) {
    if (records.isEmpty()) {
      return Future.succeededFuture();
    }
    int servingEpoch = epoch;
    return append(records).transform(done -> {
      if (epoch != servingEpoch || state == null) {
        return Future.failedFuture(new NotControllerException("Broker " + broker.nodeId() + " stopped being controller"));
      }
      if (done.failed()) {
        LOG.log(System.Logger.Level.WARNING, "Controller " + broker.nodeId() + " resigns: a metadata write failed: "
            + done.cause());
        resign();
        return Future.failedFuture(done.cause());
      }
      long baseOffset = done.result();
      for (int i = 0; i < records.size(); i++) {
        state.replay(records.get(i), baseOffset + i);
      }
      logLifecycle(records);
      return Future.succeededFuture();
    });
  }

  /** What serving a request takes: records and the answer once they are committed. */
  private ControllerRequests.Planned plan(Object request) {
    long nowMs = System.currentTimeMillis();
    if (request instanceof NewEpoch) {
      return new ControllerRequests.Planned(state.newControllerEpoch(broker.nodeId(), epoch), none -> none);
    }
    if (request instanceof Tick) {
      List<MetadataRecord> records = new ArrayList<>(state.tick(nowMs).records());
      if (config.autoLeaderRebalanceEnable() && records.isEmpty()) {
        records.addAll(state.maybeBalanceLeaders(nowMs).records());
      }
      return new ControllerRequests.Planned(new ControllerResult<>(records, null), none -> none);
    }
    if (request instanceof FenceHint hint) {
      boolean sameRegistration = state.image().broker(hint.nodeId())
          .map(b -> b.brokerEpoch() == hint.brokerEpoch()).orElse(false);
      return new ControllerRequests.Planned(sameRegistration ? state.fenceBroker(hint.nodeId(), nowMs)
          : ControllerResult.empty(null), none -> none);
    }
    if (request instanceof BrokerHeartbeatRequest heartbeat && heartbeat.knownControllerEpoch() > epoch) {
      throw new NotControllerException("Broker " + heartbeat.nodeId() + " knows controller epoch "
          + heartbeat.knownControllerEpoch() + ", newer than " + epoch);
    }
    return ControllerRequests.plan(request, state, epoch, nowMs);
  }

  private void fail(Op op, Throwable failure) {
    if (op.message() != null) {
      BrookErrors.fail(op.message(), failure);
    } else if (!(failure instanceof NotControllerException)) {
      LOG.log(System.Logger.Level.WARNING, "Controller work " + op.request() + " failed: " + failure);
    }
  }

  /** Through the quorum: answered with the base offset once a majority of the voters have the records. */
  private Future<Long> append(List<MetadataRecord> records) {
    QuorumRequests.Append append = new QuorumRequests.Append(MetadataTopic.toBatch(records, System.currentTimeMillis()),
        epoch);
    return vertx.eventBus().<Long>request(Addresses.LOCAL_QUORUM_APPEND, append, LOCAL).map(Message::body);
  }

  private void logLifecycle(List<MetadataRecord> records) {
    records.stream().filter(r -> r instanceof FenceBroker || r instanceof UnfenceBroker || r instanceof RegisterBroker)
        .forEach(r -> LOG.log(System.Logger.Level.INFO, "Controller " + broker.nodeId() + " committed " + r));
  }

  private Future<Object> withQuorum(Object description) {
    ClusterDescription cluster = (ClusterDescription) description;
    return vertx.eventBus().<QuorumDescription>request(Addresses.LOCAL_QUORUM_DESCRIBE, new QuorumRequests.Describe(), LOCAL)
        .map(quorumReply -> new ClusterDescription(cluster.controllerId(), cluster.controllerEpoch(), cluster.brokers(),
            quorumReply.body()));
  }

  // ---- the voters of the metadata quorum ----

  /**
   * One change at a time: a voter whose broker came back with a new data directory (it no longer
   * has the log it voted with) leaves; then, below {@code controller.quorum.size}, a registered
   * broker whose metadata replica is caught up joins.
   */
  private Future<Void> keepVoters() {
    return vertx.eventBus().<QuorumDescription>request(Addresses.LOCAL_QUORUM_DESCRIBE, new QuorumRequests.Describe(), LOCAL)
        .compose(reply -> {
          QuorumDescription quorum = reply.body();
          List<QuorumDescription.Replica> voters = quorum.replicas().stream().filter(QuorumDescription.Replica::voter)
              .toList();
          for (QuorumDescription.Replica voter : voters) {
            boolean replaced = quorum.replicas().stream().anyMatch(r -> !r.voter() && r.nodeId() == voter.nodeId()
                && r.lag() == 0);
            if (replaced && voters.size() > 1) {
              return changeVoters(voter.nodeId(), false, "its broker came back with a new data directory");
            }
          }
          if (voters.size() >= quorumSize) {
            return Future.succeededFuture();
          }
          return quorum.replicas().stream()
              .filter(r -> !r.voter() && r.lag() == 0 && r.lastFetchAgeMs() >= 0)
              .filter(r -> state.image().broker(r.nodeId()).isPresent()) // a registered broker, caught up
              .filter(r -> voters.stream().noneMatch(v -> v.nodeId() == r.nodeId()))
              .findFirst()
              .map(r -> changeVoters(r.nodeId(), true, "the quorum has " + voters.size() + " of "
                  + quorumSize + " voters"))
              .orElse(Future.succeededFuture());
        });
  }

  private Future<Void> changeVoters(int nodeId, boolean add, String why) {
    LOG.log(System.Logger.Level.INFO, "Controller " + broker.nodeId() + (add ? " adds broker " : " removes broker ") + nodeId
        + (add ? " to" : " from") + " the metadata quorum's voters: " + why);
    int servingEpoch = epoch;
    return vertx.eventBus().<Long>request(Addresses.LOCAL_QUORUM_VOTERS, new QuorumRequests.ChangeVoters(nodeId, add, epoch),
        LOCAL).compose(committed -> {
          if (epoch != servingEpoch || state == null) {
            return Future.failedFuture(new NotControllerException("Broker " + broker.nodeId() + " stopped being controller"));
          }
          state.skip(committed.body()); // the voter set took an offset: later records' offsets (broker epochs) count it
          return Future.succeededFuture();
        });
  }

  /**
   * Decommissions a broker that is not running: takes it out of the quorum's voters if it is one,
   * then commits {@code UnregisterBroker} (its leaderships and ISR memberships move first).
   */
  private Future<Object> unregisterBroker(int nodeId, boolean force) {
    BrokerRegistration registration = state.image().broker(nodeId)
        .orElseThrow(() -> new InvalidRequestException("Broker " + nodeId + " is not registered"));
    if (registration.state() != io.brook.metadata.BrokerState.FENCED) {
      throw new InvalidRequestException("Broker " + nodeId + " is running (" + registration.state() + "): stop it first "
          + "(it is FENCED once its session ends), and move its replicas away with partitions reassign if they should "
          + "stay replicated");
    }
    state.unregisterBroker(nodeId, force); // a plan only, before the voters change: refused while it hosts replicas
    return vertx.eventBus().<QuorumDescription>request(Addresses.LOCAL_QUORUM_DESCRIBE, new QuorumRequests.Describe(), LOCAL)
        .compose(reply -> {
          boolean voter = reply.body().replicas().stream().anyMatch(r -> r.voter() && r.nodeId() == nodeId);
          return voter ? changeVoters(nodeId, false, "it is being decommissioned") : Future.succeededFuture();
        })
        .compose(removed -> {
          if (state == null) {
            return Future.failedFuture(new NotControllerException("Broker " + broker.nodeId() + " stopped being controller"));
          }
          return commit(state.unregisterBroker(nodeId, force).records());
        })
        .map(done -> (Object) new UnregisterBrokerRequest(nodeId, force));
  }
}
