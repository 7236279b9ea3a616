package io.brook.bench;

import io.brook.cluster.ClusterConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Brokers of a private cluster started as child processes through {@code run.sh} (so each is a
 * JVM of its own that can be killed for real), with data and logs under one work directory. The
 * cluster name is unique, so a cluster the user already runs on this machine is never joined.
 */
final class LocalBrokers implements AutoCloseable {
  private static final long READY_TIMEOUT_MS = 120_000;

  private final Path brookHome;
  private final Path workDir;
  private final Map<String, Object> clusterKeys = new HashMap<>();
  private final Map<Integer, Process> processes = new TreeMap<>();

  /** {@code zookeeperConnect}: null for Hazelcast, else ZooKeeper mode against that server. */
  LocalBrokers(Path brookHome, Path workDir, String zookeeperConnect) {
    this.brookHome = brookHome;
    this.workDir = workDir;
    clusterKeys.put(ClusterConfig.CLUSTER_NAME, "perf-" + UUID.randomUUID().toString().substring(0, 8));
    if (zookeeperConnect != null) {
      clusterKeys.put(ClusterConfig.CLUSTER_MANAGER, ClusterConfig.ZOOKEEPER);
      clusterKeys.put(ClusterConfig.ZOOKEEPER_CONNECT, zookeeperConnect);
    } else {
      int basePort = freePort();
      clusterKeys.put(ClusterConfig.CLUSTER_PORT, basePort);
      clusterKeys.put(ClusterConfig.CLUSTER_MEMBERS, "127.0.0.1:" + basePort + "-" + (basePort + 9));
    }
  }

  /** What a client needs to join this cluster. */
  ClusterConfig clusterConfig() {
    return new ClusterConfig(clusterKeys);
  }

  /** Starts broker {@code nodeId} (again, after a kill: same data directory) and waits until it is ready. */
  void start(int nodeId) {
    List<String> command = new ArrayList<>(List.of(brookHome.resolve("run.sh").toString(),
        "--node-id", String.valueOf(nodeId), "--data-dir", workDir.resolve("node-" + nodeId).toString(),
        "--http-port", String.valueOf(freePort()), "--bridge-port", "-1", "--kafka-port", "-1"));
    clusterKeys.forEach((key, value) -> command.add("-Dbrook." + key + "=" + value));
    Path log = logOf(nodeId);
    try {
      Files.createDirectories(workDir);
      long logStart = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8).length() : 0; // restarts append
      Process process = new ProcessBuilder(command).directory(brookHome.toFile()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      processes.put(nodeId, process);
      awaitReady(nodeId, process, log, logStart);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start broker " + nodeId, e);
    }
  }

  private void awaitReady(int nodeId, Process process, Path log, long logStart) throws IOException {
    long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
    String readyLine = "Brook node " + nodeId + " ready";
    while (!Files.readString(log, StandardCharsets.UTF_8).substring((int) logStart).contains(readyLine)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("broker " + nodeId + " exited with " + process.exitValue() + "; see " + log);
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("broker " + nodeId + " not ready after " + READY_TIMEOUT_MS + " ms; see " + log);
      }
      waitFor(process, 100);
    }
  }

  /** SIGKILL: no shutdown hook runs, nothing is closed cleanly. */
  void kill(int nodeId) {
    Process process = processes.remove(nodeId);
    if (process != null) {
      process.destroyForcibly();
      waitFor(process, 30_000);
    }
  }

  Path logOf(int nodeId) {
    return workDir.resolve("node-" + nodeId + ".log");
  }

  @Override
  public void close() {
    processes.values().forEach(Process::destroy); // SIGTERM: a clean shutdown
    processes.values().forEach(p -> {
      waitFor(p, 30_000);
      p.destroyForcibly();
    });
    processes.clear();
  }

  private static void waitFor(Process process, long ms) {
    try {
      process.waitFor(ms, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
