package io.brook.verticles.lifecycle;

import io.brook.metadata.MetadataImage;
import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.message.AlterPartitionRequest;
import io.brook.protocol.message.BrokerHeartbeatRequest;
import io.brook.protocol.message.BrokerHeartbeatResponse;
import io.brook.protocol.message.BrokerInfo;
import io.brook.protocol.message.BrokerRegistrationRequest;
import io.brook.protocol.message.BrokerRegistrationResponse;
import io.brook.quorum.MetaProperties;
import io.brook.verticles.BrokerConfig;
import io.brook.verticles.metadata.MetadataImages;
import io.brook.verticles.quorum.QuorumRequests.QuorumState;
import io.brook.verticles.replica.ReplicaManagerVerticle;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import org.apache.kafka.common.errors.NotControllerException;

/**
 * This broker's relationship with the active controller: learns who it is from its own metadata
 * quorum replica (the controller is the quorum's leader, its epoch the quorum's), registers,
 * heartbeats every {@code broker.heartbeat.interval.ms} with the metadata offset it has applied,
 * registers again when the controller says its epoch is over, and carries its partition leaders' ISR
 * changes to the controller.
 *
 * <p>Runs on one event loop; the only owner of this broker's broker epoch.
 */
public final class BrokerLifecycleVerticle extends VerticleBase {
  private static final System.Logger LOG = System.getLogger(BrokerLifecycleVerticle.class.getName());
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true).setSendTimeout(60_000);

  private final BrokerConfig config;
  private final BrokerInfo self;
  private final long heartbeatIntervalMs;
  private final DeliveryOptions toController;
  private final DeliveryOptions toLocalController;
  private int controllerId = -1;
  private long controllerEpoch = -1;
  private long brokerEpoch = -1;
  private long appliedOffset = -1;
  private boolean inFlight;
  private int failuresInARow;
  private final io.vertx.core.Promise<Void> serving = io.vertx.core.Promise.promise();
  private final io.vertx.core.Promise<Void> metadataCaughtUp = io.vertx.core.Promise.promise();
  private long unfencedAtOffset = -1;
  private long hostedOffset = -1;
  private final int quorumSize;
  private boolean quorumJoined;
  /** The id in data.dir's meta.properties, read at start: replicas recorded in another directory are offline. */
  private String directoryId = "";
  private final String dataDir;
  private String previousLogDir = "";
  private MetadataImage latestImage = MetadataImage.EMPTY;
  private boolean offlineReported;

  public BrokerLifecycleVerticle(BrokerConfig config, BrokerInfo self, long heartbeatIntervalMs, int quorumSize) {
    this.quorumSize = quorumSize;
    this.dataDir = config.dataDir().toAbsolutePath().normalize().toString();
    this.config = config;
    this.self = self;
    this.heartbeatIntervalMs = heartbeatIntervalMs;
    this.toController = new DeliveryOptions().setSendTimeout(Math.max(1_000, heartbeatIntervalMs * 2));
    this.toLocalController = new DeliveryOptions(toController).setLocalOnly(true);
  }

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(() -> MetaProperties.loadOrCreate(config.dataDir(), config.nodeId(), BrokerConfig.DATA_DIR))
        .compose(meta -> {
          directoryId = meta.directoryId();
          vertx.setPeriodic(heartbeatIntervalMs, id -> heartbeat());
          return listen();
        });
  }

  private Future<?> listen() {
    return Future.all(
        vertx.eventBus().<QuorumState>localConsumer(Addresses.LOCAL_QUORUM_STATE, m -> onQuorumState(m.body()))
            .completion(),
        MetadataImages.follow(vertx, this::onImage),
        vertx.eventBus().<Long>localConsumer(Addresses.LOCAL_METADATA_IMAGE_APPLIED, m -> {
          hostedOffset = Math.max(hostedOffset, m.body());
          maybeServing();
        }).completion(),
        vertx.eventBus().<AlterPartitionRequest>localConsumer(Addresses.LOCAL_CONTROLLER_ALTER_PARTITION,
            this::forwardToController).completion());
  }

  /** The quorum's leader is the controller; a new one is told about this broker at once. */
  private void onQuorumState(QuorumState state) {
    if (!quorumJoined && (state.voter() || state.voters() >= quorumSize)) {
      quorumJoined = true; // a voter itself, or the quorum is full without it
      maybeServing();
    }
    if (state.leaderId() < 0 && controllerId >= 0) {
      // nothing to heartbeat to until the quorum elects again; this broker's leaders go on serving
      LOG.log(System.Logger.Level.INFO, "Broker " + config.nodeId() + " has no controller: the metadata quorum has "
          + "no leader at epoch " + state.epoch());
      controllerId = -1;
      return;
    }
    boolean newController = state.leaderId() >= 0 && (state.epoch() != controllerEpoch || state.leaderId() != controllerId);
    if (!newController) {
      return;
    }
    controllerId = state.leaderId();
    controllerEpoch = state.epoch();
    LOG.log(System.Logger.Level.INFO, "Broker " + config.nodeId() + " follows controller " + controllerId
        + " at epoch " + controllerEpoch);
    heartbeat();
  }

  /**
   * Completes once this broker is unfenced in its own image and hosts what that image says (the
   * elections that unfencing causes are committed with it, so its partitions are led by then), and is
   * a voter of the metadata quorum unless the quorum already has {@code controller.quorum.size}.
   */
  public Future<Void> serving() {
    return serving.future();
  }

  /**
   * Completes once this broker's metadata reached its own registration (its broker epoch is the
   * offset of that record): from then on its image is as new as the controller's was when it
   * registered, and its replicas may be hosted from it.
   */
  public Future<Void> metadataCaughtUp() {
    return metadataCaughtUp.future();
  }

  /** A registered broker is unfenced once it has applied its own registration: tell the controller at once. */
  private void onImage(MetadataImage image) {
    boolean caughtUp = brokerEpoch >= 0 && appliedOffset < brokerEpoch && image.lastOffset() >= brokerEpoch;
    appliedOffset = image.lastOffset();
    latestImage = image;
    if (caughtUp) {
      caughtUp();
    }
    // unfenced under this registration: an image replayed from before a restart shows the old one
    if (unfencedAtOffset < 0 && brokerEpoch >= 0 && image.broker(config.nodeId())
        .map(b -> !b.fenced() && b.brokerEpoch() == brokerEpoch).orElse(false)) {
      unfencedAtOffset = image.lastOffset();
      maybeServing();
    }
    if (caughtUp) {
      heartbeat();
    }
  }

  /** This broker's metadata reached its registration: its replicas may be hosted, and offline ones are told of. */
  private void caughtUp() {
    metadataCaughtUp.tryComplete();
    if (!offlineReported) {
      offlineReported = true;
      OfflineReplicaReport.of(latestImage, config.nodeId(), dataDir, previousLogDir).ifPresent(line -> LOG.log(System.Logger.Level.WARNING, line));
    }
  }

  /** The replica manager and this verticle hear of an image in either order. */
  private void maybeServing() {
    if (unfencedAtOffset >= 0 && hostedOffset >= unfencedAtOffset && quorumJoined) {
      // hosted as the image that unfenced it says (its leaderships included), and the metadata quorum
      // has taken it in if it was short of voters: a cluster started broker by broker is whole when each is ready
      serving.tryComplete();
    }
  }

  // ---- registration and heartbeats ----

  private void heartbeat() {
    if (controllerId < 0 || inFlight) {
      return;
    }
    inFlight = true;
    Future<?> sent = brokerEpoch < 0 ? register() : beat();
    sent.onComplete(done -> {
      inFlight = false;
      failuresInARow = done.succeeded() ? 0 : failuresInARow + 1;
    });
  }

  /**
   * A controller that was just elected takes a moment to serve, and one that died is replaced within
   * seconds: say so quietly, and loudly only when it lasts.
   */
  private void logFailure(String what, Throwable e) {
    boolean loud = failuresInARow == 2 || failuresInARow > 0 && failuresInARow % 30 == 0; // then once a minute
    System.Logger.Level level = loud ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG;
    LOG.log(level, what + " to controller " + controllerId + " failed (" + (failuresInARow + 1) + " in a row): " + e);
  }

  /**
   * To the controller; to this broker's own controller without the cluster manager's look-up, so that a
   * stalled look-up (Hazelcast's, after a partition) never makes the controller fence its own broker.
   */
  private DeliveryOptions toController(int controllerId) {
    return controllerId == config.nodeId() ? toLocalController : toController;
  }

  private Future<?> register() {
    BrokerRegistrationRequest request = new BrokerRegistrationRequest(config.nodeId(), self.host(), self.httpPort(),
        self.bridgePort(), eventBusNodeId(), directoryId, dataDir, self.kafkaHost(), self.kafkaPort(), self.kafkaListeners());
    return vertx.eventBus().<BrokerRegistrationResponse>request(Addresses.controller(controllerId), request, toController(controllerId))
        .onSuccess(reply -> {
          brokerEpoch = reply.body().brokerEpoch();
          LOG.log(System.Logger.Level.INFO, "Broker " + config.nodeId() + " registered with controller " + controllerId
              + ", broker epoch " + brokerEpoch);
          previousLogDir = reply.body().previousLogDir();
          if (appliedOffset >= brokerEpoch) {
            caughtUp(); // the image got here first
          }
          vertx.runOnContext(next -> heartbeat());
        })
        .onFailure(e -> logFailure("Registration", e));
  }

  private Future<?> beat() {
    BrokerHeartbeatRequest request = new BrokerHeartbeatRequest(config.nodeId(), brokerEpoch, appliedOffset,
        controllerEpoch);
    return vertx.eventBus().<BrokerHeartbeatResponse>request(Addresses.controller(controllerId), request, toController(controllerId))
        .onSuccess(reply -> {
          if (reply.body().shouldReRegister()) {
            LOG.log(System.Logger.Level.WARNING, "Broker " + config.nodeId() + " was fenced by controller " + controllerId
                + " (broker epoch " + brokerEpoch + " is over): registering again");
            brokerEpoch = -1; // fenced: this broker's epoch is over, register again
          }
        })
        .onFailure(e -> {
          logFailure("Heartbeat", e);
          org.apache.kafka.common.protocol.Errors error = BrookErrors.errorOf(e);
          // its registration is over or gone (a new controller's, or it was unregistered while catching up)
          if (error == org.apache.kafka.common.protocol.Errors.STALE_BROKER_EPOCH
              || error == org.apache.kafka.common.protocol.Errors.BROKER_ID_NOT_REGISTERED) {
            brokerEpoch = -1;
          }
        });
  }

  private String eventBusNodeId() {
    return io.brook.protocol.ClusterView.of(vertx).selfIdOr(Integer.toString(config.nodeId()));
  }

  // ---- the controller channel ----

  private void forwardToController(Message<AlterPartitionRequest> message) {
    if (controllerId < 0) {
      BrookErrors.fail(message, new NotControllerException("No controller is known yet"));
      return;
    }
    vertx.eventBus().request(Addresses.controller(controllerId), message.body(), toController(controllerId)).onComplete(done -> {
      if (done.succeeded()) {
        message.reply(done.result().body());
      } else {
        BrookErrors.fail(message, done.cause());
      }
    });
  }
}
