package io.brook.verticles;

import io.brook.metadata.ControllerConfig;
import io.brook.security.AuthenticationConfig;
import io.brook.security.AuthorizerConfig;
import io.brook.verticles.security.SecurityVerticle;
import io.brook.metadata.TopicConfigValidator;
import io.brook.protocol.Addresses;
import io.brook.protocol.JsonConfig;
import io.brook.protocol.message.BrokerInfo;
import io.brook.protocol.message.ListOffsetsRequest;
import io.brook.quorum.QuorumConfig;
import io.brook.replication.ReplicationConfig;
import io.brook.storage.LogConfig;
import io.brook.storage.Time;
import io.brook.groups.GroupCoordinatorConfig;
import io.brook.verticles.api.BrokerApiVerticle;
import io.brook.verticles.api.ProducerIdsVerticle;
import io.brook.verticles.groups.GroupCoordinatorManagerVerticle;
import io.brook.verticles.groups.OffsetsTopic;
import io.brook.verticles.controller.ControllerVerticle;
import io.brook.verticles.datadir.DataDirClaim;
import io.brook.verticles.lifecycle.BrokerLifecycleVerticle;
import io.brook.verticles.log.LogScheduler;
import io.brook.verticles.log.PartitionDirs;
import io.brook.verticles.metadata.MetadataApiVerticle;
import io.brook.verticles.metadata.MetadataListenerVerticle;
import io.brook.verticles.quorum.MetadataLogDir;
import io.brook.verticles.quorum.QuorumVerticle;
import io.brook.verticles.replica.ReplicaConfigs;
import io.brook.verticles.replica.ReplicaManagerVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One Brook broker, deployed in dependency order once it holds its data directory
 * ({@link DataDirClaim}: locked, {@code brook.pid} written): its replica of the metadata log in the metadata
 * quorum, the listener that turns the committed log into metadata images, the replica manager that
 * hosts partitions as the images say, the controller it runs while its quorum replica leads, its
 * lifecycle with the active controller, and the client-facing metadata/admin and partition APIs.
 * Configured by its deployment config: {@link BrokerConfig}, {@link ControllerConfig},
 * {@link ReplicationConfig} and {@link QuorumConfig} keys; {@code cluster.host}, {@code http.port}
 * and {@code bridge.port} tell clients where it is.
 */
public final class BrokerVerticle extends VerticleBase {
  /** The API verticle only routes; two instances keep one slow JSON conversion from stalling all. */
  private static final int API_INSTANCES = 2;
  private static final long NODE_ID_PROBE_TIMEOUT_MS = 2_000;
  private static final long SERVING_WAIT_MS = 30_000;
  private final Time time;
  private LogScheduler scheduler;
  private long replicaTick = -1;
  private DataDirClaim claim;
  private long startNs;
  private long metadataCaughtUpNs = -1;
  private long servingNs = -1;

  /**
   * How long the broker's start took, by phase: its metadata caught up with its own registration (a
   * quorum replica opened and fetched, a controller found and registered with), then its replicas
   * hosted as that metadata says (partition logs opened, recovered after a crash, leaders started).
   * {@code -1} for a phase that did not end (no controller counted this broker as serving in time).
   */
  public record Startup(long metadataMs, long replicasMs) {}

  public BrokerVerticle() {
    this(Time.SYSTEM);
  }

  /** With an injected clock, for tests that drive retention and flush by time. */
  public BrokerVerticle(Time time) {
    this.time = time;
  }

  @Override
  public Future<?> start() {
    Map<String, String> node = JsonConfig.asStrings(config());
    BrokerConfig config = new BrokerConfig(node);
    ReplicationConfig replication = ReplicationConfig.fromMap(only(node, ReplicationConfig.CONFIG_DEF.names()));
    ControllerConfig controllerConfig = new ControllerConfig(only(node, ControllerConfig.CONFIG_DEF.names()));
    QuorumConfig quorumConfig = new QuorumConfig(only(node, QuorumConfig.CONFIG_DEF.names()));
    AuthorizerConfig authorizerConfig = new AuthorizerConfig(only(node, AuthorizerConfig.CONFIG_DEF.names()));
    AuthenticationConfig authenticationConfig = new AuthenticationConfig(only(node, AuthenticationConfig.CONFIG_DEF.names()));
    LocalCodecs.register(vertx.eventBus());
    // the Kafka listener's keys are its module's (io.brook.kafka.KafkaListenerConfig): read here by name only; the
    // node gives the endpoint to advertise (advertised.listeners, or kafka.host:kafka.port)
    int kafkaPort = intOr(config(), "kafka.port", -1);
    List<io.brook.protocol.KafkaEndpoint> advertised = io.brook.protocol.KafkaEndpoint.parseAll(
        config().getString("advertised.listeners", ""));
    io.brook.protocol.KafkaEndpoint kafka = advertised.isEmpty() ? new io.brook.protocol.KafkaEndpoint(
        String.valueOf(config().getValue("kafka.host", "127.0.0.1")), kafkaPort) : advertised.get(0);
    BrokerInfo self = new BrokerInfo(config.nodeId(), config().getString("cluster.host", "127.0.0.1"),
        intOr(config(), "http.port", -1), intOr(config(), "bridge.port", -1), null,
        kafkaPort < 0 ? "" : kafka.host(), kafkaPort < 0 ? -1 : kafka.port(),
        kafkaPort < 0 ? "" : io.brook.protocol.KafkaEndpoint.format(advertised));
    // every key that is not the controller's own must be a log config key (LogConfig refuses others)
    TopicConfigValidator validator = new TopicConfigValidator() {
      @Override
      public void validate(Map<String, String> overrides) {
        config.topicDefaults().withOverrides(overrides);
      }

      @Override
      public boolean knows(String key) {
        return LogConfig.CONFIG_DEF.names().contains(key);
      }
    };
    BrokerLifecycleVerticle lifecycle = new BrokerLifecycleVerticle(config, self, config.brokerHeartbeatIntervalMs(),
        quorumConfig.quorumSize());
    startNs = System.nanoTime();
    lifecycle.metadataCaughtUp().onSuccess(done -> metadataCaughtUpNs = System.nanoTime());
    lifecycle.serving().onSuccess(done -> servingNs = System.nanoTime());
    // the directories first: a second broker on them is refused before it joins anything
    return vertx.executeBlocking(() -> claim = DataDirClaim.take(config.nodeId(), config.dataDir(), config.metadataLogDir()))
        .compose(claimed -> throwIfNodeIdTaken(config.nodeId()))
        .compose(free -> vertx.executeBlocking(() -> {
          new PartitionDirs(config.dataDir()).finishInterruptedDeletes();
          warnIfFewOpenFiles(controllerConfig.maxReplicasPerBroker());
          return null;
        }))
        .compose(ready -> {
          ClusterMembership.publishNodeLeft(vertx);
          // a worker pool of its own: elections and metadata fsyncs never wait behind partition logs
          MetadataLogDir metadataDir = new MetadataLogDir(config.nodeId(), config.dataDir(), config.metadataLogDir());
          return vertx.deployVerticle(new QuorumVerticle(config.nodeId(), quorumConfig, metadataDir,
              config.metadataLogConfig(), time), new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)
              .setWorkerPoolName(quorumWorkerPool(config.nodeId())).setWorkerPoolSize(1));
        })
        .compose(id -> vertx.deployVerticle(new MetadataListenerVerticle()))
        .compose(id -> vertx.deployVerticle(new ReplicaManagerVerticle(config, new ReplicaConfigs(config, node), time,
            lifecycle.metadataCaughtUp())))
        .compose(id -> vertx.deployVerticle(new MetadataApiVerticle(config, authorizerConfig)))
        .compose(id -> vertx.deployVerticle(new SecurityVerticle(authenticationConfig)))
        .compose(id -> {
          java.util.concurrent.atomic.AtomicInteger instance = new java.util.concurrent.atomic.AtomicInteger();
          return vertx.deployVerticle(() -> new BrokerApiVerticle(config.nodeId(), authorizerConfig,
              instance.getAndIncrement() == 0), new DeploymentOptions().setInstances(API_INSTANCES));
        })
        .compose(id -> vertx.deployVerticle(new io.brook.verticles.metrics.MetricsSnapshotVerticle(config)))
        .compose(id -> vertx.deployVerticle(new io.brook.verticles.metrics.LogDirsVerticle(config, authorizerConfig)))
        .compose(id -> vertx.deployVerticle(new ProducerIdsVerticle(config.nodeId(), authorizerConfig)))
        .compose(id -> vertx.deployVerticle(new GroupCoordinatorManagerVerticle(config.nodeId(), new OffsetsTopic(node),
            new GroupCoordinatorConfig(only(node, GroupCoordinatorConfig.CONFIG_DEF.names())), authorizerConfig)))
        .compose(id -> vertx.deployVerticle(new ControllerVerticle(config, controllerConfig, quorumConfig.quorumSize(),
            validator)))
        .compose(id -> vertx.deployVerticle(new ClusterHealthVerticle(List.of(Addresses.quorum(config.nodeId()),
            Addresses.metadata(config.nodeId())))))
        .compose(id -> vertx.deployVerticle(lifecycle).compose(deployed -> servingOrTimeout(lifecycle)))
        .onSuccess(id -> startSchedulers(config, replication))
        .onFailure(failed -> releaseClaim()); // no stop() after a failed start
  }

  /**
   * Ready means the controller counts this broker as serving; a broker that cannot reach a
   * controller yet still starts (it joins when one is elected) after {@link #SERVING_WAIT_MS}.
   */
  private Future<Void> servingOrTimeout(BrokerLifecycleVerticle lifecycle) {
    io.vertx.core.Promise<Void> ready = io.vertx.core.Promise.promise();
    lifecycle.serving().onComplete(done -> ready.tryComplete());
    vertx.setTimer(SERVING_WAIT_MS, t -> {
      if (ready.tryComplete()) {
        System.getLogger(BrokerVerticle.class.getName()).log(System.Logger.Level.WARNING,
            "No controller has counted this broker as serving yet; it will join when one does");
      }
    });
    return ready.future();
  }

  /** The worker pool of one thread the broker's metadata quorum replica runs on. */
  public static String quorumWorkerPool(int nodeId) {
    return "brook-quorum-" + nodeId;
  }

  /** The phases of this broker's start, once {@link #start} has completed. */
  public Startup startup() {
    long metadataMs = metadataCaughtUpNs < 0 ? -1 : (metadataCaughtUpNs - startNs) / 1_000_000;
    long replicasMs = servingNs < 0 || metadataCaughtUpNs < 0 ? -1 : (servingNs - metadataCaughtUpNs) / 1_000_000;
    return new Startup(metadataMs, replicasMs);
  }

  private void startSchedulers(BrokerConfig config, ReplicationConfig replication) {
    scheduler = new LogScheduler(vertx);
    scheduler.start(config.flushSchedulerIntervalMs(), config.retentionCheckIntervalMs(),
        config.producerIdExpirationCheckIntervalMs(), config.cleaner());
    long tickMs = Math.max(100, replication.replicaLagTimeMaxMs() / 2);
    DeliveryOptions local = new DeliveryOptions().setLocalOnly(true);
    replicaTick = vertx.setPeriodic(tickMs, id -> vertx.eventBus().publish(Addresses.LOCAL_REPLICA_TICK, id, local));
  }

  /**
   * Two brokers with one node.id would share its addresses round robin and mix their offsets. A
   * live one answers this probe (with any answer, an error included); nobody listening is
   * NO_HANDLERS; a dead one's stale registration (ZooKeeper keeps it until the session expires)
   * times out, and does not stop a restart.
   */
  private Future<Void> throwIfNodeIdTaken(int nodeId) {
    DeliveryOptions probe = new DeliveryOptions().setSendTimeout(NODE_ID_PROBE_TIMEOUT_MS);
    return vertx.eventBus().request(Addresses.listOffsets(nodeId),
            new ListOffsetsRequest("__brook_node_id_probe", 0, ListOffsetsRequest.LATEST), probe)
        .transform(answer -> {
          if (answer.failed() && answer.cause() instanceof ReplyException reply
              && reply.failureType() != ReplyFailure.RECIPIENT_FAILURE) {
            return Future.succeededFuture();
          }
          return Future.failedFuture(new IllegalStateException("Another broker with node.id " + nodeId
              + " is already running in this cluster; give each broker its own node.id"));
        });
  }

  /** Each hosted replica holds open files: say so at start, not when the limit is hit at replica 19,900. */
  private void warnIfFewOpenFiles(int maxReplicas) {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      long limit = unix.getMaxFileDescriptorCount();
      if (limit < maxReplicas + 1000L) {
        System.getLogger(BrokerVerticle.class.getName()).log(System.Logger.Level.WARNING, "The open-files limit is "
            + limit + ", below max.replicas.per.broker=" + maxReplicas + " + 1000: raise it (ulimit -n) or lower "
            + "max.replicas.per.broker, or this broker fails to open partitions before the controller refuses them");
      }
    }
  }

  @Override
  public Future<?> stop() {
    if (scheduler != null) {
      scheduler.stop();
    }
    vertx.cancelTimer(replicaTick);
    return releaseClaim(); // children (the logs) are undeployed before this stop
  }

  private Future<Void> releaseClaim() {
    DataDirClaim held = claim;
    claim = null;
    return held == null ? Future.succeededFuture() : vertx.executeBlocking(() -> {
      held.close();
      return null;
    });
  }

  private static Map<String, String> only(Map<String, String> values, java.util.Set<String> keys) {
    Map<String, String> selected = new HashMap<>();
    values.forEach((key, value) -> {
      if (keys.contains(key)) {
        selected.put(key, value);
      }
    });
    return selected;
  }

  private static int intOr(JsonObject json, String key, int fallback) {
    Object value = json.getValue(key);
    return value == null ? fallback : Integer.parseInt(String.valueOf(value));
  }
}
