package io.brook.web.api;

import io.brook.protocol.Addresses;
import io.brook.protocol.codec.BrookJson;
import io.brook.protocol.message.ClusterDescription;
import io.brook.protocol.message.DescribeClusterRequest;
import io.brook.protocol.message.MetadataRequest;
import io.brook.protocol.message.MetadataResponse;
import io.vertx.core.Future;
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
 * {@code GET /api/node}: this node's id, Brook's version, uptime and the cluster's live brokers from
 * metadata, plus what the controller says of this node ({@code state}: REGISTERED, UNFENCED or
 * FENCED, and the {@code controllerEpoch}), asked with a short timeout. Answers 200 even when no
 * broker answers (then {@code brokers} is empty and {@code metadataError} says why; a controller
 * that does not answer in time gives {@code clusterError}), so it doubles as a liveness probe.
 * Runs on its verticle's event loop.
 */
public final class NodeHandler {
  public static final String VERSION = readVersion();
  /** How long the probe waits for the controller's view; the metadata part has the usual timeout. */
  static final long CLUSTER_TIMEOUT_MS = 3_000;

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
        .put("uptimeMs", now - startedAtMs)
        .put("clusterManager", clusterManager(ctx.vertx()));
    Future<MetadataResponse> metadata = BrokerClient.of(ctx).metadata(MetadataRequest.all());
    Future<ClusterDescription> cluster = nodeId < 0 ? Future.succeededFuture()
        : BrokerClient.of(ctx).request(Addresses.DESCRIBE_CLUSTER, new DescribeClusterRequest(true), CLUSTER_TIMEOUT_MS);
    Future.join(metadata, cluster).onComplete(done -> {
      if (metadata.succeeded()) {
        JsonObject brokersJson = BrookJson.toJson(metadata.result());
        answer.put("controllerId", brokersJson.getValue("controllerId")).put("brokers", brokersJson.getJsonArray("brokers"));
      } else {
        answer.put("brokers", new JsonArray()).put("metadataError", errorBody(metadata.cause()));
      }
      if (cluster.succeeded() && cluster.result() != null) {
        ClusterDescription description = cluster.result();
        answer.put("controllerId", description.controllerId()).put("controllerEpoch", description.controllerEpoch());
        description.brokers().stream().filter(b -> b.nodeId() == nodeId).findFirst()
            .ifPresentOrElse(self -> answer.put("state", self.state()), () -> answer.put("state", "UNREGISTERED"));
      } else if (cluster.failed()) {
        answer.put("clusterError", errorBody(cluster.cause()));
      }
      Responses.json(ctx, 200, answer);
    });
  }

  /** "hazelcast" or "zookeeper": the cluster manager this node's Vert.x runs on ("none" for an unclustered node). */
  static String clusterManager(io.vertx.core.Vertx vertx) {
    return io.brook.protocol.ClusterView.of(vertx).managerName();
  }

  private static JsonObject errorBody(Throwable failure) {
    ApiException error = ApiErrors.toApiException(failure);
    return ApiErrors.body(Errors.forException(error), error.getMessage());
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
