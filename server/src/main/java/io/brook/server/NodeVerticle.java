package io.brook.server;

import io.brook.cluster.ClusterConfig;
import io.brook.metadata.ControllerConfig;
import io.brook.quorum.QuorumConfig;
import io.brook.protocol.JsonConfig;
import io.brook.replication.ReplicationConfig;
import io.brook.security.AuthenticationConfig;
import io.brook.security.AuthorizerConfig;
import io.brook.verticles.BrokerConfig;
import io.brook.web.WebConsoleConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;

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
    JsonObject config = withListenDefaults(config());
    warnAboutUnknownKeys(config);
    WebConsoleConfig listeners = WebConsoleConfig.fromJson(config);
    listeners.plaintextWarnings().forEach(warning -> LOG.log(System.Logger.Level.WARNING, warning));
    DeploymentOptions options = new DeploymentOptions().setConfig(config);
    return vertx.deployVerticle("io.brook.verticles.BrokerVerticle", options)
        .compose(id -> vertx.deployVerticle("io.brook.web.HttpApiVerticle", options))
        .compose(id -> bridgeEnabled(config) ? vertx.deployVerticle("io.brook.web.BridgeVerticle", options)
            : Future.succeededFuture(id))
        .onSuccess(id -> LOG.log(System.Logger.Level.INFO, String.format(
            "Brook node %s ready in %d ms: HTTP %s://%s:%s, bridge %s, data %s; clients %s, ACLs %s",
            config.getValue("node.id", 1), (System.nanoTime() - startNs) / 1_000_000,
            listeners.httpTls().isPresent() ? "https" : "http",
            config.getValue("http.host", "127.0.0.1"), config.getValue("http.port", 8080),
            bridgeEnabled(config) ? config.getValue("bridge.host", "127.0.0.1") + ":" + config.getValue("bridge.port", 7070) : "off",
            Path.of(String.valueOf(config.getValue("data.dir", "data"))).toAbsolutePath(),
            listeners.allowAnonymous() ? "may be anonymous (security.allow.anonymous)"
                : "must log in (users: bin/brook users)",
            new AuthorizerConfig(JsonConfig.asStrings(config)).enabled() ? "checked" : "off (authorizer.enabled)")));
  }

  /** The broker advertises the HTTP and bridge ports the web verticles will listen on, defaults included. */
  static JsonObject withListenDefaults(JsonObject config) {
    WebConsoleConfig web = WebConsoleConfig.fromJson(config);
    return config.copy().put(WebConsoleConfig.HTTP_PORT, web.httpPort()).put(WebConsoleConfig.BRIDGE_PORT, web.bridgePort());
  }

  /** A Kafka user's log.retention.hours would otherwise be silently ignored. */
  private static void warnAboutUnknownKeys(JsonObject config) {
    Set<String> known = new HashSet<>();
    for (ConfigDef def : List.of(BrokerConfig.CONFIG_DEF, ControllerConfig.CONFIG_DEF, ReplicationConfig.CONFIG_DEF,
        QuorumConfig.CONFIG_DEF, ClusterConfig.CONFIG_DEF, WebConsoleConfig.CONFIG_DEF, AuthorizerConfig.CONFIG_DEF,
        AuthenticationConfig.CONFIG_DEF)) {
      known.addAll(def.names());
    }
    config.fieldNames().stream().filter(key -> !known.contains(key)).sorted().forEach(key -> LOG.log(
        System.Logger.Level.WARNING, "Unknown config key '" + key + "' is ignored (see docs/CONFIG.md)"));
  }

  private static boolean bridgeEnabled(JsonObject config) {
    return !"-1".equals(String.valueOf(config.getValue("bridge.port", 7070)));
  }
}
