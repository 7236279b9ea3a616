package io.brook.web.api;

import io.brook.protocol.codec.BrookJson;
import io.brook.protocol.message.MetadataRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;

/**
 * {@code GET /api/node}: this node's id, Brook's version, uptime and the cluster's brokers from
 * metadata. Answers 200 even when no broker answers (then {@code brokers} is empty and
 * {@code metadataError} says why), so it doubles as a liveness probe. Runs on its verticle's event loop.
 */
public final class NodeHandler {
  public static final String VERSION = readVersion();

  private final BrokerClient brokers;
  private final int nodeId;
  private final long startedAtMs = System.currentTimeMillis();

  public NodeHandler(BrokerClient brokers, int nodeId) {
    this.brokers = brokers;
    this.nodeId = nodeId;
  }

  public void mount(Router router) {
    router.get("/api/node").handler(this::node);
  }

  private void node(RoutingContext ctx) {
    long now = System.currentTimeMillis();
    JsonObject answer = new JsonObject()
        .put("nodeId", nodeId)
        .put("version", VERSION)
        .put("startedAt", Instant.ofEpochMilli(startedAtMs).toString())
        .put("uptimeMs", now - startedAtMs);
    brokers.metadata(MetadataRequest.all()).onComplete(metadata -> {
      if (metadata.succeeded()) {
        JsonObject cluster = BrookJson.toJson(metadata.result());
        answer.put("controllerId", cluster.getValue("controllerId")).put("brokers", cluster.getJsonArray("brokers"));
      } else {
        ApiException error = ApiErrors.toApiException(metadata.cause());
        answer.put("brokers", new JsonArray())
            .put("metadataError", ApiErrors.body(Errors.forException(error), error.getMessage()));
      }
      Responses.json(ctx, 200, answer);
    });
  }

  private static String readVersion() {
    try (InputStream in = NodeHandler.class.getResourceAsStream("/io/brook/web/brook-version.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
