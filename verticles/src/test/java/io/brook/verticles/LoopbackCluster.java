package io.brook.verticles;

import io.brook.cluster.ClusterConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.UUID;

/** A Hazelcast cluster of its own on loopback for a test's members: a fresh name, a free port and four above it. */
public final class LoopbackCluster {
  private LoopbackCluster() {}

  public static ClusterConfig config(String namePrefix) {
    int port = freePort();
    return new ClusterConfig(Map.of(ClusterConfig.CLUSTER_NAME, namePrefix + "-" + UUID.randomUUID(),
        ClusterConfig.CLUSTER_PORT, port, ClusterConfig.CLUSTER_MEMBERS, "127.0.0.1:" + port + "-" + (port + 4)));
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
