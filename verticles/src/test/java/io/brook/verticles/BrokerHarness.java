package io.brook.verticles;

import io.brook.storage.Time;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real broker (real files in a temp dir) on a plain Vert.x for tests, with the blocking
 * {@link ProtocolCalls} of a client on the same event bus.
 */
public final class BrokerHarness implements AutoCloseable {
  public static final int NODE_ID = 1;
  public final Vertx vertx;
  public final Path dataDir;
  public final ProtocolCalls calls;
  private final JsonObject config;
  private final Time time;
  private String deploymentId;

  public BrokerHarness(Path dataDir, Map<String, Object> extraConfig, Time time) {
    this.vertx = Vertx.vertx();
    this.dataDir = dataDir;
    this.time = time;
    this.config = new JsonObject().put("node.id", NODE_ID).put("data.dir", dataDir.toString());
    extraConfig.forEach(config::put);
    this.calls = new ProtocolCalls(vertx.eventBus(), NODE_ID);
    start();
  }

  public BrokerHarness(Path dataDir) {
    this(dataDir, Map.of(), Time.SYSTEM);
  }

  public void start() {
    deploymentId = vertx.deployVerticle(new BrokerVerticle(time), new DeploymentOptions().setConfig(config)).await();
  }

  /** A clean shutdown of the broker (logs closed); the Vert.x instance stays. */
  public void stop() {
    vertx.undeploy(deploymentId).await();
  }

  public void restart() {
    stop();
    start();
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
