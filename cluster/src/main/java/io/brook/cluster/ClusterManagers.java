package io.brook.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.spi.cluster.zookeeper.ZookeeperClusterManager;

/**
 * Builds the cluster manager a {@link ClusterConfig} asks for. Hazelcast joins by TCP/IP on the
 * configured members only (never multicast) and never phones home; ZooKeeper uses Curator with the
 * configured session timeout.
 */
public final class ClusterManagers {
  private ClusterManagers() {}

  public static ClusterManager create(ClusterConfig config, MemberRole role) {
    return switch (config.clusterManager()) {
      case ClusterConfig.ZOOKEEPER -> new ZookeeperClusterManager(zookeeperConfig(config));
      default -> new HazelcastClusterManager(hazelcastConfig(config, role));
    };
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
    NetworkConfig network = hz.getNetworkConfig();
    network.setPort(config.hazelcastPort()).setPortAutoIncrement(true).setPortCount(100);
    network.getInterfaces().setEnabled(true).addInterface(config.host());
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(config.hazelcastMembers());
    return hz;
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
