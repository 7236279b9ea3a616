package io.brook.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;

/** Starts a clustered Vert.x for a broker or a client. */
public final class BrookCluster {
  private BrookCluster() {}

  /** The event bus options a member uses: bound to {@code cluster.host}, port from config. */
  public static VertxOptions vertxOptions(ClusterConfig config) {
    return new VertxOptions().setEventBusOptions(new EventBusOptions()
        .setHost(config.host())
        .setPort(config.eventBusPort())
        .setTcpNoDelay(true));
  }

  public static Future<Vertx> start(ClusterConfig config, MemberRole role) {
    return start(config, role, vertxOptions(config));
  }

  public static Future<Vertx> start(ClusterConfig config, MemberRole role, VertxOptions options) {
    return Vertx.builder()
        .with(options)
        .withClusterManager(ClusterManagers.create(config, role))
        .buildClustered();
  }
}
