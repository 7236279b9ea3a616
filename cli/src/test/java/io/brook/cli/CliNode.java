package io.brook.cli;

import io.brook.verticles.BrokerVerticle;
import io.brook.web.HttpApiVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One real node for CLI tests: a broker on real files and the HTTP API on a free port, in this JVM.
 * {@link #main} runs one until killed, for trying the CLI by hand.
 */
public final class CliNode implements AutoCloseable {
  public final Vertx vertx = Vertx.vertx();
  public final int httpPort;

  public CliNode(Path dataDir, int httpPort) {
    DeploymentOptions options = new DeploymentOptions().setConfig(new JsonObject()
        .put("node.id", 1).put("data.dir", dataDir.toString()).put("http.port", httpPort).put("bridge.port", -1));
    vertx.deployVerticle(new BrokerVerticle(), options).await();
    HttpApiVerticle api = new HttpApiVerticle();
    vertx.deployVerticle(api, options).await();
    this.httpPort = api.actualPort();
  }

  public String bootstrap() {
    return "127.0.0.1:" + httpPort;
  }

  @Override
  public void close() {
    vertx.close().await();
  }

  public static void main(String[] args) throws Exception {
    Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("brook-cli-node");
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 8080;
    CliNode node = new CliNode(dir, port);
    Runtime.getRuntime().addShutdownHook(new Thread(node::close));
    System.out.println("READY " + node.bootstrap() + " data " + dir);
  }
}
