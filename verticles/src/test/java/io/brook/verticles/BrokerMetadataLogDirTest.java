package io.brook.verticles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.brook.storage.Time;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker with {@code metadata.log.dir} keeps its metadata there across restarts, and refuses to
 * start, with one line, on a metadata directory of another cluster than its data directory.
 */
class BrokerMetadataLogDirTest {
  @TempDir
  Path root;

  @Test
  void aBrokerRefusesAMetadataDirectoryOfAnotherCluster() {
    Path dataDir = root.resolve("data-1");
    try (BrokerHarness first = new BrokerHarness(dataDir, Map.of(BrokerConfig.METADATA_LOG_DIR,
        root.resolve("metadata-1").toString()), Time.SYSTEM)) {
      first.calls.createTopic("t", 1, Map.of());
      first.restart();
      assertThat(first.calls.readAll("t", 0, 0)).isEmpty(); // it knows its topic after a restart
    }
    try (BrokerHarness second = new BrokerHarness(root.resolve("data-2"), Map.of(BrokerConfig.METADATA_LOG_DIR,
        root.resolve("metadata-2").toString()), Time.SYSTEM)) {
      second.calls.createTopic("u", 1, Map.of()); // founds a cluster of its own
    }

    Vertx vertx = Vertx.vertx();
    try {
      JsonObject mixed = new JsonObject().put("node.id", BrokerHarness.NODE_ID).put("data.dir", dataDir.toString())
          .put(BrokerConfig.METADATA_LOG_DIR, root.resolve("metadata-2").toString());
      Throwable refused = catchThrowable(() -> vertx.deployVerticle(new BrokerVerticle(),
          new DeploymentOptions().setConfig(mixed)).await());
      assertThat(refused).as("the broker started on a metadata directory of another cluster").isNotNull();
      assertThat(refused.getMessage()).contains("metadata.log.dir", "belongs to cluster").doesNotContain("\n");
    } finally {
      vertx.close().await();
    }
  }
}
