package io.brook.verticles;

import io.brook.protocol.Addresses;
import io.brook.protocol.JsonConfig;
import io.brook.protocol.message.BrokerInfo;
import io.brook.protocol.message.ListOffsetsRequest;
import io.brook.storage.Time;
import io.brook.verticles.admin.TopicManagerVerticle;
import io.brook.verticles.api.BrokerApiVerticle;
import io.brook.verticles.log.LogScheduler;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;

/**
 * One Brook broker: deploys the topic manager (topics, partition verticles, admin and metadata
 * addresses) and the API verticle (produce, fetch, list-offsets for this broker's partitions), and
 * runs the broker's log scheduler. Configured by its deployment config: {@link BrokerConfig} keys;
 * {@code cluster.host}, {@code http.port} and {@code bridge.port} are read to tell clients where
 * this broker is.
 */
public final class BrokerVerticle extends VerticleBase {
  /** The API verticle only routes; two instances keep one slow JSON conversion from stalling all. */
  private static final int API_INSTANCES = 2;
  private static final long NODE_ID_PROBE_TIMEOUT_MS = 2_000;
  private final Time time;
  private LogScheduler scheduler;

  public BrokerVerticle() {
    this(Time.SYSTEM);
  }

  /** With an injected clock, for tests that drive retention and flush by time. */
  public BrokerVerticle(Time time) {
    this.time = time;
  }

  @Override
  public Future<?> start() {
    BrokerConfig config = new BrokerConfig(JsonConfig.asStrings(config()));
    LocalCodecs.register(vertx.eventBus());
    BrokerInfo self = new BrokerInfo(config.nodeId(), config().getString("cluster.host", "127.0.0.1"),
        intOr(config(), "http.port", -1), intOr(config(), "bridge.port", -1));
    return throwIfNodeIdTaken(config.nodeId())
        .compose(free -> vertx.executeBlocking(() -> Files.createDirectories(config.dataDir())))
        .compose(dir -> vertx.deployVerticle(new TopicManagerVerticle(config, self, time)))
        .compose(id -> vertx.deployVerticle(() -> new BrokerApiVerticle(config.nodeId()),
            new DeploymentOptions().setInstances(API_INSTANCES)))
        .onSuccess(id -> {
          scheduler = new LogScheduler(vertx);
          scheduler.start(config.flushSchedulerIntervalMs(), config.retentionCheckIntervalMs());
        });
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

  @Override
  public Future<?> stop() {
    if (scheduler != null) {
      scheduler.stop();
    }
    return Future.succeededFuture();
  }


  private static int intOr(JsonObject json, String key, int fallback) {
    Object value = json.getValue(key);
    return value == null ? fallback : Integer.parseInt(String.valueOf(value));
  }
}
