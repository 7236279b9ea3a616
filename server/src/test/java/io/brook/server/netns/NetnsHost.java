package io.brook.server.netns;

import io.brook.server.ProcessCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * One run of {@code bin/brook-netns}: a Linux bridge with a private /24 in the root network namespace,
 * one network namespace per node joined to it by a veth pair, each node on its own address, and the
 * faults between them (nftables rules on the bridge: cuts and random loss; tc netem delay where the kernel
 * has it). Every operation shells out to the script, so a person at a shell and a test do the same thing.
 *
 * <p>Addresses: the root side (this JVM: the test's client member, a ZooKeeper server) is
 * {@link #hostAddress()}, {@code 10.A.B.1}; node N is {@code 10.A.B.(10+N)}, Hazelcast on port 5701 there.
 *
 * <p>Ownership: the run records this JVM's PID; {@link #close()} removes everything the run created (and
 * kills what still runs in its namespaces), and so does a shutdown hook if the test never closes it.
 * {@link #create} first removes earlier runs whose owner died. Not thread-safe for concurrent fault
 * changes from several threads (the script serialises them, but their order is the caller's).
 */
public final class NetnsHost implements ProcessCluster.Network, AutoCloseable {
  /** Which side of a {@link #split} the root side (client member, ZooKeeper) stays with. */
  public enum HostSide { A, B, BOTH, NONE }

  /** Hazelcast's member port inside each namespace (each has its own ports, so all use the same). */
  public static final int HAZELCAST_PORT = 5701;
  private static final long COMMAND_TIMEOUT_SECONDS = 60;

  private final Path script;
  private final String runId;
  private final Set<Integer> nodes;
  private final String subnet;
  private final boolean canDelay;
  private final Thread shutdownHook;
  private boolean closed;

  private NetnsHost(Path script, String runId, Set<Integer> nodes, String subnet, boolean canDelay) {
    this.script = script;
    this.runId = runId;
    this.nodes = nodes;
    this.subnet = subnet;
    this.canDelay = canDelay;
    this.shutdownHook = new Thread(this::down, "netns-" + runId + "-down");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Creates a run with nodes 1..{@code nodes}; aborts the test (JUnit assumption) where namespaces cannot
   * be made: not Linux, not root, no {@code ip}, nftables refused.
   */
  public static NetnsHost create(int nodes) {
    Path script = script();
    Map<String, String> check = assumeAvailable(script);
    run(script, List.of("gc"));
    long pid = ProcessHandle.current().pid();
    String runId = run(script, List.of("up", Integer.toString(nodes), "--owner-pid", Long.toString(pid))).strip();
    String hostIp = run(script, List.of("--run", runId, "ip", "host")).strip();
    Set<Integer> ids = new TreeSet<>();
    for (int id = 1; id <= nodes; id++) {
      ids.add(id);
    }
    return new NetnsHost(script, runId, ids, hostIp.substring(0, hostIp.lastIndexOf('.')), "yes".equals(check.get("netem")));
  }

  /** Aborts the calling test, with the reason, when this machine cannot run the harness. */
  public static void assumeAvailable() {
    assumeAvailable(script());
  }

  private static Map<String, String> assumeAvailable(Path script) {
    Assumptions.assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"),
        "network namespaces need Linux (this is " + System.getProperty("os.name") + ")");
    Result result = exec(script, List.of("check"));
    Map<String, String> check = new HashMap<>();
    for (String line : result.output().split("\n")) {
      int space = line.indexOf(' ');
      if (space > 0 && !line.startsWith("brook-netns:")) {
        check.put(line.substring(0, space), line.substring(space + 1));
      }
    }
    if (result.exitCode() != 0) {
      Assumptions.abort("cannot create network namespaces here (bin/brook-netns check: "
          + result.output().strip().replace('\n', ';') + "); these tests need root on Linux with ip and nftables");
    }
    return check;
  }

  public String runId() {
    return runId;
  }

  public Set<Integer> nodes() {
    return nodes;
  }

  @Override
  public String hostAddress() {
    return subnet + ".1";
  }

  public String address(int nodeId) {
    requireNode(nodeId);
    return subnet + "." + (10 + nodeId);
  }

  public String namespace(int nodeId) {
    requireNode(nodeId);
    return "brk" + runId + "n" + nodeId;
  }

  /** Every node's Hazelcast member address, and the client member's on the root side. */
  @Override
  public String hazelcastMembers(int clientPort) {
    List<String> members = new ArrayList<>();
    nodes.forEach(id -> members.add(address(id) + ":" + HAZELCAST_PORT));
    members.add(hostAddress() + ":" + clientPort);
    return String.join(",", members);
  }

  /** The cluster manager, the event bus and the HTTP API bound to the node's own address. */
  @Override
  public Map<String, Object> brokerKeys(int nodeId) {
    return Map.of(
        "cluster.host", address(nodeId),
        "cluster.port", HAZELCAST_PORT,
        "http.host", address(nodeId),
        "bridge.host", address(nodeId),
        "security.allow.anonymous", true); // a test network of our own, not reachable from elsewhere
  }

  /** {@code bin/brook-netns --run ID run N --}: execs the command inside node N's namespace (same PID). */
  @Override
  public List<String> launcher(int nodeId) {
    requireNode(nodeId);
    return List.of(script.toString(), "--run", runId, "run", Integer.toString(nodeId), "--");
  }

  /** A process builder for {@code command} inside node N's namespace (a client there, a probe, bin/brook ...). */
  public ProcessBuilder inNamespace(int nodeId, List<String> command) {
    List<String> full = new ArrayList<>(launcher(nodeId));
    full.addAll(command);
    return new ProcessBuilder(full);
  }

  /** Cuts each node off from every other node and from the root side, both ways (silent drops). */
  public void isolate(int... nodeIds) {
    List<String> args = new ArrayList<>(List.of("isolate"));
    for (int id : nodeIds) {
      args.add(Integer.toString(requireNode(id)));
    }
    command(args);
  }

  /** Two sides that cannot talk to each other; the root side stays with {@code a}. */
  public void split(Collection<Integer> a, Collection<Integer> b) {
    split(a, b, HostSide.A);
  }

  /** Two sides that cannot talk to each other, each whole within itself; {@code host} says where the root side is. */
  public void split(Collection<Integer> a, Collection<Integer> b, HostSide host) {
    command(List.of("split", ids(a), "/", ids(b), "--host", host.name().toLowerCase()));
  }

  /** Removes every cut (flaps stay). */
  public void heal() {
    command(List.of("heal"));
  }

  /** Removes the cuts to and from one node. */
  public void heal(int nodeId) {
    command(List.of("heal", Integer.toString(requireNode(nodeId))));
  }

  /**
   * Drops each packet to or from the node with probability {@code lossPercent}, and delays both directions
   * by {@code delayMs} ± {@code jitterMs} (needs tc netem: see {@link #canDelay()}). All zeros removes it.
   */
  public void flap(int nodeId, int lossPercent, int delayMs, int jitterMs) {
    if (delayMs > 0 && !canDelay) {
      throw new UnsupportedOperationException("this kernel has no tc netem (CONFIG_NET_SCH_NETEM): no delay; "
          + "guard with assumeTrue(net.canDelay())");
    }
    command(List.of("flap", Integer.toString(requireNode(nodeId)), "--loss", Integer.toString(lossPercent),
        "--delay", Integer.toString(delayMs), "--jitter", Integer.toString(jitterMs)));
  }

  /** Whether {@link #flap} can delay packets (the kernel has tc netem); loss works everywhere. */
  public boolean canDelay() {
    return canDelay;
  }

  /** Removes every cut and every flap. */
  public void clear() {
    command(List.of("clear"));
  }

  /** The script's view: nodes, addresses, processes, cuts, flaps (for failure messages). */
  public String status() {
    return command(List.of("status"));
  }

  @Override
  public void close() {
    down();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run: nothing left to remove
    }
  }

  private synchronized void down() {
    if (!closed) {
      closed = true;
      exec(script, List.of("--run", runId, "down"));
    }
  }

  private String command(List<String> args) {
    if (closed) {
      throw new IllegalStateException("netns run " + runId + " is down");
    }
    List<String> full = new ArrayList<>(List.of("--run", runId));
    full.addAll(args);
    return run(script, full);
  }

  private int requireNode(int nodeId) {
    if (!nodes.contains(nodeId)) {
      throw new IllegalArgumentException("netns run " + runId + " has no node " + nodeId + " (nodes " + nodes + ")");
    }
    return nodeId;
  }

  private String ids(Collection<Integer> side) {
    if (side.isEmpty()) {
      throw new IllegalArgumentException("a side of a split needs a node");
    }
    return side.stream().map(this::requireNode).map(String::valueOf).collect(Collectors.joining(","));
  }

  private record Result(int exitCode, String output) {}

  private static String run(Path script, List<String> args) {
    Result result = exec(script, args);
    if (result.exitCode() != 0) {
      throw new IllegalStateException("bin/brook-netns " + String.join(" ", args) + " exited with "
          + result.exitCode() + ": " + result.output().strip());
    }
    return result.output();
  }

  /** Runs the script; stdout and stderr together, as the caller reports them. */
  private static Result exec(Path script, List<String> args) {
    List<String> command = new ArrayList<>(List.of(script.toString()));
    command.addAll(args);
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("bin/brook-netns " + String.join(" ", args) + " did not finish");
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      return new Result(127, "cannot run " + script + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code bin/brook-netns} of this checkout: {@code -Dbrook.netns.script}, or found above the working directory. */
  static Path script() {
    String configured = System.getProperty("brook.netns.script");
    if (configured != null) {
      return Path.of(configured).toAbsolutePath();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("bin").resolve("brook-netns");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("bin/brook-netns not found above " + Path.of("").toAbsolutePath());
  }
}
