package io.brook.verticles.controller;

import io.brook.metadata.ControllerConfig;
import io.brook.metadata.ControllerResult;
import io.brook.metadata.ControllerState;
import io.brook.metadata.FenceBroker;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.MetadataRecord;
import io.brook.metadata.RegisterBroker;
import io.brook.metadata.TopicConfigValidator;
import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.message.AlterPartitionRequest;
import io.brook.protocol.message.AlterPartitionResponse;
import io.brook.protocol.message.BrokerHeartbeatRequest;
import io.brook.protocol.message.ControllerAnnouncement;
import io.brook.protocol.message.ProduceRequest;
import io.brook.protocol.message.ProduceResponse;
import io.brook.replication.PartitionState;
import io.brook.replication.ReplicationConfig;
import io.brook.verticles.BrokerConfig;
import io.brook.verticles.log.LogRequests;
import io.brook.verticles.metadata.MetadataTopic;
import io.brook.verticles.partition.PartitionLeaderVerticle;
import io.brook.verticles.partition.PartitionUpdate;
import io.brook.verticles.replica.LeaderlessReplicaVerticle;
import io.brook.verticles.replica.ReplicaManagerVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.common.errors.FencedLeaderEpochException;
import org.apache.kafka.common.errors.InvalidUpdateVersionException;
import org.apache.kafka.common.errors.NotControllerException;

/**
 * The active controller, on whichever broker holds the controller seat: owns the
 * {@link ControllerState}, leads the metadata log at the controller epoch, and serves brokers'
 * registrations, heartbeats and ISR changes and the admin requests on
 * {@code brook.internal.broker.<id>.controller}. Every broker deploys it; it acts only between
 * {@code onElected} and {@code onResigned}, and only while its seat's lease is fresh.
 *
 * <p>Requests are served one at a time: plan on the state, append the records to the metadata log
 * with acks=all (committed once every in-sync broker has them), replay them, answer. The state thus
 * only ever holds committed records. The metadata log's ISR is the controller's own soft state:
 * brokers join it as they catch up (their leader proposes them), and leave it the moment they are
 * fenced, so a dead broker never holds up the commit of its own fencing.
 *
 * <p>Runs on one event loop.
 */
public final class ControllerVerticle extends VerticleBase {
  private static final System.Logger LOG = System.getLogger(ControllerVerticle.class.getName());
  private static final long TICK_MS = 1_000;
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true).setSendTimeout(60_000);

  private final BrokerConfig broker;
  private final ControllerConfig config;
  private final ReplicationConfig metadataReplication;
  private final ControllerSeat seat;
  private final TopicConfigValidator validator;
  private final ArrayDeque<Op> queue = new ArrayDeque<>();
  private MetadataImage latestImage = MetadataImage.EMPTY;
  private Promise<MetadataImage> imageWait;
  private long imageWaitOffset;
  private ControllerState state;
  private long epoch = -1;
  private PartitionState metadataPartition;
  private MessageConsumer<Object> requests;
  private long tickTimer = -1;
  private boolean busy;
  private boolean stopping;
  private MembershipHint membership;

  /** A request to serve ({@code message} null for the controller's own work). */
  private record Op(Object request, Message<Object> message) {}

  private record Tick() {}

  /** The cluster manager says this registration's process is gone; fences that registration, not a newer one. */
  private record FenceHint(int nodeId, long brokerEpoch) {}

  public ControllerVerticle(BrokerConfig broker, ControllerConfig config, ReplicationConfig metadataReplication,
      ControllerSeat seat, TopicConfigValidator validator) {
    this.broker = broker;
    this.config = config;
    this.metadataReplication = metadataReplication;
    this.seat = seat;
    this.validator = validator;
  }

  @Override
  public Future<?> start() {
    membership = new MembershipHint(vertx, context, this::onNodeLeft);
    membership.install();
    return vertx.eventBus().<MetadataImage>localConsumer(ReplicaManagerVerticle.LOCAL_METADATA_IMAGE, m -> onImage(m.body()))
        .completion()
        .compose(registered -> seat.start(new ControllerSeat.Listener() {
          @Override
          public void onElected(long newEpoch) {
            activate(newEpoch);
          }

          @Override
          public void onResigned(long oldEpoch, String reason) {
            deactivate("resigned: " + reason);
          }
        }));
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    deactivate("broker shutting down");
    return seat.stop();
  }

  // ---- becoming and ceasing to be controller ----

  private void activate(long newEpoch) {
    LOG.log(System.Logger.Level.INFO, "Broker " + broker.nodeId() + " is the controller at epoch " + newEpoch);
    epoch = newEpoch;
    int leaderEpoch = Math.toIntExact(newEpoch);
    MetadataCatchUp catchUp = new MetadataCatchUp(vertx, broker.nodeId(), newEpoch);
    switchMetadataRole(() -> new LeaderlessReplicaVerticle(MetadataTopic.PARTITION))
        .compose(stopped -> catchUp.run(latestImage))
        .compose(caughtUp -> {
          metadataPartition = new PartitionState(broker.nodeId(), leaderEpoch, 0, metadataReplicas(latestImage),
              Set.of(broker.nodeId()));
          PartitionState leading = metadataPartition;
          return switchMetadataRole(() -> new PartitionLeaderVerticle(MetadataTopic.PARTITION, broker.nodeId(), leading,
              metadataReplication, broker));
        })
        .compose(offsets -> awaitImage(offsets.logEndOffset() - 1))
        .onSuccess(image -> {
          if (epoch != newEpoch) {
            return; // resigned meanwhile
          }
          state = new ControllerState(image, config, new Random(), validator);
          queue.addFirst(new Op(new NewEpoch(), null));
          fenceBrokersAlreadyGone(image);
          requests = vertx.eventBus().consumer(Addresses.controller(broker.nodeId()), m -> enqueue(m.body(), m));
          tickTimer = vertx.setPeriodic(TICK_MS, id -> onTick());
          onTick(); // announce now: brokers need not wait a tick to find their controller
        })
        .onFailure(e -> {
          LOG.log(System.Logger.Level.ERROR, "Could not take over as controller at epoch " + newEpoch, e);
          seat.onHigherEpochSeen(newEpoch); // give the seat up so that another broker can try
        });
  }

  private record NewEpoch() {}

  private void deactivate(String reason) {
    if (epoch < 0) {
      return;
    }
    LOG.log(System.Logger.Level.INFO, "Broker " + broker.nodeId() + " stops being controller (" + reason + ")");
    epoch = -1;
    state = null;
    metadataPartition = null;
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
    if (!stopping) {
      // stop leading the metadata log: the new controller's announcement makes this broker follow it
      switchMetadataRole(() -> new LeaderlessReplicaVerticle(MetadataTopic.PARTITION));
    }
  }

  private Future<LogRequests.LogOffsets> switchMetadataRole(java.util.function.Supplier<io.vertx.core.Deployable> role) {
    return vertx.eventBus().<LogRequests.LogOffsets>request(Addresses.localLog(MetadataTopic.NAME, 0),
        new LogRequests.SwitchRole(role), LOCAL).map(Message::body);
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

  // ---- serving ----

  private void enqueue(Object request, Message<Object> message) {
    queue.add(new Op(request, message));
    processNext();
  }

  private void onTick() {
    if (queue.stream().noneMatch(op -> op.request() instanceof Tick)) {
      enqueue(new Tick(), null);
    }
    if (seat.mayAct()) {
      vertx.eventBus().publish(Addresses.CONTROLLER_ANNOUNCE, new ControllerAnnouncement(broker.nodeId(), epoch));
    }
  }

  /**
   * A broker that died with the previous controller left before this one could hear it go: fence it
   * now rather than after a whole session timeout (it re-registers if it is in fact alive). This
   * broker's own previous incarnation too (a restart of the only node, or of the controller's): its
   * event bus node is gone, and until it is fenced this incarnation's registration is refused.
   */
  private void fenceBrokersAlreadyGone(MetadataImage image) {
    List<String> members = membership.members();
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
    Op op = queue.poll();
    if (!seat.mayAct()) {
      fail(op, new NotControllerException("The controller's lease on broker " + broker.nodeId() + " lapsed"));
      processNext();
      return;
    }
    if (op.request() instanceof AlterPartitionRequest alter && MetadataTopic.NAME.equals(alter.topic())) {
      alterMetadataIsr(alter, op.message());
      processNext();
      return;
    }
    ControllerRequests.Planned planned;
    try {
      planned = plan(op.request());
    } catch (RuntimeException e) {
      fail(op, e);
      processNext();
      return;
    }
    List<MetadataRecord> records = planned.result().records();
    if (records.isEmpty()) {
      answer(op, planned);
      processNext();
      return;
    }
    shrinkMetadataIsrBeforeAppend(records);
    busy = true;
    append(records).onComplete(done -> {
      busy = false;
      if (done.succeeded()) {
        long baseOffset = done.result();
        for (int i = 0; i < records.size(); i++) {
          state.replay(records.get(i), baseOffset + i);
        }
        afterCommit(records);
        answer(op, planned);
      } else {
        fail(op, done.cause());
        // The write may still commit later, so this state may no longer match the log: step down, and
        // the next controller (maybe this broker again, at a new epoch) rebuilds it from the log.
        LOG.log(System.Logger.Level.WARNING, "Controller " + broker.nodeId() + " steps down: a metadata write failed: "
            + done.cause());
        seat.onHigherEpochSeen(epoch);
      }
      processNext();
    });
  }

  /** What serving a request takes: records and the answer once they are committed. */
  private ControllerRequests.Planned plan(Object request) {
    long nowMs = System.currentTimeMillis();
    if (request instanceof NewEpoch) {
      return new ControllerRequests.Planned(state.newControllerEpoch(broker.nodeId(), Math.toIntExact(epoch)), none -> none);
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
      seat.onHigherEpochSeen(heartbeat.knownControllerEpoch());
      throw new NotControllerException("Broker " + heartbeat.nodeId() + " knows controller epoch "
          + heartbeat.knownControllerEpoch() + ", newer than " + epoch);
    }
    return ControllerRequests.plan(request, state, epoch, nowMs);
  }

  /** An answer that cannot be built or sent still answers: the caller must not wait for a timeout. */
  private void answer(Op op, ControllerRequests.Planned planned) {
    if (op.message() != null) {
      try {
        op.message().reply(planned.answer().apply(planned.result().response()));
      } catch (RuntimeException e) {
        BrookErrors.fail(op.message(), e);
      }
    }
  }

  private void fail(Op op, Throwable failure) {
    if (op.message() != null) {
      BrookErrors.fail(op.message(), failure);
    } else if (!(failure instanceof NotControllerException)) {
      LOG.log(System.Logger.Level.WARNING, "Controller work " + op.request() + " failed: " + failure);
    }
  }

  /** acks=all to the local metadata leader: answered once every in-sync broker has the records. */
  private Future<Long> append(List<MetadataRecord> records) {
    ProduceRequest produce = new ProduceRequest(MetadataTopic.NAME, 0, ProduceRequest.ACKS_ALL, 30_000,
        MetadataTopic.toBatch(records, System.currentTimeMillis()).buffer());
    return vertx.eventBus().<ProduceResponse>request(Addresses.localLeader(MetadataTopic.NAME, 0), produce, LOCAL)
        .map(reply -> reply.body().baseOffset());
  }

  // ---- the metadata log's ISR (soft state of this controller) ----

  /**
   * Brokers being fenced, and brokers the cluster manager no longer lists, leave the metadata ISR
   * before the write: the write must not wait for them (several brokers dying at once would otherwise
   * hold the fencing of the first for the whole acks=all timeout).
   */
  private void shrinkMetadataIsrBeforeAppend(List<MetadataRecord> records) {
    Set<Integer> isr = new HashSet<>(metadataPartition.isr());
    records.stream().filter(r -> r instanceof FenceBroker).forEach(r -> isr.remove(((FenceBroker) r).nodeId()));
    List<String> members = membership.members();
    if (members != null) {
      isr.removeIf(id -> state.image().broker(id).map(b -> !members.contains(b.eventBusNodeId())).orElse(false));
    }
    isr.add(broker.nodeId());
    if (!isr.equals(metadataPartition.isr())) {
      updateMetadataPartition(metadataPartition.replicas(), isr);
    }
  }

  private void afterCommit(List<MetadataRecord> records) {
    records.stream().filter(r -> r instanceof FenceBroker || r instanceof io.brook.metadata.UnfenceBroker
        || r instanceof RegisterBroker).forEach(r -> LOG.log(System.Logger.Level.INFO, "Controller " + broker.nodeId()
        + " committed " + r));
    List<Integer> replicas = new ArrayList<>(metadataPartition.replicas());
    records.stream().filter(r -> r instanceof RegisterBroker).map(r -> ((RegisterBroker) r).nodeId())
        .filter(id -> !replicas.contains(id)).forEach(replicas::add);
    if (replicas.size() != metadataPartition.replicas().size()) {
      updateMetadataPartition(replicas, metadataPartition.isr());
    }
  }

  private void updateMetadataPartition(List<Integer> replicas, Set<Integer> isr) {
    metadataPartition = new PartitionState(broker.nodeId(), metadataPartition.leaderEpoch(),
        metadataPartition.partitionEpoch() + 1, replicas, isr);
    vertx.eventBus().send(Addresses.localLeader(MetadataTopic.NAME, 0), new PartitionUpdate(metadataPartition), LOCAL);
  }

  /** The metadata leader proposes ISR changes like any leader; this controller commits them in its soft state. */
  private void alterMetadataIsr(AlterPartitionRequest request, Message<Object> message) {
    if (metadataPartition == null || request.leaderEpoch() != metadataPartition.leaderEpoch()) {
      BrookErrors.fail(message, new FencedLeaderEpochException("metadata log leader epoch " + request.leaderEpoch()));
      return;
    }
    if (request.partitionEpoch() != metadataPartition.partitionEpoch()) {
      BrookErrors.fail(message, new InvalidUpdateVersionException("metadata log partition epoch " + request.partitionEpoch()
          + " is not " + metadataPartition.partitionEpoch()));
      return;
    }
    Set<Integer> isr = new HashSet<>(request.newIsr());
    isr.removeIf(id -> state != null && !state.image().isUnfenced(id) && id != broker.nodeId());
    isr.add(broker.nodeId());
    metadataPartition = new PartitionState(broker.nodeId(), metadataPartition.leaderEpoch(),
        metadataPartition.partitionEpoch() + 1, metadataPartition.replicas(), isr);
    message.reply(new AlterPartitionResponse(broker.nodeId(), metadataPartition.leaderEpoch(),
        metadataPartition.partitionEpoch(), List.copyOf(isr)));
  }

  private List<Integer> metadataReplicas(MetadataImage image) {
    List<Integer> replicas = new ArrayList<>();
    replicas.add(broker.nodeId());
    image.brokers().keySet().stream().filter(id -> id != broker.nodeId()).sorted().forEach(replicas::add);
    return replicas;
  }
}
