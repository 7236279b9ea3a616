package io.brook.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.config.Config;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A member listed in {@code cluster.members} whose process is frozen: its kernel accepts connections, nothing
 * ever answers. Hazelcast's join and merge search connect to it again and again; without a handshake
 * timeout each such connection spins a Hazelcast IO thread at a full core until the peer answers.
 */
class HazelcastHandshakeTimeoutTest {

  @Test
  void connectionsToAFrozenPeerAreClosedAndDoNotSpinACore() throws Exception {
    try (FrozenPeer frozen = new FrozenPeer()) {
      Config config = ClusterManagers.hazelcastConfig(new ClusterConfig(Map.of(
          ClusterConfig.CLUSTER_NAME, "handshake-" + UUID.randomUUID(),
          ClusterConfig.CLUSTER_PORT, freePort(),
          ClusterConfig.CLUSTER_MEMBERS, "127.0.0.1:" + frozen.port())), MemberRole.BROKER);
      HazelcastHandshakeTimeout timeout = config.getListenerConfigs().stream().map(ListenerConfig::getImplementation)
          .filter(HazelcastHandshakeTimeout.class::isInstance).map(HazelcastHandshakeTimeout.class::cast)
          .findFirst().orElseThrow();
      long startedAt = System.nanoTime();
      HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
      try {
        // without the timeout the join waits on the frozen peer for hazelcast.max.join.seconds (300 s)
        assertThat(Duration.ofNanos(System.nanoTime() - startedAt)).isLessThan(Duration.ofSeconds(30));
        long closedWhileJoining = timeout.closedConnections();
        assertThat(closedWhileJoining).isPositive();
        long cpuBefore = ioOutCpuNanos();
        long wallBefore = System.nanoTime();
        // the merge search (10 s after the start, then every 5 s) connects to the frozen peer again and again
        await().atMost(Duration.ofSeconds(60)).until(() -> timeout.closedConnections() >= closedWhileJoining + 2);
        double busy = (double) (ioOutCpuNanos() - cpuBefore) / (System.nanoTime() - wallBefore);
        assertThat(busy).as("share of a core Hazelcast's outbound IO threads used while the peer was frozen")
            .isLessThan(0.25);
        assertThat(member.getCluster().getMembers()).hasSize(1);
      } finally {
        member.shutdown();
      }
    }
  }

  private static long ioOutCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (ThreadInfo thread : threads.dumpAllThreads(false, false)) {
      if (thread.getThreadName().contains(".IO.thread-out")) {
        total += Math.max(0, threads.getThreadCpuTime(thread.getThreadId()));
      }
    }
    return total;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Accepts connections and never reads or writes, as the kernel of a stopped process does. */
  private static final class FrozenPeer implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<Socket> sockets = new ArrayList<>();
    private final Thread acceptor = new Thread(this::accept, "frozen-peer");

    FrozenPeer() throws IOException {
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    synchronized int accepted() {
      return sockets.size();
    }

    private void accept() {
      while (!server.isClosed()) {
        try {
          Socket socket = server.accept();
          synchronized (this) {
            sockets.add(socket);
          }
        } catch (IOException closed) {
          return;
        }
      }
    }

    @Override
    public synchronized void close() throws IOException {
      server.close();
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }
}
