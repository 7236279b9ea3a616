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
 * than join one. Only one broker may ever found: the designated founder
 * ({@code controller.quorum.bootstrap.founder.id}, node 1 by default), as Kafka formats one controller
 * with {@code --standalone} and the others with none. Every other broker waits until it hears of a
 * cluster (brokers publish their status every second) and joins it. So brokers started together never
 * found two clusters, even when one of them is cut off from the others by its cluster manager at that
 * moment (a starved Hazelcast member suspects its peers dead and forms an island of one): it waits for
 * the islands to merge instead of founding a cluster of its own.
 *
 * <p>The founder itself founds only while it holds the cluster manager's lock {@value #LOCK}, and only
 * if no broker of any cluster was heard of for the whole listening time after it took the lock (no
 * listening when it is the cluster manager's only member): a founder restarted on an empty disk joins
 * the cluster it was part of. It records the cluster id before it releases the lock. Brokers of
 * different clusters refuse each other (INCONSISTENT_CLUSTER_ID) and it is logged.
 *
 * <p>Runs on the quorum verticle's thread.
 */
final class ClusterFounding {
  private static final System.Logger LOG = System.getLogger(ClusterFounding.class.getName());
  static final String LOCK = "brook.quorum.founding";
  private static final long LOCK_WAIT_MS = 5_000;
  private static final long RETRY_MS = 1_000;
  private static final long FIRST_WAITING_LOG_MS = 5_000;
  private static final long WAITING_LOG_MS = 30_000;

  private final Vertx vertx;
  private final int nodeId;
  private final int founderId;
  private final long listenMs;
  private final Set<String> foreignClusters = new HashSet<>();
  private boolean inProgress;
  private long nextAttemptMs;
  private long lastClusterSeenMs = Long.MIN_VALUE;
  private long waitingSinceMs = -1;
  private long waitingLoggedMs;

  ClusterFounding(Vertx vertx, int nodeId, int founderId, long listenMs) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.founderId = founderId;
    this.listenMs = listenMs;
  }

  void onClusterSeen(QuorumStatus status) {
    if (status.clusterId() != null && status.nodeId() != nodeId) {
      lastClusterSeenMs = nowMs();
    }
  }

  /** The founder: starts an attempt if it belongs to no cluster and none is under way. Others: say they wait. */
  void maybeStart(QuorumReplica replica, Runnable found) {
    if (inProgress || replica.clusterId().isPresent() || replica.logEndOffset() > 0 || nowMs() < nextAttemptMs) {
      return;
    }
    if (nodeId != founderId) {
      logWaiting();
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

  /** After {@value #FIRST_WAITING_LOG_MS} ms, then every {@value #WAITING_LOG_MS} ms: why the broker is not ready. */
  private void logWaiting() {
    long now = nowMs();
    if (waitingSinceMs < 0) {
      waitingSinceMs = now;
      waitingLoggedMs = now - WAITING_LOG_MS + FIRST_WAITING_LOG_MS;
      return;
    }
    if (now - waitingLoggedMs < WAITING_LOG_MS) {
      return;
    }
    waitingLoggedMs = now;
    LOG.log(System.Logger.Level.INFO, "Broker " + nodeId + " has heard of no cluster for " + (now - waitingSinceMs) / 1000
        + " s: it joins the first one it hears of, and only broker " + founderId
        + " (controller.quorum.bootstrap.founder.id) founds a new one. Start broker " + founderId
        + ", or set controller.quorum.bootstrap.founder.id=" + nodeId + " if this broker is the first of a new cluster.");
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
