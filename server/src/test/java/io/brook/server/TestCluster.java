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
    config.put("kafka.port", -1); // on by default (9092): a test that wants one asks for a free port
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

  /**
   * A port free now, below the kernel's ephemeral range: a broker keeps its ports across a kill and a
   * restart, and a port of the ephemeral range can be taken in between as the local port of any outgoing
   * connection (a restarted broker then failed with "Address already in use"). 100 ports of headroom
   * below the range for the ports a Hazelcast member counts up from its base port.
   */
  public static int freePort() {
    int[] range = portRange(ephemeralRangeStart(), Integer.getInteger("brook.test.fork", 1),
        Integer.getInteger("brook.test.forks", 1));
    for (int attempt = 0; attempt < 1_000; attempt++) {
      int port = range[0] + PORTS.nextInt(range[1] - range[0]);
      if (!handOut(port)) {
        continue;
      }
      try (ServerSocket socket = new ServerSocket(port)) {
        return socket.getLocalPort();
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IllegalStateException("no free port between " + range[0] + " and " + range[1]);
  }

  /**
   * The ports test JVM {@code fork} of {@code forks} (surefire's forkNumber, 1-based; the server module runs
   * test classes in parallel JVMs) picks from, [from, to): 10000 up to the ephemeral range, cut in one slice
   * per fork, so that two test JVMs never pick the same port in the moment between the check and the bind
   * (a broker binds its HTTP port seconds later). Each slice ends 100 ports early: the headroom a Hazelcast
   * member counts up from its base port.
   */
  static int[] portRange(int ephemeralStart, int fork, int forks) {
    int slice = (ephemeralStart - 10_000) / Math.max(1, forks);
    int index = Math.floorMod(fork - 1, Math.max(1, forks));
    int from = 10_000 + index * slice;
    return new int[] {from, Math.max(from + 1, from + slice - 100)};
  }

  private static final java.util.Random PORTS = new java.util.Random();
  /** Every port this JVM handed out: a broker binds its port seconds after the pick, and a Hazelcast member
   * counts up to 9 ports from its base, so a port is never handed out twice, nor within 10 of another
   * (a restarted broker gets its old ports back from its config, not from here). */
  private static final java.util.TreeSet<Integer> HANDED_OUT = new java.util.TreeSet<>();

  private static synchronized boolean handOut(int port) {
    Integer below = HANDED_OUT.floor(port);
    Integer above = HANDED_OUT.ceiling(port);
    if (below != null && port - below < 10 || above != null && above - port < 10) {
      return false;
    }
    HANDED_OUT.add(port);
    return true;
  }

  /** The first port of the kernel's ephemeral range; Linux's default when it cannot be read. */
  static int ephemeralRangeStart() {
    try {
      // by lines: Files.readString trusts the size a /proc file reports and reads "3" of "32768 60999"
      int start = Integer.parseInt(java.nio.file.Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
          .get(0).trim().split("\\s+")[0]);
      return start >= 20_000 ? start : 32_768;
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }
}
