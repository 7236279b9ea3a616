package io.brook.server;

import org.junit.jupiter.api.Tag;

/** The metadata quorum's guarantees with Hazelcast (embedded, TCP join on loopback). */
@Tag("integration")
class HazelcastQuorumTest extends MetadataQuorumScenarios {
  @Override
  ProcessCluster.Mode mode() {
    return ProcessCluster.Mode.HAZELCAST;
  }
}
