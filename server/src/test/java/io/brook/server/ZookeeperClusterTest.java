package io.brook.server;

import org.junit.jupiter.api.Tag;

/** The replicated cluster's guarantees with ZooKeeper as cluster manager (a real server, started by the test). */
@Tag("integration")
class ZookeeperClusterTest extends ReplicatedClusterScenarios {
  @Override
  ProcessCluster.Mode mode() {
    return ProcessCluster.Mode.ZOOKEEPER;
  }
}
