package io.brook.server;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * A Brook node: the broker ({@code io.brook.verticles.BrokerVerticle}), then its HTTP API and its
 * TCP event bus bridge ({@code io.brook.web}), all from the node's one config. Prints one line
 * when the node is ready.
 */
public final class NodeVerticle extends VerticleBase {
  private static final System.Logger LOG = System.getLogger(NodeVerticle.class.getName());

  @Override
  public Future<?> start() {
    long startNs = System.nanoTime();
    JsonObject config = config();
    DeploymentOptions options = new DeploymentOptions().setConfig(config);
    return vertx.deployVerticle("io.brook.verticles.BrokerVerticle", options)
        .compose(id -> vertx.deployVerticle("io.brook.web.HttpApiVerticle", options))
        .compose(id -> bridgeEnabled(config) ? vertx.deployVerticle("io.brook.web.BridgeVerticle", options)
            : Future.succeededFuture(id))
        .onSuccess(id -> LOG.log(System.Logger.Level.INFO, String.format(
            "Brook node %s ready in %d ms: HTTP http://%s:%s, bridge %s, data %s",
            config.getValue("node.id", 1), (System.nanoTime() - startNs) / 1_000_000,
            config.getValue("http.host", "127.0.0.1"), config.getValue("http.port", 8080),
            bridgeEnabled(config) ? config.getValue("bridge.host", "127.0.0.1") + ":" + config.getValue("bridge.port", 7070) : "off",
            Path.of(String.valueOf(config.getValue("data.dir", "data"))).toAbsolutePath())));
  }

  private static boolean bridgeEnabled(JsonObject config) {
    return !"-1".equals(String.valueOf(config.getValue("bridge.port", 7070)));
  }
}
