package io.brook.server;

import io.brook.cluster.ClusterConfig;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The cluster join, said when it is slow or cut short. Until the join is over there is no Vert.x,
 * so no {@link NodeShutdown}: a join still under way after {@link #SLOW_MS} is logged once (where
 * it is trying), and a node stopped during the join (SIGTERM, Ctrl-C) says so in one line from a
 * JVM shutdown hook, instead of exiting without a word.
 */
final class JoinWatch {
  static final long SLOW_MS = 5_000;

  private final NodeStartup startup;
  private final CountDownLatch over = new CountDownLatch(1);
  private Thread stoppedWhileJoining;

  JoinWatch(NodeStartup startup) {
    this.startup = startup;
  }

  /** "ZooKeeper at 127.0.0.1:2181" or "Hazelcast on 127.0.0.1". */
  static String through(ClusterConfig cluster) {
    return ClusterConfig.ZOOKEEPER.equals(cluster.clusterManager())
        ? "ZooKeeper at " + cluster.zookeeperConnect() : "Hazelcast on " + cluster.host();
  }

  /** Called as the join begins (main thread). */
  void start(Object nodeId, ClusterConfig cluster) {
    String joining = "cluster '" + cluster.clusterName() + "' through " + through(cluster);
    stoppedWhileJoining = new Thread(() -> {
      if (over.getCount() > 0) {
        log().log(System.Logger.Level.INFO, "Brook node " + nodeId + " stopped while joining " + joining + " (after "
            + NodeStartup.seconds(startup.joiningForMs()) + "); it had served nothing");
      }
    }, "brook-stopped-while-joining");
    Runtime.getRuntime().addShutdownHook(stoppedWhileJoining);
    Thread slow = new Thread(() -> {
      try {
        if (!over.await(SLOW_MS, TimeUnit.MILLISECONDS)) {
          log().log(System.Logger.Level.INFO, "Brook node " + nodeId + " is still joining " + joining + " after "
              + NodeStartup.seconds(startup.joiningForMs()));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "brook-join-watch");
    slow.setDaemon(true);
    slow.start();
  }

  /** The join is over, joined or refused (which says so itself). */
  void joined() {
    over.countDown();
    if (stoppedWhileJoining != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(stoppedWhileJoining);
      } catch (IllegalStateException shuttingDownAlready) {
        // the hook runs, sees the join over, and says nothing
      }
    }
  }

  /** Not a static field: the class may be loaded before main chooses java.util.logging's manager. */
  private static System.Logger log() {
    return System.getLogger(JoinWatch.class.getName());
  }
}
