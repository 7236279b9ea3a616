package io.brook.server;

import org.junit.jupiter.api.Tag;

/** The metadata quorum's guarantees with ZooKeeper as cluster manager (a real server, started by the test). */
@Tag("integration")
class ZookeeperQuorumTest extends MetadataQuorumScenarios {
  @Override
  ProcessCluster.Mode mode() {
    return ProcessCluster.Mode.ZOOKEEPER;
  }
}
