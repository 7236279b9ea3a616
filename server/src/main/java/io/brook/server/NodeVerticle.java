package io.brook.server;

import io.brook.protocol.JsonConfig;
import io.brook.security.AuthorizerConfig;
import io.brook.protocol.Addresses;
import io.brook.verticles.BrokerConfig;
import io.brook.verticles.BrokerVerticle;
import io.brook.verticles.api.PartitionDoor;
import io.brook.verticles.quorum.MetadataLogDir;
import io.brook.verticles.lifecycle.ShutdownProgress;
import io.brook.kafka.KafkaListenerConfig;
import io.brook.kafka.KafkaListenerVerticle;
import io.brook.protocol.KafkaEndpoint;
import io.brook.web.WebConsoleConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.net.BindException;
import java.nio.file.Path;
import org.apache.kafka.common.config.ConfigException;

/**
 * A Brook node: the broker ({@code io.brook.verticles.BrokerVerticle}), then its HTTP API and its
 * TCP event bus bridge ({@code io.brook.web}), all from the node's one config. Prints one line
 * when the node is ready: the time since the JVM started (what the operator waited for) and its
 * phases ({@link NodeStartup}).
 */
public final class NodeVerticle extends VerticleBase {
  private static final System.Logger LOG = System.getLogger(NodeVerticle.class.getName());
  private final NodeStartup startup;
  private String brokerDeployment;
  private boolean restartingBroker;
  private WorkerExecutor quorumPool;

  /** Deployed by name (the jar's Main-Verticle): the ready line then counts from the JVM's start only. */
  public NodeVerticle() {
    this(new NodeStartup());
  }

  NodeVerticle(NodeStartup startup) {
    this.startup = startup;
  }

  @Override
  public Future<?> start() {
    KafkaListenerConfig kafka = new KafkaListenerConfig(JsonConfig.asStrings(config()));
    String kafkaProblem;
    try {
      kafkaProblem = kafka.enabled() ? kafka.problem(config().getMap()) : null;
    } catch (IllegalArgumentException e) {
      kafkaProblem = e.getMessage();
    }
    if (kafkaProblem != null) {
      return Future.failedFuture(new ConfigException(kafkaProblem));
    }
    JsonObject config = withListenDefaults(config());
    NodeConfigs.unknownKeys(config.fieldNames()).forEach(key -> LOG.log(System.Logger.Level.WARNING,
        "Unknown config key '" + key + "' is ignored (see docs/CONFIG.md)"));
    WebConsoleConfig listeners = WebConsoleConfig.fromJson(config);
    listeners.plaintextWarnings().forEach(warning -> LOG.log(System.Logger.Level.WARNING, warning));
    if (kafka.enabled()) {
      kafka.plaintextWarnings(config.getMap()).forEach(warning -> LOG.log(System.Logger.Level.WARNING, warning));
    }
    DeploymentOptions options = new DeploymentOptions().setConfig(config);
    AuthorizerConfig authorizerConfig = new AuthorizerConfig(JsonConfig.asStrings(config));
    BrokerVerticle broker = new BrokerVerticle();
    long[] webStartNs = new long[1];
    vertx.eventBus().<String>localConsumer(Addresses.LOCAL_BROKER_RESTART, m -> restartBroker(m, config, options));
    // the node keeps the quorum's worker pool open across broker restarts: the event bus's connection to
    // another node keeps running its callbacks on the context of the verticle that first sent to that node,
    // and a pool closed with its broker would refuse them (every later message to that node fails)
    quorumPool = vertx.createSharedWorkerExecutor(BrokerVerticle.quorumWorkerPool(
        Integer.parseInt(String.valueOf(config.getValue("node.id", 1)))), 1);
    Future<String> deployed = vertx.deployVerticle(broker, options)
        .compose(id -> {
          brokerDeployment = id;
          webStartNs[0] = System.nanoTime();
          return listening(vertx.deployVerticle("io.brook.web.HttpApiVerticle", options), "HTTP API",
              config.getValue("http.host", "127.0.0.1") + ":" + config.getValue("http.port"), "http.port (--http-port)");
        })
        .compose(id -> bridgeEnabled(config)
            ? listening(vertx.deployVerticle("io.brook.web.BridgeVerticle", options), "TCP bridge",
                config.getValue("bridge.host", "127.0.0.1") + ":" + config.getValue("bridge.port"),
                "bridge.port (--bridge-port), or -1 for no bridge")
            : Future.succeededFuture(id))
        .compose(id -> kafka.enabled()
            ? listening(vertx.deployVerticle(() -> new KafkaListenerVerticle(v -> new PartitionDoor(v, authorizerConfig)),
                    options), "Kafka listener",
                kafkaListeners(kafka, config), "kafka.port (--kafka-port) or listeners, or kafka.port=-1 for no Kafka listener")
            : Future.succeededFuture(id))
        .onSuccess(id -> LOG.log(System.Logger.Level.INFO, String.format(
            "Brook node %s ready in %s (%s): HTTP %s://%s:%s, bridge %s%s, data %s; clients %s, ACLs %s",
            config.getValue("node.id", 1), NodeStartup.seconds(startup.sinceJvmStartMs()),
            startup.phases(broker.startup(), (System.nanoTime() - webStartNs[0]) / 1_000_000),
            listeners.httpTls().isPresent() ? "https" : "http",
            config.getValue("http.host", "127.0.0.1"), config.getValue("http.port", 8080),
            bridgeEnabled(config) ? config.getValue("bridge.host", "127.0.0.1") + ":" + config.getValue("bridge.port", 7070) : "off",
            kafka.enabled() ? ", Kafka " + kafkaListeners(kafka, config) : "",
            Path.of(String.valueOf(config.getValue("data.dir", "data"))).toAbsolutePath(),
            listeners.allowAnonymous() ? "may be anonymous (security.allow.anonymous)"
                : "must log in (users: bin/brook users)",
            authorizerConfig.enabled() ? "checked" : "off (authorizer.enabled)")));
    return unlessStopped(deployed);
  }

  /**
   * A start cut short by the node's stop (SIGTERM before ready) never completes: Vert.x 5.0.7 has
   * failed it already ("Verticle un-deployed") and hands a later outcome to {@code Promise.complete},
   * which throws and logs an IllegalStateException on the way out.
   */
  private Future<String> unlessStopped(Future<String> start) {
    Promise<String> outcome = Promise.promise();
    start.onComplete(result -> {
      if (!ShutdownProgress.of(vertx).stopping()) {
        outcome.handle(result);
      }
    });
    return outcome.future();
  }

  /**
   * The broker gives up a cluster it founded alone for the real one (QuorumVerticle, LoneFounding): it
   * is undeployed, its metadata directory forgets that cluster, and a new broker starts on it and joins
   * the cluster it hears of. The HTTP API, bridge and Kafka listener stay up meanwhile.
   */
  private void restartBroker(Message<String> request, JsonObject config, DeploymentOptions options) {
    if (restartingBroker || brokerDeployment == null || ShutdownProgress.of(vertx).stopping()) {
      request.fail(503, "the broker is not running, or already restarting");
      return;
    }
    restartingBroker = true;
    String clusterId = request.body();
    BrokerConfig broker = new BrokerConfig(JsonConfig.asStrings(config));
    MetadataLogDir dirs = new MetadataLogDir(broker.nodeId(), broker.dataDir(), broker.metadataLogDir());
    request.reply(null); // before the undeploy takes the asking verticle away
    LOG.log(System.Logger.Level.WARNING, "Restarting broker " + broker.nodeId() + " without cluster " + clusterId);
    vertx.undeploy(brokerDeployment)
        .compose(undeployed -> vertx.executeBlocking(() -> {
          dirs.forgetCluster(clusterId);
          return null;
        }))
        .compose(forgotten -> vertx.deployVerticle(new BrokerVerticle(), options))
        .onComplete(restarted -> {
          restartingBroker = false;
          if (restarted.succeeded()) {
            brokerDeployment = restarted.result();
            LOG.log(System.Logger.Level.INFO, "Broker " + broker.nodeId() + " restarted without cluster " + clusterId
                + "; it joins the cluster it hears of");
          } else {
            brokerDeployment = null;
            LOG.log(System.Logger.Level.ERROR, "Broker " + broker.nodeId() + " could not restart without cluster "
                + clusterId + " (" + restarted.cause() + "): stop the node and start it again");
          }
        });
  }

  /**
   * Runs once every verticle of the node has stopped (Vert.x stops children first); what remains of
   * the stop is Vert.x closing the event bus and leaving the cluster.
   */
  @Override
  public Future<?> stop() {
    ShutdownProgress.of(vertx).step("closing the event bus and leaving the cluster");
    return quorumPool == null ? Future.succeededFuture() : quorumPool.close();
  }

  /** A port taken by another process fails with Netty's bare "Address already in use": say which one. */
  private static Future<String> listening(Future<String> deployed, String what, String address, String key) {
    return deployed.recover(e -> Future.failedFuture(e instanceof BindException
        ? new IllegalStateException("the " + what + " cannot listen on " + address + " (" + e.getMessage()
            + "): another process, perhaps another Brook node, holds it; stop it or set " + key, e)
        : e));
  }

  /** The broker advertises the HTTP, bridge and Kafka ports its node's listeners will use, defaults included. */
  static JsonObject withListenDefaults(JsonObject config) {
    WebConsoleConfig web = WebConsoleConfig.fromJson(config);
    KafkaListenerConfig kafka = new KafkaListenerConfig(JsonConfig.asStrings(config));
    JsonObject effective = config.copy().put(WebConsoleConfig.HTTP_PORT, web.httpPort())
        .put(WebConsoleConfig.BRIDGE_PORT, web.bridgePort())
        .put(KafkaListenerConfig.KAFKA_PORT, kafka.port());
    if (kafka.enabled()) {
      effective.put(KafkaListenerConfig.ADVERTISED_LISTENERS, KafkaEndpoint.format(kafka.advertised(config.getMap())));
    }
    return effective;
  }

  /** As the ready line says them: {@code 127.0.0.1:9092 (PLAINTEXT), 0.0.0.0:9093 (SASL_SSL)}. */
  private static String kafkaListeners(KafkaListenerConfig kafka, JsonObject config) {
    return String.join(", ", kafka.listeners(config.getMap()).stream()
        .map(l -> l.host() + ":" + l.port() + " (" + l.securityProtocol() + ")").toList());
  }

  private static boolean bridgeEnabled(JsonObject config) {
    return !"-1".equals(String.valueOf(config.getValue("bridge.port", 7070)));
  }
}
