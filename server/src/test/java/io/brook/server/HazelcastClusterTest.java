package io.brook.server;

import org.junit.jupiter.api.Tag;

/** The replicated cluster's guarantees with Hazelcast (embedded, TCP join on loopback). */
@Tag("integration")
class HazelcastClusterTest extends ReplicatedClusterScenarios {
  @Override
  ProcessCluster.Mode mode() {
    return ProcessCluster.Mode.HAZELCAST;
  }
}
