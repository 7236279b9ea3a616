package io.brook.verticles;

import io.brook.protocol.Addresses;
import io.brook.protocol.ClusterView;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.spi.cluster.NodeListener;
import java.util.List;

/**
 * The cluster manager's membership, as a hint: "node left" (a SIGKILLed broker on loopback is seen
 * in under a second in Hazelcast mode) is re-published locally on {@link Addresses#LOCAL_NODE_LEFT}
 * for the quorum replica (its leader left: campaign now) and the controller (fence that broker now).
 * Only a hint: a frozen broker stays a member for the cluster manager's own timeout, and Brook's
 * own fetch timeouts and broker sessions decide.
 */
public final class ClusterMembership {
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private static final System.Logger LOG = System.getLogger(ClusterMembership.class.getName());

  private ClusterMembership() {}

  /** The event bus node id's first 8 characters: enough to match a RegisterBroker line's eventBusNodeId. */
  private static String shortId(String nodeId) {
    return nodeId.length() > 8 ? nodeId.substring(0, 8) : nodeId;
  }

  private static String count(ClusterView view) {
    int members = view.size();
    return members + (members == 1 ? " member" : " members");
  }

  /**
   * The cluster manager's members now; null on a Vert.x that is not clustered, or when the view is
   * broken (it lacks this node itself, as after a lost ZooKeeper session): then it says nothing.
   */
  public static List<String> members(Vertx vertx) {
    return ClusterView.of(vertx).consistentMembers();
  }

  /** Does nothing on a Vert.x that is not clustered. */
  static void publishNodeLeft(Vertx vertx) {
    ClusterView view = ClusterView.of(vertx);
    view.onChange(new NodeListener() {
      @Override
      public void nodeAdded(String nodeId) {
        // a new member is not a broker until it registers with the controller (which logs RegisterBroker)
        LOG.log(System.Logger.Level.INFO, "Cluster member " + shortId(nodeId) + " joined (" + count(view)
            + "): a broker, or a client such as bin/brook perf");
      }

      @Override
      public void nodeLeft(String nodeId) {
        // ZooKeeper reports every member as gone, this node included, when this node's session was lost
        // (docs/notes/cluster-manager-outages.md): that view is broken, not a hint
        if (!nodeId.equals(view.selfId()) && view.consistentMembers() != null) {
          LOG.log(System.Logger.Level.INFO, "Cluster member " + shortId(nodeId) + " left (" + count(view) + ")");
          vertx.eventBus().publish(Addresses.LOCAL_NODE_LEFT, nodeId, LOCAL);
        }
      }
    });
  }
}
