package io.brook.server;

import io.brook.cluster.BrookCluster;
import io.brook.cluster.ClusterConfig;
import io.brook.cluster.MemberRole;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A private cluster for one test: its own name and Hazelcast port range, so it never meets a
 * developer's running node or another test's brokers.
 */
public final class TestCluster {
  public final String name = "test-" + UUID.randomUUID().toString().substring(0, 8);
  public final int basePort = freePort();

  /** The config of broker {@code nodeId} of this cluster, with its data under {@code root}. */
  public Map<String, Object> brokerConfig(int nodeId, Path root) {
    Map<String, Object> config = new HashMap<>(clusterKeys());
    config.put("node.id", nodeId);
    config.put("data.dir", root.resolve("node-" + nodeId).toString());
    config.put("http.port", freePort());
    config.put("bridge.port", -1);
    return config;
  }

  public Map<String, Object> clusterKeys() {
    return Map.of(
        ClusterConfig.CLUSTER_NAME, name,
        ClusterConfig.CLUSTER_PORT, basePort,
        ClusterConfig.CLUSTER_MEMBERS, "127.0.0.1:" + basePort + "-" + (basePort + 9));
  }

  /** A client member of this cluster (Hazelcast lite member), for the test's requests. */
  public Vertx joinAsClient() {
    return BrookCluster.start(new ClusterConfig(clusterKeys()), MemberRole.CLIENT).await();
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
