package io.brook.web.api;

import io.brook.protocol.Addresses;
import io.brook.protocol.message.ClusterDescription;
import io.brook.protocol.message.DescribeClusterRequest;
import io.brook.protocol.message.MetadataRequest;
import io.brook.protocol.message.MetadataResponse;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Health for load balancers, orchestrators and operators:
 *
 * <ul>
 *   <li>{@code GET /api/health/live}: 200 while this node's HTTP server and event loop answer; asks nobody;
 *   <li>{@code GET /api/health/ready}: 200 once this node's broker has caught up with the cluster metadata and is
 *       UNFENCED in it (it serves), else 503 with a one-line reason;
 *   <li>{@code GET /api/health}: the cluster's {@link ClusterHealth}, 200 when healthy, 503 when not.
 * </ul>
 *
 * The two probes are mounted before authentication ({@link #mountProbes}): a load balancer has no credentials,
 * and they tell nothing beyond up and ready (no ids, no topics). The cluster's health follows the API's rules: the
 * caller's DESCRIBE_CLUSTER request needs DESCRIBE on the cluster when ACLs are checked; the partitions are then
 * read with the listener's own metadata request, so a caller allowed to describe the cluster sees every
 * partition's health, whatever topics it may describe. Runs on its verticle's event loop.
 */
public final class HealthHandler {
  /** How long the readiness probe waits for its broker: load balancers probe often and time out early. */
  static final long READY_TIMEOUT_MS = 2_000;
  /**
   * The readiness probe asks its broker about a topic that cannot exist (reserved prefix): the answer still lists
   * the live brokers, and the broker builds no view of every topic per probe.
   */
  static final MetadataRequest NO_TOPIC = new MetadataRequest(List.of("__brook_readiness_probe"));

  private final BrokerClient brokers;
  private final int nodeId;

  public HealthHandler(BrokerClient brokers, int nodeId) {
    this.brokers = brokers;
    this.nodeId = nodeId;
  }

  /** Mount before authentication. */
  public void mountProbes(Router router) {
    router.get("/api/health/live").handler(ctx -> Responses.json(ctx, 200, new JsonObject().put("status", "live")));
    router.get("/api/health/ready").handler(this::ready);
  }

  /** Mount after authentication. */
  public void mount(Router router) {
    router.get("/api/health").handler(this::health);
  }

  private void ready(RoutingContext ctx) {
    if (nodeId < 0) {
      notReady(ctx, "this node runs no broker");
      return;
    }
    // this broker's own metadata address: it answers NOT_READY until it has caught up with the metadata log
    brokers.<MetadataResponse>request(Addresses.metadata(nodeId), NO_TOPIC, READY_TIMEOUT_MS).onComplete(done -> {
      if (done.failed()) {
        notReady(ctx, "broker " + nodeId + " has not caught up with the cluster metadata, or does not answer");
      } else if (done.result().brokers().stream().noneMatch(b -> b.nodeId() == nodeId)) {
        notReady(ctx, "broker " + nodeId + " is not UNFENCED in the cluster metadata (registering, catching up or fenced)");
      } else {
        Responses.json(ctx, 200, new JsonObject().put("status", "ready"));
      }
    });
  }

  private static void notReady(RoutingContext ctx, String reason) {
    Responses.json(ctx, 503, new JsonObject().put("status", "not ready").put("reason", reason));
  }

  private void health(RoutingContext ctx) {
    healthOf(BrokerClient.of(ctx), brokers)
        .onSuccess(health -> Responses.json(ctx, health.healthy() ? 200 : 503, health.toJson()))
        .onFailure(ctx::fail);
  }

  /** The cluster's health as {@code caller} may see it; {@code listener} reads the partitions (see the class comment). */
  static Future<ClusterHealth> healthOf(BrokerClient caller, BrokerClient listener) {
    Future<ClusterDescription> cluster = caller.retryingTimeouts(Addresses.DESCRIBE_CLUSTER,
        new DescribeClusterRequest(true), ClusterHandler.DESCRIBE_ATTEMPT_MS);
    return cluster.compose(described -> listener.metadata(MetadataRequest.all())
        .map(metadata -> ClusterHealth.of(described, metadata)));
  }
}
