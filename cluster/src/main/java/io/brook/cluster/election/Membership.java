package io.brook.cluster.election;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import java.util.Collection;
import java.util.List;

/**
 * The cluster manager's membership view, polled by the election's tick. Polling rather than
 * {@code ClusterManager.nodeListener}: that is a single slot which Vert.x's own HA manager occupies.
 * Only a hint (notes §5: in ZooKeeper mode an expired node never comes back into others' views), used
 * solely to tell whether a pause of this JVM cost it its membership.
 */
interface Membership {

  /** This node's cluster-manager id. */
  String self();

  /** The current view, or null if the cluster manager cannot answer (shutting down). */
  Collection<String> nodes();

  static Membership of(Vertx vertx) {
    if (!vertx.isClustered()) {
      return new Membership() { // a single-node broker: always a member of itself
        @Override
        public String self() {
          return "local";
        }

        @Override
        public Collection<String> nodes() {
          return List.of("local");
        }
      };
    }
    ClusterManager cm = ((VertxInternal) vertx).clusterManager();
    return new Membership() {
      @Override
      public String self() {
        return cm.getNodeId();
      }

      @Override
      public Collection<String> nodes() {
        try {
          return cm.getNodes(); // local reads in both modes (Hazelcast member list, Curator cache)
        } catch (RuntimeException e) {
          return null;
        }
      }
    };
  }
}
