package io.brook.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.spi.cluster.zookeeper.ZookeeperClusterManager;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Stat;

/**
 * Is this node still in the cluster manager's view, as itself, with its consumers registered? The
 * cluster managers can lose that and not restore it (docs/notes/cluster-manager-outages.md): after a
 * ZooKeeper outage of 5 s or more (or a member frozen past its session), vertx-zookeeper rewrites its
 * znodes under the old, expiring session and never re-creates its membership entry, so every member
 * soon answers NO_HANDLERS for this node's addresses, for good; a Hazelcast merge can drop a healthy
 * member's registrations for a moment. The broker checks every second and repairs: membership first
 * ({@link #rejoin}), then its consumers, registered again by their owners.
 */
public final class ClusterSelfCheck {
  private ClusterSelfCheck() {}

  /**
   * @param selfMissing         this node is not in its own view of the members
   * @param staleMembership     ZooKeeper: its membership znode belongs to another (expiring) session
   * @param missingRegistration one of the given addresses has no registration of this node
   */
  public record Health(boolean selfMissing, boolean staleMembership, boolean missingRegistration) {
    public static final Health HEALTHY = new Health(false, false, false);

    public boolean healthy() {
      return !selfMissing && !staleMembership && !missingRegistration;
    }
  }

  /** Checks membership and the registrations of {@code ownAddresses} (consumers this node has registered). */
  public static Future<Health> check(Vertx vertx, Collection<String> ownAddresses) {
    ClusterManager cm = clusterManager(vertx);
    if (cm == null) {
      return Future.succeededFuture(Health.HEALTHY);
    }
    String me = cm.getNodeId();
    boolean selfMissing = !cm.getNodes().contains(me);
    List<Future<Boolean>> registered = new ArrayList<>();
    for (String address : ownAddresses) {
      Promise<List<RegistrationInfo>> found = Promise.promise();
      cm.getRegistrations(address, found);
      registered.add(found.future().map(list -> list.stream().anyMatch(r -> me.equals(r.nodeId()))));
    }
    Future<Boolean> stale = cm instanceof ZookeeperClusterManager zk
        ? vertx.executeBlocking(() -> membershipOwnedByAnotherSession(zk, me)) : Future.succeededFuture(false);
    return Future.join(registered).transform(done -> stale.map(staleMembership -> new Health(selfMissing,
        staleMembership, registered.stream().anyMatch(f -> f.failed() || !f.result()))));
  }

  /**
   * Writes this node's membership entry again, under the current session (ZooKeeper: a stale entry of
   * the old session is deleted first, or it would vanish with that session).
   */
  public static Future<Void> rejoin(Vertx vertx) {
    ClusterManager cm = clusterManager(vertx);
    if (cm == null) {
      return Future.succeededFuture();
    }
    Future<Void> cleared = cm instanceof ZookeeperClusterManager zk
        ? vertx.executeBlocking(() -> {
          deleteStaleMembership(zk, cm.getNodeId());
          return null;
        })
        : Future.succeededFuture();
    return cleared.compose(done -> {
      Promise<Void> written = Promise.promise();
      cm.setNodeInfo(cm.getNodeInfo(), written);
      return written.future();
    });
  }

  private static boolean membershipOwnedByAnotherSession(ZookeeperClusterManager zk, String me) throws Exception {
    CuratorFramework curator = zk.getCuratorFramework();
    if (!curator.getZookeeperClient().isConnected()) {
      return false; // nothing to compare while disconnected; checked again once connected
    }
    Stat stat = curator.checkExists().forPath(membershipPath(me));
    return stat != null && stat.getEphemeralOwner() != curator.getZookeeperClient().getZooKeeper().getSessionId();
  }

  private static void deleteStaleMembership(ZookeeperClusterManager zk, String me) throws Exception {
    if (membershipOwnedByAnotherSession(zk, me)) {
      zk.getCuratorFramework().delete().forPath(membershipPath(me));
    }
  }

  /** vertx-zookeeper 5.0.7 keeps members at {@code /cluster/nodes/<id>} under its root path (Curator's namespace). */
  private static String membershipPath(String nodeId) {
    return "/cluster/nodes/" + nodeId;
  }

  private static ClusterManager clusterManager(Vertx vertx) {
    return vertx instanceof VertxInternal internal ? internal.clusterManager() : null;
  }
}
