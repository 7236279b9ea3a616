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
    Future<Vertx> started = Vertx.builder()
        .with(options)
        .withClusterManager(ClusterManagers.create(config, role))
        .buildClustered();
    return role == MemberRole.CLIENT ? started.onSuccess(BrookCluster::keepMembership) : started;
  }

  /**
   * A client member has no consumers, but brokers reply to it over connections they may open only to
   * members: if the cluster manager dropped it (a lost ZooKeeper session), it writes its membership
   * again. Brokers do more (ClusterHealthVerticle). Checked every second.
   */
  private static void keepMembership(Vertx vertx) {
    boolean[] busy = {false};
    vertx.setPeriodic(MEMBERSHIP_CHECK_MS, id -> {
      if (busy[0]) {
        return;
      }
      busy[0] = true;
      ClusterSelfCheck.check(vertx, java.util.List.of())
          .compose(health -> health.healthy() ? Future.succeededFuture() : ClusterSelfCheck.rejoin(vertx))
          .onComplete(done -> busy[0] = false);
    });
  }

  private static final long MEMBERSHIP_CHECK_MS = 1_000;
}
