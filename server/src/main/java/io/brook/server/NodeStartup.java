package io.brook.server;

import io.brook.verticles.BrokerVerticle;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The phases of a node's start, for its ready line: from the JVM's start (what the operator waited
 * for since the command), through joining the cluster, to the broker's metadata catch-up and the
 * hosting of its replicas (log recovery) and the web listeners. Marked by {@link BrookServer}'s
 * hooks (main thread) and read by {@link NodeVerticle} (event loop) once: the marks are volatile.
 */
final class NodeStartup {
  private final long jvmStartMs;
  private volatile long joinStartMs = -1;
  private volatile long joinedMs = -1;

  NodeStartup() {
    this(ManagementFactory.getRuntimeMXBean().getStartTime());
  }

  NodeStartup(long jvmStartMs) {
    this.jvmStartMs = jvmStartMs;
  }

  void joining() {
    joinStartMs = System.currentTimeMillis();
  }

  void joined() {
    joinedMs = System.currentTimeMillis();
  }

  /** How long joining the cluster took; 0 before it is over. */
  long joinMs() {
    return joinedMs < joinStartMs ? 0 : joinedMs - joinStartMs;
  }

  /** How long the join has been under way (from {@link #joining}). */
  long joiningForMs() {
    return joinStartMs < 0 ? 0 : System.currentTimeMillis() - joinStartMs;
  }

  /** Milliseconds from the JVM's start to now. */
  long sinceJvmStartMs() {
    return System.currentTimeMillis() - jvmStartMs;
  }

  /** "JVM 0.6 s, cluster join 1.9 s, metadata 0.3 s, replicas 0.2 s, web 0.1 s": the phases that were measured. */
  String phases(BrokerVerticle.Startup broker, long webMs) {
    List<String> phases = new ArrayList<>();
    if (joinStartMs >= 0 && joinedMs >= joinStartMs) {
      phases.add("JVM " + seconds(joinStartMs - jvmStartMs));
      phases.add("cluster join " + seconds(joinedMs - joinStartMs));
    }
    if (broker != null) {
      phases.add("metadata " + (broker.metadataMs() < 0 ? "not caught up" : seconds(broker.metadataMs())));
      phases.add("replicas " + (broker.replicasMs() < 0 ? "no controller yet" : seconds(broker.replicasMs())));
    }
    phases.add("web " + seconds(webMs));
    return String.join(", ", phases);
  }

  static String seconds(long ms) {
    return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }
}
