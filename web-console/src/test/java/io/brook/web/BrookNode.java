package io.brook.web;

import io.brook.verticles.BrokerVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One real node for tests: a broker (real files under {@code dataDir}), the HTTP API on a free port
 * and the TCP bridge, on a plain Vert.x, plus blocking HTTP helpers for the test thread.
 */
public final class BrookNode implements AutoCloseable {
  public static final int NODE_ID = 1;
  public final Vertx vertx = Vertx.vertx();
  public final int httpPort;
  public final int bridgePort;
  public final BridgeVerticle bridge = new BridgeVerticle();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public BrookNode(Path dataDir, JsonObject extraConfig) {
    JsonObject config = new JsonObject()
        .put("node.id", NODE_ID)
        .put("data.dir", dataDir.toString())
        .put("http.port", 0)
        .put("bridge.port", 0)
        .mergeIn(extraConfig);
    // the bridge binds first, on a port of its choosing (a port found free and bound later can be taken in
    // between, by any outgoing connection); the broker then advertises the port it got
    vertx.deployVerticle(bridge, new DeploymentOptions().setConfig(config)).await();
    bridgePort = bridge.actualPort();
    DeploymentOptions options = new DeploymentOptions().setConfig(config.copy().put("bridge.port", bridgePort));
    vertx.deployVerticle(new BrokerVerticle(), options).await();
    HttpApiVerticle api = new HttpApiVerticle();
    vertx.deployVerticle(api, options).await();
    httpPort = api.actualPort();
  }

  public BrookNode(Path dataDir) {
    this(dataDir, new JsonObject());
  }

  /**
   * A node that refuses anonymous clients and checks ACLs, with super user {@code admin} (password
   * {@code adminPassword}) made from its password file; returned once admin can log in.
   */
  public static BrookNode secured(Path dir, String adminPassword) throws java.io.IOException {
    java.nio.file.Files.createDirectories(dir);
    Path passwordFile = java.nio.file.Files.writeString(dir.resolve("admin.password"), adminPassword + "\n");
    BrookNode node = new BrookNode(dir.resolve("data"), new JsonObject()
        .put("security.allow.anonymous", false)
        .put("authorizer.enabled", true)
        .put("super.users", "User:admin")
        .put("security.initial.user", "admin")
        .put("security.initial.password.file", passwordFile.toString()));
    String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(("admin:" + adminPassword)
        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    // the initial user is made once the broker has caught up with the metadata, a moment after start
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
        node.send(HttpRequest.newBuilder(node.uri("/api/users")).header("Authorization", basic)).statusCode() == 200);
    return node;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + httpPort;
  }

  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  public HttpResponse<String> delete(String path) {
    return send(HttpRequest.newBuilder(uri(path)).DELETE());
  }

  public HttpResponse<String> post(String path, String body) {
    return send(HttpRequest.newBuilder(uri(path)).POST(BodyPublishers.ofString(body))
        .header("content-type", "application/json"));
  }

  public HttpResponse<String> put(String path, String body) {
    return send(HttpRequest.newBuilder(uri(path)).PUT(BodyPublishers.ofString(body))
        .header("content-type", "application/json"));
  }

  public HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.timeout(Duration.ofSeconds(30)).build(), BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** GET and parse, asserting nothing. */
  public JsonObject getJson(String path) {
    return new JsonObject(get(path).body());
  }

  public URI uri(String path) {
    return URI.create(baseUrl() + path);
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
