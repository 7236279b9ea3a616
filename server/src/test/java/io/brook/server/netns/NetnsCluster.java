package io.brook.server.netns;

import io.brook.server.ProcessBroker;
import io.brook.server.ProcessCluster;
import java.nio.file.Path;
import java.util.Map;

/**
 * A {@link ProcessCluster} whose brokers each run in a network namespace of a {@link NetnsHost}: real
 * addresses, real TCP between them, so a cut on the bridge is a real split for Hazelcast, ZooKeeper and
 * the event bus. The test's client member (and the ZooKeeper server in ZooKeeper mode) are in the test
 * JVM, on the root side of the bridge. Faults go through {@link #net()}; requests, topics and the
 * acknowledged-write helpers through {@link #cluster()} as in every process test.
 *
 * <pre>{@code
 * try (NetnsCluster c = NetnsCluster.start(root, Mode.HAZELCAST, 3, Map.of())) {
 *   c.cluster().createTopic("t", 1, 3, Map.of("min.insync.replicas", "2"));
 *   c.net().isolate(c.cluster().partition("t", 0).leader());
 *   ...
 *   c.net().heal();
 * }
 * }</pre>
 */
public final class NetnsCluster implements AutoCloseable {
  private final NetnsHost net;
  private final ProcessCluster cluster;

  private NetnsCluster(NetnsHost net, ProcessCluster cluster) {
    this.net = net;
    this.cluster = cluster;
  }

  /**
   * A run with {@code brokers} namespaces and a broker started in each, node ids 1..n;
   * aborts the test where namespaces cannot be made. {@code extra}: broker config keys for every broker.
   */
  public static NetnsCluster start(Path root, ProcessCluster.Mode mode, int brokers, Map<String, Object> extra)
      throws Exception {
    NetnsHost net = NetnsHost.create(brokers);
    ProcessCluster cluster = null;
    try {
      cluster = new ProcessCluster(root, mode, extra, net);
      // The first broker alone, then the others side by side: Hazelcast members that all start at once
      // spend seconds electing the master (measured: 15-19 s for three at once, about 11 s this way).
      int[] ids = net.nodes().stream().mapToInt(Integer::intValue).toArray();
      cluster.start(ids[0]);
      cluster.startAll(java.util.Arrays.copyOfRange(ids, 1, ids.length));
      return new NetnsCluster(net, cluster);
    } catch (Exception | Error e) {
      if (cluster != null) {
        cluster.close();
      }
      net.close();
      throw e;
    }
  }

  public NetnsHost net() {
    return net;
  }

  public ProcessCluster cluster() {
    return cluster;
  }

  public ProcessBroker broker(int nodeId) {
    return cluster.broker(nodeId);
  }

  /** Brokers, client member and ZooKeeper first (while the network still works), then the namespaces. */
  @Override
  public void close() throws Exception {
    try {
      net.clear();
      cluster.close();
    } finally {
      net.close();
    }
  }
}
