package io.brook.verticles;

import io.brook.protocol.JsonConfig;
import io.brook.protocol.codec.BrookCodecs;
import io.brook.protocol.message.BrokerInfo;
import io.brook.storage.Time;
import io.brook.verticles.admin.TopicManagerVerticle;
import io.brook.verticles.api.BrokerApiVerticle;
import io.brook.verticles.log.LogRequests;
import io.brook.verticles.log.LogScheduler;
import io.brook.verticles.partition.DescribePartition;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
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
    BrookCodecs.register(vertx.eventBus());
    LogRequests.TYPES.forEach(type -> BrookCodecs.registerLocal(vertx.eventBus(), type));
    BrookCodecs.registerLocal(vertx.eventBus(), DescribePartition.class);
    BrokerInfo self = new BrokerInfo(config.nodeId(), config().getString("cluster.host", "127.0.0.1"),
        intOr(config(), "http.port", -1), intOr(config(), "bridge.port", -1));
    return vertx.executeBlocking(() -> Files.createDirectories(config.dataDir()))
        .compose(dir -> vertx.deployVerticle(new TopicManagerVerticle(config, self, time)))
        .compose(id -> vertx.deployVerticle(new BrokerApiVerticle(config.nodeId())))
        .onSuccess(id -> {
          scheduler = new LogScheduler(vertx);
          scheduler.start(config.flushSchedulerIntervalMs(), config.retentionCheckIntervalMs());
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
