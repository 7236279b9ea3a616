package io.brook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The fat jar that {@code ./run.sh} and {@code java -jar} start holds every module the node runs.
 * The tests start nodes from their own classpath, so a module the jar leaves out (a test-scope
 * declaration in server/pom.xml hides a runtime dependency) would pass them and fail only in use.
 * The cli module is built after the server's jar, hence this check here.
 */
class ServerJarContentsTest {
  @Test
  void theServerJarHoldsEveryModuleTheNodeRuns() throws IOException {
    Path jar = Path.of("..", "server", "target", "brook-server.jar");
    assertThat(jar).as("built by the server module before this one").exists();
    List<String> classes = List.of("io/brook/server/BrookServer.class", "io/brook/verticles/BrokerVerticle.class",
        "io/brook/web/HttpApiVerticle.class", "io/brook/client/BrookClients.class",
        "io/brook/groups/GroupCoordinatorShard.class", "io/brook/storage/PartitionLog.class",
        "io/brook/quorum/QuorumReplica.class", "io/brook/replication/LeaderReplicaState.class",
        "io/brook/metadata/MetadataImage.class", "io/brook/security/Authorizer.class",
        "io/brook/protocol/Addresses.class", "io/brook/cluster/BrookCluster.class");
    try (JarFile file = new JarFile(jar.toFile())) {
      for (String name : classes) {
        assertThat(file.getEntry(name)).as("%s in %s", name, jar).isNotNull();
      }
    }
    assertThat(Files.size(jar)).isPositive();
  }
}
