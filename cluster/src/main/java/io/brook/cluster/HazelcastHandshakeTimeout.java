package io.brook.cluster;

import com.hazelcast.cluster.Address;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleListener;
import com.hazelcast.instance.EndpointQualifier;
import com.hazelcast.instance.impl.HazelcastInstanceImpl;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.internal.server.ServerConnection;
import com.hazelcast.internal.server.tcp.TcpServerConnection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The handshake timeout Hazelcast's member connections lack. When this member opens a connection to a
 * member whose process is frozen (stopped, or stalled in a long pause, while its kernel still accepts
 * TCP), the connection's outbound pipeline spins on a Hazelcast IO thread, a whole core, for as long as
 * the peer does not answer the handshake (Hazelcast 5.3.8 and 5.7.0 alike; hazelcast/hazelcast#26473).
 * The split-brain merge search opens such a connection to a frozen member every few seconds once it has
 * been removed, and a join waits on one for up to five minutes; on a machine shared by several brokers
 * the spinning core starved the others' heartbeats, split the cluster and cost the metadata quorum its
 * leader.
 *
 * <p>So a connection this member opened to an address that is not a member, which has not read a byte
 * within {@link #TIMEOUT_MS} ({@link #JOINING_TIMEOUT_MS} while this member joins), is closed;
 * Hazelcast's merge search tries again on its own schedule, and a member that wakes up finds the cluster
 * itself (its own merge search). Connections to members and connections other members opened are never
 * touched. Runs on its own daemon thread, registered as a lifecycle listener in the member's Hazelcast
 * config ({@link ClusterManagers}).
 */
final class HazelcastHandshakeTimeout implements LifecycleListener, HazelcastInstanceAware {
  /** A live peer answers a handshake in milliseconds; every 100 ms of waiting is 100 ms of a spinning core. */
  static final long TIMEOUT_MS = 200;
  /**
   * While this member joins, the brokers it asks may be starting as slowly as itself. Left alone, the join
   * waits for a frozen one for up to {@code hazelcast.max.join.seconds} (300 s) with a core spinning.
   */
  static final long JOINING_TIMEOUT_MS = 500;
  static final long CHECK_INTERVAL_MS = 50;

  private static final Logger LOG = Logger.getLogger(HazelcastHandshakeTimeout.class.getName());

  private volatile HazelcastInstance instance;
  private ScheduledExecutorService timer;
  /** Connection id to when it was first seen waiting: only the timer thread touches it. */
  private final Map<Integer, Long> waitingSince = new HashMap<>();
  /** Addresses already reported once: later closes for the same address are logged at FINE. */
  private final Set<Address> reported = new HashSet<>();
  private final AtomicLong closed = new AtomicLong();

  @Override
  public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
    this.instance = hazelcastInstance;
  }

  @Override
  public synchronized void stateChanged(LifecycleEvent event) {
    switch (event.getState()) {
      case STARTING, STARTED, MERGED -> start();
      case SHUTTING_DOWN, SHUTDOWN -> stop();
      default -> { }
    }
  }

  /** How many unanswered connections were closed. */
  long closedConnections() {
    return closed.get();
  }

  private void start() {
    if (timer != null) {
      return;
    }
    timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "brook-hazelcast-handshake-timeout");
      thread.setDaemon(true);
      return thread;
    });
    timer.scheduleWithFixedDelay(this::checkSafely, CHECK_INTERVAL_MS, CHECK_INTERVAL_MS, TimeUnit.MILLISECONDS);
  }

  private void stop() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }

  private void checkSafely() {
    try {
      check();
    } catch (RuntimeException | LinkageError e) {
      // another Hazelcast version without these internals: the member works as before, without the timeout
      LOG.log(Level.WARNING, "Hazelcast handshake timeout stopped: " + e, e);
      stop();
    }
  }

  private void check() {
    HazelcastInstanceImpl hazelcast = original(instance);
    if (hazelcast == null || !hazelcast.node.isRunning()) {
      return;
    }
    long timeoutMs = hazelcast.node.getClusterService().isJoined() ? TIMEOUT_MS : JOINING_TIMEOUT_MS;
    Set<Address> members = new HashSet<>();
    for (Member member : hazelcast.getCluster().getMembers()) {
      members.add(member.getAddress());
    }
    long now = System.nanoTime();
    Set<Integer> waiting = new HashSet<>();
    for (ServerConnection connection : hazelcast.node.getServer().getConnectionManager(EndpointQualifier.MEMBER).getConnections()) {
      if (!(connection instanceof TcpServerConnection tcp) || tcp.isAcceptorSide() || !tcp.isAlive()
          || tcp.lastReadTimeMillis() > 0 || tcp.getRemoteAddress() == null || members.contains(tcp.getRemoteAddress())) {
        continue;
      }
      waiting.add(tcp.getConnectionId());
      long since = waitingSince.computeIfAbsent(tcp.getConnectionId(), id -> now);
      if (now - since >= TimeUnit.MILLISECONDS.toNanos(timeoutMs)) {
        tcp.close("no answer to the handshake within " + timeoutMs + " ms", null);
        closed.incrementAndGet();
        Level level = reported.add(tcp.getRemoteAddress()) ? Level.INFO : Level.FINE;
        LOG.log(level, () -> "Hazelcast connection to " + tcp.getRemoteAddress() + " got no answer in " + timeoutMs
            + " ms (a member there is frozen or overloaded): closed, Hazelcast tries again later");
      }
    }
    waitingSince.keySet().retainAll(waiting);
    reported.removeAll(members); // back in the cluster: its next freeze is reported again
  }

  private static HazelcastInstanceImpl original(HazelcastInstance instance) {
    if (instance instanceof HazelcastInstanceImpl impl) {
      return impl;
    }
    if (instance instanceof HazelcastInstanceProxy proxy) {
      return proxy.getOriginal();
    }
    return null;
  }
}
