package io.brook.protocol;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeListener;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A member's view of the cluster manager's membership (Hazelcast or ZooKeeper, through Vert.x): the one
 * place that reaches the cluster manager, which Vert.x only exposes through its internal API. Brokers,
 * clients and the console read members, this member's id and host from here, and subscribe to changes.
 *
 * <p>The membership is a hint, never the truth about brokers (their registrations with the controller
 * are): Hazelcast keeps a frozen member for seconds, and a ZooKeeper session lives until it expires.
 * Every method answers for an unclustered Vert.x too (no members, no id). One view per Vert.x instance:
 * the cluster manager has a single listener slot, which the view takes and shares.
 */
public final class ClusterView implements Shareable {
  private static final String MAP = "brook.cluster-view";
  private final ClusterManager manager;
  private final List<NodeListener> listeners = new CopyOnWriteArrayList<>();
  private boolean listening;

  private ClusterView(ClusterManager manager) {
    this.manager = manager;
  }

  /** {@code vertx}'s view, made on first use. */
  public static ClusterView of(Vertx vertx) {
    LocalMap<String, ClusterView> views = vertx.sharedData().getLocalMap(MAP);
    ClusterView found = views.get(MAP);
    if (found == null) {
      ClusterView made = new ClusterView(vertx instanceof VertxInternal internal ? internal.clusterManager() : null);
      found = views.putIfAbsent(MAP, made);
      found = found == null ? made : found;
    }
    return found;
  }

  public boolean clustered() {
    return manager != null;
  }

  /** This member's event bus node id; null when not clustered. */
  public String selfId() {
    return manager == null ? null : manager.getNodeId();
  }

  /** This member's event bus node id, or {@code "local-" + fallback} when not clustered. */
  public String selfIdOr(String fallback) {
    return manager == null ? "local-" + fallback : manager.getNodeId();
  }

  /** The members now (event bus node ids); null when not clustered. */
  public List<String> members() {
    return manager == null ? null : manager.getNodes();
  }

  /**
   * The members now, or null when not clustered or when the view is broken: it lacks this member itself,
   * as after a lost ZooKeeper session, and then says nothing about the others.
   */
  public List<String> consistentMembers() {
    if (manager == null) {
      return null;
    }
    List<String> nodes = manager.getNodes();
    return nodes.contains(manager.getNodeId()) ? nodes : null;
  }

  /** How many members there are now: 1 when not clustered. */
  public int size() {
    return manager == null ? 1 : manager.getNodes().size();
  }

  /** The host this member's event bus listens on; {@code fallback} when not clustered or not known yet. */
  public String host(String fallback) {
    return manager == null || manager.getNodeInfo() == null ? fallback : manager.getNodeInfo().host();
  }

  /** "hazelcast", "zookeeper" or "none" (an unclustered Vert.x); another manager's class name. */
  public String managerName() {
    if (manager == null) {
      return "none";
    }
    String name = manager.getClass().getName().toLowerCase(Locale.ROOT);
    return name.contains("zookeeper") ? "zookeeper" : name.contains("hazelcast") ? "hazelcast"
        : manager.getClass().getSimpleName();
  }

  /** Members joining and leaving, as the cluster manager reports them (on its own threads); not clustered: nothing. */
  public synchronized void onChange(NodeListener listener) {
    if (manager == null) {
      return;
    }
    listeners.add(listener);
    if (!listening) {
      listening = true;
      manager.nodeListener(new NodeListener() {
        @Override
        public void nodeAdded(String nodeId) {
          listeners.forEach(each -> each.nodeAdded(nodeId));
        }

        @Override
        public void nodeLeft(String nodeId) {
          listeners.forEach(each -> each.nodeLeft(nodeId));
        }
      });
    }
  }
}
