package io.brook.server;

import io.brook.cluster.ClusterManagers;
import io.brook.verticles.lifecycle.ShutdownProgress;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.deployment.DeploymentContext;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A node's stop (SIGTERM, Ctrl-C, or an exit after a failed start), said and bounded. The launcher's
 * shutdown hook closes Vert.x: every verticle stops (each partition log fsyncs what it had not
 * flushed and writes its clean-shutdown marker), then Vert.x closes the event bus and leaves the
 * cluster. This class logs one line when the stop begins and one when it ends, with what the logs did
 * and how long it took ({@link ShutdownProgress}); and a watchdog thread ends a stop that takes longer
 * than {@code shutdown.timeout.ms} (a cluster manager that cannot reach ZooKeeper, a Hazelcast member
 * stuck in a merge) after logging what it was still waiting for, with {@link Runtime#halt} and
 * status 1: the JVM is already running its shutdown hooks, so {@code System.exit} would block.
 *
 * <p>{@link #begin} runs on the thread that closes Vert.x, {@link #stopped} on a Vert.x thread, the
 * watchdog on its own: they meet through a latch and {@link ShutdownProgress}'s atomics.
 */
final class NodeShutdown {
  static final int TIMED_OUT_STATUS = 1;
  private static final System.Logger LOG = System.getLogger(NodeShutdown.class.getName());

  private final Vertx vertx;
  private final Object nodeId;
  private final long timeoutMs;
  private final ShutdownProgress progress;
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean wasReady;
  private volatile boolean refused;

  NodeShutdown(Vertx vertx, Object nodeId, long timeoutMs) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.timeoutMs = timeoutMs;
    this.progress = ShutdownProgress.of(vertx);
  }

  void ready() {
    wasReady = true;
  }

  /** A node refused at start has said why in one line already: its stop is not news. */
  void refused() {
    refused = true;
  }

  /** The first thing Vert.x's close does (a close hook): from here the stop is timed and bounded. */
  void begin() {
    progress.begin("stopping its verticles (partition logs, metadata quorum replica, controller, HTTP API)");
    ClusterManagers.stopping(vertx);
    LOG.log(level(), "Brook node " + nodeId + " stopping" + (wasReady ? "" : " before it was ready")
        + " (at most shutdown.timeout.ms=" + timeoutMs + " ms)");
    Thread watchdog = new Thread(this::watch, "brook-shutdown-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  boolean begun() {
    return progress.stopping();
  }

  /** Vert.x has closed: every verticle stopped, the event bus closed, the cluster left. */
  void stopped() {
    finished.countDown();
    LOG.log(level(), "Brook node " + nodeId + " stopped in " + progress.elapsedMs() + " ms: "
        + progress.logsSummary() + ", left the cluster");
  }

  /** Vert.x's close failed: it is over all the same, the JVM exits. */
  void failed(Throwable cause) {
    finished.countDown();
    LOG.log(System.Logger.Level.WARNING, "Brook node " + nodeId + " stopped in " + progress.elapsedMs() + " ms with an "
        + "error while " + progress.step() + ": " + (cause == null ? "timed out" : cause) + "; " + progress.logsSummary());
  }

  private System.Logger.Level level() {
    return refused ? System.Logger.Level.DEBUG : System.Logger.Level.INFO;
  }

  private void watch() {
    try {
      if (finished.await(timeoutMs, TimeUnit.MILLISECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    LOG.log(System.Logger.Level.WARNING, "Brook node " + nodeId + " did not stop within shutdown.timeout.ms=" + timeoutMs
        + " ms: still " + progress.step() + stillDeployed() + "; " + progress.logsSummary()
        + "; exiting now with status " + TIMED_OUT_STATUS);
    Runtime.getRuntime().halt(TIMED_OUT_STATUS);
  }

  /** ", waiting for 2 verticles: QuorumVerticle, LogVerticle" (by class, with counts), or nothing. */
  private String stillDeployed() {
    try {
      Map<String, Long> byClass = new TreeMap<>(((VertxInternal) vertx).deploymentManager().deployments().stream()
          .map(DeploymentContext::deployment)
          .collect(Collectors.groupingBy(d -> simpleName(d.identifier()), Collectors.counting())));
      if (byClass.isEmpty()) {
        return "";
      }
      return ", waiting for verticles to stop: " + byClass.entrySet().stream()
          .map(e -> e.getValue() == 1 ? e.getKey() : e.getValue() + " x " + e.getKey())
          .collect(Collectors.joining(", "));
    } catch (RuntimeException e) {
      return ""; // a diagnostic only: never let it stand between the node and its exit
    }
  }

  private static String simpleName(String identifier) {
    String name = identifier == null ? "?" : identifier.replaceFirst("^java:", "");
    return name.substring(name.lastIndexOf('.') + 1);
  }
}
