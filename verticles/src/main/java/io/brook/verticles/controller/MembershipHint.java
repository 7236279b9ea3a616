package io.brook.verticles.controller;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeListener;
import java.util.function.Consumer;

/**
 * The cluster manager's "node left" events as a hint to the controller (a SIGKILLed broker on
 * loopback is seen in under a second, long before its session times out). Only a hint: a frozen
 * broker stays a member for the cluster manager's own timeout, and Brook's broker sessions decide.
 * Events arrive on the cluster manager's threads and are handed to the given context.
 */
final class MembershipHint {
  private final Vertx vertx;
  private final Context context;
  private final Consumer<String> onNodeLeft;

  MembershipHint(Vertx vertx, Context context, Consumer<String> onNodeLeft) {
    this.vertx = vertx;
    this.context = context;
    this.onNodeLeft = onNodeLeft;
  }

  /** The cluster manager's members now; null on a Vert.x that is not clustered. */
  java.util.List<String> members() {
    ClusterManager clusterManager = ((VertxInternal) vertx).clusterManager();
    return clusterManager == null ? null : clusterManager.getNodes();
  }

  /** Does nothing on a Vert.x that is not clustered. */
  void install() {
    ClusterManager clusterManager = ((VertxInternal) vertx).clusterManager();
    if (clusterManager == null) {
      return;
    }
    clusterManager.nodeListener(new NodeListener() {
      @Override
      public void nodeAdded(String nodeId) {
        // a new member is not a broker until it registers with the controller
      }

      @Override
      public void nodeLeft(String nodeId) {
        context.runOnContext(ignored -> onNodeLeft.accept(nodeId));
      }
    });
  }
}
