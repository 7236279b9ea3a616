package io.brook.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.spi.cluster.zookeeper.impl.RetryPolicyHelper;
import java.time.Instant;
import org.apache.curator.RetryPolicy;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;

/**
 * Builds the cluster manager a {@link ClusterConfig} asks for. Hazelcast joins by TCP/IP on the
 * configured members only (never multicast) and never phones home; ZooKeeper uses Curator with the
 * configured session timeout and this member's own ZooKeeper client config (TLS). Both detect a dead member within about 6 s: their "node left" is a hint
 * that speeds up Brook's own failure detection (quorum fetch timeouts, broker sessions).
 */
public final class ClusterManagers {
  /** vertx-hazelcast 5.0.7 keeps every cluster counter in this map (HazelcastObjectProviderImpl.MAP_COUNTER_NAME). */
  static final String HAZELCAST_COUNTER_MAP = "__vertx.map.counter";
  /** ... and every cluster lock as a key lock of this map (MAP_LOCK_NAME). */
  static final String HAZELCAST_LOCK_MAP = "__vertx.map.lock";
  /**
   * Synchronous backups of the counter and lock maps. With Hazelcast's default of 1, two members dying at
   * once in a 3-node cluster lose the partitions whose owner and backup they were: counters silently
   * restart at 0 (measured: 5 and 8 of 20 counters) and locks are forgotten (the founding lock of a new
   * cluster is one). With 2, every member of a 3-node cluster holds a copy.
   */
  static final int ELECTION_MAP_BACKUPS = 2;
  /** Longest a leaving Hazelcast member waits to hand over its partitions. */
  /** How long a stuck partition migration holds its partitions' operations before it is retried. */
  static final long HAZELCAST_CALL_TIMEOUT_MS = 15_000;
  static final int HAZELCAST_INVOCATION_MAX_RETRIES = 40;
  static final int HAZELCAST_MIGRATION_TIMEOUT_SECONDS = 20;
  static final int HAZELCAST_GRACEFUL_SHUTDOWN_SECONDS = 5;

  public static ClusterManager create(ClusterConfig config, MemberRole role) {
    return switch (config.clusterManager()) {
      case ClusterConfig.ZOOKEEPER -> zookeeperClusterManager(config);
      default -> new HazelcastClusterManager(hazelcastConfig(config, role));
    };
  }

  /**
   * {@code vertx}'s member is shutting down: its cluster manager stops waiting for what it cannot
   * reach (ZooKeeper mode: a server that is down). Call before closing Vert.x; nothing to do with
   * Hazelcast, whose leave is bounded by {@link #HAZELCAST_GRACEFUL_SHUTDOWN_SECONDS}.
   */
  public static void stopping(io.vertx.core.Vertx vertx) {
    if (vertx instanceof io.vertx.core.internal.VertxInternal internal
        && internal.clusterManager() instanceof BrookZookeeperClusterManager zookeeper) {
      zookeeper.stopping();
    }
  }

  static Config hazelcastConfig(ClusterConfig config, MemberRole role) {
    // start from vertx-hazelcast's own config to keep its settings for the __vertx.* structures
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(config.clusterName());
    // Clients are full Hazelcast members too: a lite member left alone when the last broker dies
    // cannot reach the cluster's data any more and never sees the restarted broker's addresses.
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.wait.seconds.before.join", "0");
    hz.setProperty("hazelcast.logging.type", "jdk");
    hz.setProperty("hazelcast.shutdownhook.enabled", "false"); // Vert.x closes it in order
    // Hazelcast's own metrics (for its Management Center, which Brook has no use for: Brook's meters are
    // Micrometer's) are collected every 5 s and compressed, a steady few per cent of a core per broker
    hz.getMetricsConfig().setEnabled(false);
    // A leaving member hands its partitions of the __vertx.* maps to the others first; Hazelcast waits up to
    // 600 s for that by default, and a member in the middle of a merge took 10-15 s to stop. Bounded well
    // within shutdown.timeout.ms: every member holds a copy anyway (ELECTION_MAP_BACKUPS).
    hz.setProperty("hazelcast.graceful.shutdown.max.wait", Integer.toString(HAZELCAST_GRACEFUL_SHUTDOWN_SECONDS));
    // A frozen member stays in the cluster (its addresses routed to) until it is removed:
    // 6 s without a heartbeat instead of 60 s (120 s of CPU and GC load on this 2-core machine caused no
    // false removal); heartbeats every second so that 6 s means several missed beats, not one.
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(config.hazelcastMaxNoHeartbeatSeconds()));
    hz.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    // A removed (frozen, then woken) member rejoins only through a split-brain merge. Hazelcast's defaults
    // (first run after 300 s, then every 120 s) would leave it a one-member cluster for minutes.
    hz.setProperty("hazelcast.merge.first.run.delay.seconds", "10");
    hz.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    // A partition migration whose messages were lost (lossy links while a member joined) is abandoned and
    // retried only after this; meanwhile every operation on its partitions waits, and the event bus's
    // first look-up of an address with it (NetnsPartitionTest's lossy links: look-ups blocked over 80 s
    // after the loss had ended). Hazelcast's 300 s default is for large data; Brook's is a few subscriptions.
    hz.setProperty("hazelcast.partition.migration.timeout", Integer.toString(HAZELCAST_MIGRATION_TIMEOUT_SECONDS));
    // No Hazelcast operation may block its caller for minutes: the event bus's look-ups of addresses run
    // as MultiMap gets under vertx-hazelcast's subscription lock, so one stuck get stalls every look-up
    // behind it, the metadata quorum's included (NetnsPartitionTest's lossy links, session 22: gets
    // blocked over 80 s after a split and merge, a broker fenced for good). Hazelcast waits 60 s for an
    // answer and retries 250 times, 500 ms apart (over 2 minutes); here an invocation gives up after
    // 15 s without an answer or 40 retries (20 s), the look-up fails, and the caller's next try asks again.
    hz.setProperty("hazelcast.operation.call.timeout.millis", Long.toString(HAZELCAST_CALL_TIMEOUT_MS));
    hz.setProperty("hazelcast.invocation.max.retry.count", Integer.toString(HAZELCAST_INVOCATION_MAX_RETRIES));
    hz.addListenerConfig(new ListenerConfig(new HazelcastHandshakeTimeout()));
    for (String map : new String[] {HAZELCAST_COUNTER_MAP, HAZELCAST_LOCK_MAP}) {
      MapConfig mapConfig = hz.getMapConfig(map); // a copy of the default config, registered under this name
      mapConfig.setBackupCount(ELECTION_MAP_BACKUPS).setAsyncBackupCount(0);
    }
    NetworkConfig network = hz.getNetworkConfig();
    network.setPort(config.hazelcastPort()).setPortAutoIncrement(true).setPortCount(100);
    network.getInterfaces().setEnabled(true).addInterface(config.host());
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(config.hazelcastMembers());
    return hz;
  }

  /**
   * vertx-zookeeper's manager on a Curator client built here from {@link #zookeeperConfig} (the settings
   * vertx-zookeeper would use) and this member's {@link ZookeeperTls#clientConfig}; the TLS files are
   * checked first. Curator connects only when Vert.x joins.
   */
  static ClusterManager zookeeperClusterManager(ClusterConfig config) {
    ZookeeperTls.check(config, Instant.now());
    JsonObject zk = zookeeperConfig(config);
    RetryPolicy retry = RetryPolicyHelper.createRetryPolicy(zk.getJsonObject("retry"));
    CuratorFramework curator = CuratorFrameworkFactory.builder()
        .connectString(zk.getString("zookeeperHosts"))
        .namespace(zk.getString("rootPath"))
        .sessionTimeoutMs(zk.getInteger("sessionTimeout"))
        .connectionTimeoutMs(zk.getInteger("connectTimeout"))
        .retryPolicy(retry)
        .zkClientConfig(ZookeeperTls.clientConfig(config))
        .build();
    return new BrookZookeeperClusterManager(curator, retry, config);
  }

  static JsonObject zookeeperConfig(ClusterConfig config) {
    return new JsonObject()
        .put("zookeeperHosts", config.zookeeperConnect())
        .put("sessionTimeout", config.zookeeperSessionTimeoutMs())
        .put("connectTimeout", 3000)
        .put("rootPath", config.zookeeperRoot())
        .put("retry", new JsonObject()
            .put("policy", "exponential_backoff")
            .put("initialSleepTime", 100)
            .put("intervalTimes", 10000)
            .put("maxTimes", 5));
  }
}
