package io.brook.server.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.server.netns.NetnsHost.HostSide;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.HashSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The harness itself, without brokers: each fault cuts exactly the pairs of addresses it says (TCP connects
 * time out, both ways), heal and clear give every pair back, a launched process is the JVM itself, and
 * closing (or a dead owner) leaves no namespace, link or table behind while other namespaces stay.
 */
@Tag("integration")
class NetnsHostTest {
  private static final int PORT = 7999; // each namespace is new: nothing else listens there
  private static final int HOST = 0; // the root side in the reachability pairs
  private static final int CONNECT_TIMEOUT_MS = 1000;
  /** All pairs at once: a cut pair costs a whole connect timeout. */
  private static final ExecutorService PROBES = Executors.newFixedThreadPool(16, r -> {
    Thread thread = new Thread(r, "netns-probe");
    thread.setDaemon(true);
    return thread;
  });

  @Test
  void eachFaultCutsExactlyItsPairsAndHealingGivesThemBack() throws Exception {
    String runId;
    try (NetnsHost net = NetnsHost.create(3);
        ServerSocket hostListener = new ServerSocket()) {
      runId = net.runId();
      hostListener.bind(new InetSocketAddress(InetAddress.getByName(net.hostAddress()), 0));
      Thread acceptor = new Thread(() -> acceptForever(hostListener), "host-listener");
      acceptor.setDaemon(true);
      acceptor.start();
      List<Process> listeners = new ArrayList<>();
      try {
        for (int id : net.nodes()) {
          Process listener = net.inNamespace(id, List.of(javaBin(), "-cp", System.getProperty("java.class.path"),
              TcpListener.class.getName(), net.address(id), Integer.toString(PORT))).redirectErrorStream(true).start();
          listeners.add(listener);
          // the launcher (bash, then ip netns exec) execs: the PID becomes the JVM's, so signals reach it
          await().atMost(Duration.ofSeconds(10))
              .until(() -> listener.info().command().orElse(""), command -> command.endsWith("/java"));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> blocked(net, hostListener.getLocalPort()).isEmpty());

        net.isolate(1);
        assertThat(blocked(net, hostListener.getLocalPort())).containsExactlyInAnyOrder(
            pair(HOST, 1), pair(1, HOST), pair(1, 2), pair(2, 1), pair(1, 3), pair(3, 1));
        net.heal();
        assertThat(blocked(net, hostListener.getLocalPort())).isEmpty();

        net.split(Set.of(1, 2), Set.of(3), HostSide.B);
        assertThat(blocked(net, hostListener.getLocalPort())).containsExactlyInAnyOrder(
            pair(1, 3), pair(3, 1), pair(2, 3), pair(3, 2), pair(HOST, 1), pair(1, HOST), pair(HOST, 2), pair(2, HOST));
        net.heal(3); // only node 3's cuts go: the root side is still cut from 1 and 2
        assertThat(blocked(net, hostListener.getLocalPort())).containsExactlyInAnyOrder(
            pair(HOST, 1), pair(1, HOST), pair(HOST, 2), pair(2, HOST));
        net.heal();

        net.split(Set.of(1), Set.of(2, 3), HostSide.NONE);
        assertThat(blocked(net, hostListener.getLocalPort())).containsExactlyInAnyOrder(
            pair(1, 2), pair(2, 1), pair(1, 3), pair(3, 1),
            pair(HOST, 1), pair(1, HOST), pair(HOST, 2), pair(2, HOST), pair(HOST, 3), pair(3, HOST));
        net.heal();

        net.flap(2, 100, 0, 0); // every packet to or from 2 lost: a cut by another mechanism
        assertThat(blocked(net, hostListener.getLocalPort())).containsExactlyInAnyOrder(
            pair(HOST, 2), pair(2, HOST), pair(1, 2), pair(2, 1), pair(3, 2), pair(2, 3));
        net.clear();
        assertThat(blocked(net, hostListener.getLocalPort())).isEmpty();
      } finally {
        listeners.forEach(Process::destroyForcibly);
        hostListener.close();
        acceptor.join(5_000);
      }
    }
    assertThat(run("ip", "netns", "list")).doesNotContain("brk" + runId);
    assertThat(run("ip", "-o", "link")).doesNotContain("brk" + runId);
    assertThat(run("nft", "list", "tables")).doesNotContain("brk" + runId);
  }

  @Test
  void earlierRunsAreRemovedOnlyWhenTheirOwnerIsDeadAndOtherNamespacesAreNeverTouched() throws Exception {
    NetnsHost.assumeAvailable();
    String foreign = "brook-netns-test-foreign-" + ProcessHandle.current().pid();
    Process owner = new ProcessBuilder("sleep", "600").start();
    try {
      run("ip", "netns", "add", foreign);
      String orphan = run(NetnsHost.script().toString(), "up", "1", "--owner-pid", Long.toString(owner.pid())).strip();
      try (NetnsHost live = NetnsHost.create(1)) {
        assertThat(run("ip", "netns", "list")).contains("brk" + orphan + "n1").contains(live.namespace(1));
        owner.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        try (NetnsHost next = NetnsHost.create(1)) { // its gc removes the orphan, and only it
          assertThat(run("ip", "netns", "list")).doesNotContain("brk" + orphan)
              .contains(live.namespace(1), next.namespace(1), foreign);
        }
      }
    } finally {
      owner.destroyForcibly();
      run("ip", "netns", "del", foreign);
    }
  }

  /** Every (from, to) pair of {host, 1..n} whose TCP connect does not succeed, all checked at once. */
  private static Set<List<Integer>> blocked(NetnsHost net, int hostPort) {
    List<Integer> parties = new ArrayList<>(List.of(HOST));
    parties.addAll(net.nodes());
    List<CompletableFuture<List<Integer>>> checks = new ArrayList<>();
    for (int from : parties) {
      for (int to : parties) {
        if (from != to) {
          String address = to == HOST ? net.hostAddress() : net.address(to);
          int port = to == HOST ? hostPort : PORT;
          checks.add(CompletableFuture.supplyAsync(() -> connects(net, from, address, port) ? null : pair(from, to),
              PROBES));
        }
      }
    }
    Set<List<Integer>> blocked = new HashSet<>();
    checks.stream().map(CompletableFuture::join).filter(p -> p != null).forEach(blocked::add);
    return blocked;
  }

  private static boolean connects(NetnsHost net, int from, String address, int port) {
    if (from == HOST) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MS);
        return true;
      } catch (IOException e) {
        return false;
      }
    }
    try {
      Process probe = net.inNamespace(from, List.of("timeout", "1", "bash", "-c",
          "exec 3<>/dev/tcp/" + address + "/" + port)).redirectErrorStream(true).start();
      probe.getInputStream().readAllBytes();
      return probe.waitFor() == 0;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static List<Integer> pair(int from, int to) {
    return List.of(from, to);
  }

  private static void acceptForever(ServerSocket server) {
    while (!server.isClosed()) {
      try (Socket socket = server.accept()) {
        socket.getOutputStream().flush();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private static String javaBin() {
    return java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    process.waitFor(60, TimeUnit.SECONDS);
    return output;
  }
}
