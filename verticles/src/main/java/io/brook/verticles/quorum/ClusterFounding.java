package io.brook.verticles.quorum;

import io.brook.quorum.QuorumMessages.QuorumStatus;
import io.brook.quorum.QuorumReplica;
import io.brook.verticles.ClusterMembership;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Lock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How a broker with an empty metadata log and no cluster id decides to found a new cluster rather
 * than join one: only while it holds the cluster manager's lock {@value #LOCK}, and only if no broker
 * of any cluster was heard of (brokers publish their status every second) for the whole listening
 * time after it took the lock (no listening when it is the cluster manager's only member). The founder records the cluster id before it releases the lock, so the
 * next broker to take it hears of the cluster and joins. Two islands of a split cluster manager could
 * each found one at a cluster's very first start; brokers of different clusters refuse each other
 * (INCONSISTENT_CLUSTER_ID) and it is logged.
 *
 * <p>Runs on the quorum verticle's thread.
 */
final class ClusterFounding {
  private static final System.Logger LOG = System.getLogger(ClusterFounding.class.getName());
  static final String LOCK = "brook.quorum.founding";
  private static final long LOCK_WAIT_MS = 5_000;
  private static final long RETRY_MS = 1_000;

  private final Vertx vertx;
  private final int nodeId;
  private final long listenMs;
  private final Set<String> foreignClusters = new HashSet<>();
  private boolean inProgress;
  private long nextAttemptMs;
  private long lastClusterSeenMs = Long.MIN_VALUE;

  ClusterFounding(Vertx vertx, int nodeId, long listenMs) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.listenMs = listenMs;
  }

  void onClusterSeen(QuorumStatus status) {
    if (status.clusterId() != null && status.nodeId() != nodeId) {
      lastClusterSeenMs = nowMs();
    }
  }

  /** Starts an attempt if this broker belongs to no cluster and none is under way. */
  void maybeStart(QuorumReplica replica, Runnable found) {
    if (inProgress || replica.clusterId().isPresent() || replica.logEndOffset() > 0 || nowMs() < nextAttemptMs) {
      return;
    }
    inProgress = true;
    vertx.sharedData().getLockWithTimeout(LOCK, LOCK_WAIT_MS).onComplete(locked -> {
      if (locked.failed()) {
        retryLater();
        return;
      }
      long listeningSince = nowMs();
      // alone in the cluster manager's view (or not clustered): there is nobody to hear from
      List<String> members = ClusterMembership.members(vertx);
      long listen = !vertx.isClustered() || (members != null && members.size() <= 1) ? 1 : Math.max(1, listenMs);
      vertx.setTimer(listen, t -> {
        try {
          if (lastClusterSeenMs < listeningSince && replica.clusterId().isEmpty()) {
            found.run();
          }
        } finally {
          release(locked.result());
          retryLater();
        }
      });
    });
  }

  private void release(Lock lock) {
    lock.release();
  }

  private void retryLater() {
    inProgress = false;
    nextAttemptMs = nowMs() + RETRY_MS;
  }

  void warnForeign(QuorumStatus status) {
    if (foreignClusters.add(status.clusterId())) {
      LOG.log(System.Logger.Level.WARNING, "Broker " + status.nodeId() + " belongs to another cluster ("
          + status.clusterId() + ") than broker " + nodeId + "; the two will not exchange metadata. Was a data "
          + "directory replaced, or were two clusters started with one cluster name?");
    }
  }

  private static long nowMs() {
    return System.nanoTime() / 1_000_000;
  }
}
