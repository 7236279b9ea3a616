package io.brook.verticles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.storage.Time;
import io.brook.verticles.datadir.DirectoryLock;
import io.brook.verticles.datadir.PidFile;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running broker holds its data directory (and a separate metadata directory): its PID is in
 * brook.pid, a second broker on either directory is refused, and a clean stop frees both.
 */
class BrokerDataDirClaimTest {
  private static final String SELF = String.valueOf(ProcessHandle.current().pid());

  @TempDir
  Path root;

  @Test
  void aBrokerHoldsItsDirectoriesWithItsPidUntilItStops() throws Exception {
    Path dataDir = root.resolve("data");
    Path metadataDir = root.resolve("metadata");
    try (BrokerHarness broker = new BrokerHarness(dataDir, Map.of(BrokerConfig.METADATA_LOG_DIR, metadataDir.toString()),
        Time.SYSTEM)) {
      assertThat(Files.readString(dataDir.resolve(PidFile.NAME)).trim()).isEqualTo(SELF);

      JsonObject sameData = new JsonObject().put("node.id", 2).put("data.dir", dataDir.toString());
      assertThatThrownBy(() -> broker.vertx.deployVerticle(new BrokerVerticle(), new DeploymentOptions().setConfig(sameData))
          .await()).hasMessageStartingWith("data dir " + dataDir + " is in use by PID " + SELF);
      JsonObject sameMetadata = new JsonObject().put("node.id", 2).put("data.dir", root.resolve("other").toString())
          .put(BrokerConfig.METADATA_LOG_DIR, metadataDir.toString());
      assertThatThrownBy(() -> broker.vertx.deployVerticle(new BrokerVerticle(), new DeploymentOptions()
          .setConfig(sameMetadata)).await()).hasMessageStartingWith("metadata.log.dir " + metadataDir + " is in use by PID " + SELF);
      // the refused broker released what it had taken: "other" is free again
      DirectoryLock.acquire(root.resolve("other"), "data dir").close();

      broker.stop();
      assertThat(dataDir.resolve(PidFile.NAME)).doesNotExist();
      broker.start(); // the stop released both locks
      assertThat(Files.readString(dataDir.resolve(PidFile.NAME)).trim()).isEqualTo(SELF);
    }
  }
}
