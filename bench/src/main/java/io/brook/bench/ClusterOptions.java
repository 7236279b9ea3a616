package io.brook.bench;

import io.brook.cluster.ClusterConfig;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** How a perf command joins the Brook cluster: the cluster manager and where its members are. */
public final class ClusterOptions {
  @Option(names = "--cluster-manager", defaultValue = "hazelcast",
      description = "Cluster manager: hazelcast or zookeeper (default: ${DEFAULT-VALUE}).")
  String clusterManager;

  @Option(names = "--cluster-members", defaultValue = "127.0.0.1:5701-5703",
      description = "Hazelcast members to join, host[:port[-lastPort]],... (default: ${DEFAULT-VALUE}).")
  String clusterMembers;

  @Option(names = "--zookeeper-connect", defaultValue = "127.0.0.1:2181",
      description = "ZooKeeper connect string with --cluster-manager zookeeper (default: ${DEFAULT-VALUE}).")
  String zookeeperConnect;

  @Option(names = "--cluster-name", defaultValue = "brook",
      description = "Name of the cluster to join (default: ${DEFAULT-VALUE}).")
  String clusterName;

  @Option(names = "--cluster-host", defaultValue = "127.0.0.1",
      description = "Interface this client binds and advertises (default: ${DEFAULT-VALUE}).")
  String clusterHost;

  ClusterConfig toClusterConfig() {
    Map<String, Object> values = new HashMap<>();
    values.put(ClusterConfig.CLUSTER_MANAGER, clusterManager);
    values.put(ClusterConfig.CLUSTER_MEMBERS, clusterMembers);
    values.put(ClusterConfig.ZOOKEEPER_CONNECT, zookeeperConnect);
    values.put(ClusterConfig.CLUSTER_NAME, clusterName);
    values.put(ClusterConfig.CLUSTER_HOST, clusterHost);
    return new ClusterConfig(values);
  }
}
