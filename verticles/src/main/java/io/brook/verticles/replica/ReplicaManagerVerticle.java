package io.brook.verticles.replica;

import io.brook.metadata.MetadataDelta;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.PartitionRegistration;
import io.brook.metadata.ReplicaChange;
import io.brook.metadata.TopicImage;
import io.brook.protocol.Addresses;
import io.brook.replication.PartitionState;
import io.brook.replication.ReplicationConfig;
import io.brook.storage.LogConfig;
import io.brook.storage.Time;
import io.brook.verticles.BrokerConfig;
import io.brook.verticles.log.LogHandle;
import io.brook.verticles.log.LogRequests;
import io.brook.verticles.metadata.MetadataImages;
import io.brook.verticles.log.LogVerticle;
import io.brook.verticles.log.PartitionDirs;
import io.brook.verticles.quorum.MetadataLogDir;
import io.brook.verticles.partition.PartitionLeaderVerticle;
import io.brook.verticles.partition.PartitionUpdate;
import io.brook.verticles.partition.ReplicaFollowerVerticle;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.TopicPartition;

/**
 * Makes this broker host what the cluster metadata says: for every partition it is a replica of,
 * a log verticle with the right role as its child (leader at the current leader epoch, or follower
 * of the current leader), and nothing for partitions it no longer hosts (their logs are deleted).
 * Listens for {@link MetadataImage}s on {@link Addresses#LOCAL_METADATA_IMAGE} and applies the
 * {@link MetadataDelta} of each, in order.
 *
 * <p>Runs on one event loop; the only owner of the table of hosted partitions.
 */
public final class ReplicaManagerVerticle extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(ReplicaManagerVerticle.class.getName());
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true).setSendTimeout(120_000);

  private final BrokerConfig config;
  private final ReplicaConfigs configs;
  private final Time time;
  private final PartitionDirs dirs;
  private final Map<TopicPartition, Hosted> hosted = new HashMap<>();
  private final Future<Void> caughtUp;
  private MetadataImage current = MetadataImage.EMPTY;
  private MetadataImage latest = MetadataImage.EMPTY;
  private Future<?> applying = Future.succeededFuture();
  private boolean straysRemoved;

  /** A hosted replica: its log verticle's deployment and the role its child plays now. */
  private record Hosted(String deploymentId, boolean leader, int leaderId, int leaderEpoch, ReplicationConfig replication) {}

  /** Without a catch-up gate (tests): images are applied as they come, and stray directories are left alone. */
  public ReplicaManagerVerticle(BrokerConfig config, ReplicaConfigs configs, Time time) {
    this(config, configs, time, Future.succeededFuture());
    this.straysRemoved = true; // no image here is known to be current: none may judge what is a stray
  }

  /**
   * With {@code caughtUp}: images are applied only once it completes, when the broker's metadata has
   * reached its own registration. Until then the local metadata log may be stale (a restart), and a
   * replica hosted from it could lead a partition that has long moved on and take acks=1 writes.
   */
  public ReplicaManagerVerticle(BrokerConfig config, ReplicaConfigs configs, Time time, Future<Void> caughtUp) {
    this.caughtUp = caughtUp;
    this.config = config;
    this.configs = configs;
    this.time = time;
    this.dirs = new PartitionDirs(config.dataDir());
  }

  @Override
  public Future<?> start() {
    caughtUp.onSuccess(done -> context.runOnContext(v -> {
      LOG.log(System.Logger.Level.INFO, "Broker " + config.nodeId() + " caught up with the metadata log at offset "
          + latest.lastOffset() + ": hosting its replicas");
      onImage(latest);
    }));
    return MetadataImages.follow(vertx, this::onImage);
  }

  /** Images apply one after the other: a delta is only meaningful against the image before it. */
  private void onImage(MetadataImage next) {
    latest = next; // published in order by the metadata listener
    if (!caughtUp.succeeded()) {
      return;
    }
    MetadataDelta delta = MetadataDelta.forBroker(current, next, config.nodeId());
    current = next;
    boolean firstSinceCaughtUp = !straysRemoved;
    straysRemoved = true;
    applying = applying.transform(done -> delta.isEmpty() ? Future.succeededFuture() : apply(delta, next))
        .onFailure(e -> LOG.log(System.Logger.Level.ERROR, "Applying metadata at offset " + next.lastOffset() + " failed", e))
        .transform(done -> firstSinceCaughtUp ? removeStrays(next) : Future.succeededFuture())
        .onComplete(done -> vertx.eventBus().publish(Addresses.LOCAL_METADATA_IMAGE_APPLIED, next.lastOffset(), new DeliveryOptions().setLocalOnly(true)));
  }

  private Future<?> apply(MetadataDelta delta, MetadataImage image) {
    List<Future<?>> steps = new ArrayList<>();
    for (TopicIdPartition removed : delta.removed()) {
      steps.add(stopHosting(removed.topicPartition()));
    }
    for (ReplicaChange change : delta.leaders()) {
      steps.add(lead(change.partition().topicPartition(), change.current(), image));
    }
    for (ReplicaChange change : delta.followers()) {
      steps.add(follow(change.partition().topicPartition(), change.current(), image));
    }
    for (String topic : delta.changedConfigs()) {
      steps.add(updateConfigs(image.topic(topic).orElseThrow()));
    }
    return Future.join(steps);
  }

  private Future<?> lead(TopicPartition partition, PartitionRegistration registration, MetadataImage image) {
    PartitionState state = stateOf(registration);
    Hosted was = hosted.get(partition);
    if (was != null && was.leader() && was.leaderEpoch() == registration.leaderEpoch()) {
      // same epoch: an ISR change or a reassignment step for the running leader
      return vertx.eventBus().request(Addresses.localLeader(partition.topic(), partition.partition()),
          new PartitionUpdate(state), LOCAL);
    }
    TopicImage topic = image.topic(partition.topic()).orElseThrow();
    ReplicationConfig replication = configs.replication(topic);
    Function<LogHandle, Deployable> role =
        log -> new PartitionLeaderVerticle(partition, config.nodeId(), state, replication, config, log);
    return host(partition, was, role, new Hosted(null, true, config.nodeId(), registration.leaderEpoch(), replication), topic);
  }

  private Future<?> follow(TopicPartition partition, PartitionRegistration registration, MetadataImage image) {
    Hosted was = hosted.get(partition);
    if (was != null && !was.leader() && was.leaderId() == registration.leader()
        && was.leaderEpoch() == registration.leaderEpoch()) {
      return Future.succeededFuture(); // ISR changes do not concern a follower
    }
    TopicImage topic = image.topic(partition.topic()).orElseThrow();
    ReplicationConfig replication = configs.replication(topic);
    int leaderId = registration.leader();
    Function<LogHandle, Deployable> role = leaderId == PartitionRegistration.NO_LEADER
        ? log -> new LeaderlessReplicaVerticle(partition)
        : log -> new ReplicaFollowerVerticle(partition, config.nodeId(), leaderId, registration.leaderEpoch(),
            replication, configs.replicaFetchMaxBytes(), configs.replicaFetchWaitMaxMs(), log);
    return host(partition, was, role, new Hosted(null, false, leaderId, registration.leaderEpoch(), replication), topic);
  }

  /** Deploys the partition's log with {@code role}, or switches the running log's role. */
  private Future<?> host(TopicPartition partition, Hosted was, Function<LogHandle, Deployable> role, Hosted next,
      TopicImage topic) {
    if (was != null) {
      hosted.put(partition, new Hosted(was.deploymentId(), next.leader(), next.leaderId(), next.leaderEpoch(), next.replication()));
      return vertx.eventBus().request(Addresses.localLog(partition.topic(), partition.partition()),
          new LogRequests.SwitchRole(role), LOCAL);
    }
    LogVerticle log;
    try {
      log = new LogVerticle(partition, dirs, topic.topicId(), configs.log(topic), config.producerIdExpirationMs(), time,
          role);
    } catch (RuntimeException e) { // a name that would leave data.dir: this partition is not hosted, nothing else stops
      return Future.failedFuture(e);
    }
    hosted.put(partition, next);
    return vertx.deployVerticle(log, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
        .onSuccess(id -> hosted.put(partition, new Hosted(id, next.leader(), next.leaderId(), next.leaderEpoch(), next.replication())))
        .onFailure(e -> hosted.remove(partition));
  }

  /**
   * Once, when this broker first hosts what caught-up metadata says: removes the partition directories
   * of replicas it does not host (topics deleted, replicas moved away while it was down), so a topic
   * re-created under an old name never finds an old log.
   */
  private Future<?> removeStrays(MetadataImage image) {
    java.util.Set<String> hostedDirs = new java.util.HashSet<>();
    image.replicasOn(config.nodeId()).keySet().forEach(tp -> hostedDirs.add(tp.topic() + "-" + tp.partition()));
    return vertx.executeBlocking(() -> dirs.removeStrays(hostedDirs, java.util.Set.of(MetadataLogDir.LOG_DIR_NAME)))
        .onSuccess(removed -> {
          if (!removed.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "Broker " + config.nodeId() + " removed " + removed.size()
                + " partition directories it hosts no replica of (deleted topics, or replicas moved while it was down): "
                + removed.stream().map(p -> p.getFileName().toString()).sorted().toList());
          }
        })
        .onFailure(e -> LOG.log(System.Logger.Level.WARNING, "Removing stray partition directories failed: " + e));
  }

  private Future<?> stopHosting(TopicPartition partition) {
    Hosted was = hosted.remove(partition);
    Future<?> stopped = was == null || was.deploymentId() == null ? Future.succeededFuture() : vertx.undeploy(was.deploymentId());
    return stopped.transform(done -> vertx.executeBlocking(() -> {
      dirs.delete(partition);
      return null;
    }));
  }

  /** Logs take the new config; leaders restart with it when a replication key (min.insync.replicas) changed. */
  private Future<?> updateConfigs(TopicImage topic) {
    LogConfig logConfig = configs.log(topic);
    ReplicationConfig replication = configs.replication(topic);
    List<Future<?>> updated = new ArrayList<>();
    hosted.forEach((tp, h) -> {
      if (!tp.topic().equals(topic.name())) {
        return;
      }
      updated.add(vertx.eventBus().request(Addresses.localLog(tp.topic(), tp.partition()),
          new LogRequests.UpdateConfig(logConfig), LOCAL));
      if (h.leader() && !replication.values().equals(h.replication().values())) {
        PartitionState state = stateOf(topic.partitions().get(tp.partition()));
        hosted.put(tp, new Hosted(h.deploymentId(), true, h.leaderId(), h.leaderEpoch(), replication));
        updated.add(vertx.eventBus().request(Addresses.localLog(tp.topic(), tp.partition()), new LogRequests.SwitchRole(
            log -> new PartitionLeaderVerticle(tp, config.nodeId(), state, replication, config, log)), LOCAL));
      }
    });
    return Future.join(updated);
  }

  static PartitionState stateOf(PartitionRegistration registration) {
    return new PartitionState(registration.leader(), registration.leaderEpoch(), registration.partitionEpoch(),
        registration.replicas(), Set.copyOf(registration.isr()));
  }

  /** For tests and describe: the partitions hosted here and whether this broker leads them. */
  Map<TopicPartition, Boolean> hostedRoles() {
    Map<TopicPartition, Boolean> roles = new HashMap<>();
    hosted.forEach((tp, h) -> roles.put(tp, h.leader()));
    return roles;
  }
}
