package io.brook.verticles;

import io.brook.cluster.ClusterSelfCheck;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.List;

/**
 * Keeps this broker in the cluster manager by itself: every second it checks that it is in its own
 * view of the members and that its consumers are registered ({@link ClusterSelfCheck}); if not (a
 * ZooKeeper session lost in an outage or a long pause, a Hazelcast merge race), it writes its
 * membership again and re-registers every cluster consumer ({@link ClusterConsumers}). One repair at a
 * time, at most one every {@value #REPAIR_SPACING_MS} ms; while the cluster manager is unreachable a
 * repair fails and is tried again. Nobody has to restart a broker whose registrations were lost.
 *
 * <p>Runs on one event loop.
 */
public final class ClusterHealthVerticle extends VerticleBase {
  private static final System.Logger LOG = System.getLogger(ClusterHealthVerticle.class.getName());
  private static final long CHECK_MS = 1_000;
  static final long REPAIR_SPACING_MS = 3_000;

  private final List<String> watchedAddresses;
  private boolean busy;
  private long lastRepairNanos = System.nanoTime() - REPAIR_SPACING_MS * 1_000_000;
  private int repairs;

  /** {@code watchedAddresses}: some of this broker's cluster addresses; they are lost together. */
  public ClusterHealthVerticle(List<String> watchedAddresses) {
    this.watchedAddresses = watchedAddresses;
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(CHECK_MS, id -> check());
    return Future.succeededFuture();
  }

  private void check() {
    if (busy || System.nanoTime() - lastRepairNanos < REPAIR_SPACING_MS * 1_000_000) {
      return;
    }
    busy = true;
    ClusterSelfCheck.check(vertx, watchedAddresses)
        .compose(health -> health.healthy() ? Future.succeededFuture() : repair(health))
        .onComplete(done -> busy = false);
  }

  private Future<Void> repair(ClusterSelfCheck.Health health) {
    lastRepairNanos = System.nanoTime();
    long started = System.nanoTime();
    LOG.log(System.Logger.Level.WARNING, "This broker lost its place in the cluster manager (" + health
        + "): registering its membership and consumers again");
    Future<Void> member = health.selfMissing() || health.staleMembership() ? ClusterSelfCheck.rejoin(vertx)
        : Future.succeededFuture();
    return member.compose(done -> ClusterConsumers.registerAllAgain(vertx))
        .onSuccess(done -> LOG.log(System.Logger.Level.WARNING, "Cluster membership and consumers registered again in "
            + (System.nanoTime() - started) / 1_000_000 + " ms (repair " + ++repairs + ")"))
        .onFailure(e -> LOG.log(System.Logger.Level.WARNING, "Registering again failed (the cluster manager may still be "
            + "unreachable); trying again in " + REPAIR_SPACING_MS + " ms: " + e));
  }
}
