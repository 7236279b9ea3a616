package io.brook.server;

import io.brook.cluster.BrookCluster;
import io.brook.cluster.ClusterConfig;
import io.brook.cluster.ClusterManagers;
import io.brook.cluster.MemberRole;
import io.brook.protocol.ClusterView;
import io.brook.protocol.JsonConfig;
import io.brook.kafka.KafkaListenerConfig;
import io.brook.verticles.BrokerConfig;
import io.brook.web.WebConsoleConfig;
import io.brook.verticles.datadir.DataDirClaim;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.ExitCodes;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The broker's main class: the Vert.x 5 launcher ({@link VertxApplication}, same options:
 * {@code -conf}, {@code -options}, {@code -cluster-host}, ...) with hooks that make it a Brook
 * node. The node is always clustered, with the cluster manager its config names (Hazelcast by
 * default, ZooKeeper with {@code cluster.manager=zookeeper}); the main verticle is
 * {@link NodeVerticle}. Any config key can be overridden with {@code -Dbrook.<key>=<value>}, which
 * is how {@code run.sh} passes {@code --node-id} and the ports. A {@code -conf} file that is missing or
 * not valid JSON stops the node with the reason and exit code 2 ({@link ConfArgument}).
 *
 * <p>The hooks make starts and stops say what happened: every key checked before the cluster join,
 * one line for a refused start ({@link StartFailure}), the ready line's phases ({@link NodeStartup}),
 * the stop line and its bound ({@link NodeShutdown}); logging is set up first ({@link NodeLogging}).
 */
public final class BrookServer implements VertxApplicationHooks {
  static final String OVERRIDE_PREFIX = "brook.";
  private JsonObject config = new JsonObject();

  private final NodeStartup startup = new NodeStartup();
  private final JoinWatch joinWatch = new JoinWatch(startup);
  private ClusterConfig joining;
  private volatile boolean saidWhy;
  private NodeShutdown shutdown;
  /** The node's meters: Vert.x's, the JVM's and Brook's ({@link NodeMetrics}). */
  private final io.micrometer.prometheusmetrics.PrometheusMeterRegistry meters = NodeMetrics.newRegistry();

  public static void main(String[] args) {
    NodeLogging.install();
    try {
      ConfArgument.find(args).ifPresent(ConfArgument::read); // the launcher would start on the defaults
    } catch (IllegalArgumentException e) {
      System.err.println("Brook could not start: " + e.getMessage());
      System.exit(ExitCodes.USAGE);
    }
    BrookServer server = new BrookServer();
    // exitOnFailure off: a refusal is said here first (the launcher's own option checks say nothing)
    int code = new VertxApplication(withCluster(args), server, true, false) {}.launch();
    server.joinWatch.joined(); // joined, or refused on a path without a hook (the launcher's own option checks)
    if (code != 0 && code != ExitCodes.USAGE && !server.saidWhy) { // a usage error has been printed with the usage
      System.err.println("Brook could not start: " + NodeLogging.lastMovedFailure()
          .map(failure -> StartFailure.reason(failure, "starting Vert.x"))
          .orElse("the Vert.x launcher refused its options (-options, -D vertx.options.*)"));
    }
    if (code != 0) {
      System.exit(code);
    }
  }

  static String[] withCluster(String[] args) {
    List<String> argv = new ArrayList<>(Arrays.asList(args));
    if (!argv.contains("-cluster") && !argv.contains("--cluster") && !argv.contains("-c")) {
      argv.add("-cluster");
    }
    return argv.toArray(String[]::new);
  }

  @Override
  public JsonObject afterConfigParsed(JsonObject parsed) {
    // the launcher passes null when no -conf was given
    config = withOverrides(parsed == null ? new JsonObject() : parsed, System.getProperties());
    return config;
  }

  static JsonObject withOverrides(JsonObject base, Map<Object, Object> properties) {
    JsonObject merged = base.copy();
    properties.forEach((key, value) -> {
      String name = String.valueOf(key);
      if (name.startsWith(OVERRIDE_PREFIX)) {
        merged.put(name.substring(OVERRIDE_PREFIX.length()), String.valueOf(value));
      }
    });
    return merged;
  }

  /**
   * Every key is checked here, before the node joins its cluster (values parsed, files read,
   * certificates valid). The launcher exits with 1 on an exception from this hook without a word, so
   * the reason is printed first: one line.
   */
  @Override
  public VertxBuilder createVertxBuilder(VertxOptions options) {
    try {
      Map<String, String> values = JsonConfig.asStrings(config);
      NodeConfigs.validate(values);
      ListenPorts.throwIfTaken(WebConsoleConfig.fromJson(config),
          new KafkaListenerConfig(JsonConfig.asStrings(NodeVerticle.withListenDefaults(config))));
      throwIfDataDirTaken(values);
      ClusterConfig cluster = new ClusterConfig(values);
      BrookCluster.configure(options.getEventBusOptions(), cluster);
      if (options.getEventLoopPoolSize() == VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE) { // not set by -Dvertx.options.*
        options.setEventLoopPoolSize(new BrokerConfig(values).eventLoopThreads(Runtime.getRuntime().availableProcessors()));
      }
      startup.joining();
      joining = cluster;
      return NodeMetrics.withMetrics(Vertx.builder(), options, meters, new BrokerConfig(values).vertxMetricsEnabled())
          .withClusterManager(ClusterManagers.create(cluster, MemberRole.BROKER));
    } catch (RuntimeException e) {
      refused(e);
      throw e;
    }
  }

  /** A second node on a data dir is refused before it joins anything (the broker claims the dir for good later). */
  private static void throwIfDataDirTaken(Map<String, String> values) {
    BrokerConfig broker = new BrokerConfig(values);
    try {
      DataDirClaim.throwIfTaken(broker.nodeId(), broker.dataDir(), broker.metadataLogDir());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot use data dir " + broker.dataDir() + ": " + e.getMessage(), e);
    }
  }

  /** The last hook before the join: the launcher's own option checks, which refuse without a hook, are behind. */
  @Override
  public void beforeStartingVertx(HookContext context) {
    if (joining != null) {
      joinWatch.start(nodeId(), joining);
    }
  }

  @Override
  public void afterVertxStarted(HookContext context) {
    io.brook.verticles.metrics.NodeMeterRegistry.install(context.vertx(), meters); // before any verticle
    startup.joined();
    joinWatch.joined();
    shutdown = new NodeShutdown(context.vertx(), nodeId(),
        new BrokerConfig(JsonConfig.asStrings(config)).shutdownTimeoutMs());
    logJoined(context.vertx());
  }

  /** "Brook node 1 joined cluster 'brook' through Hazelcast on 127.0.0.1 in 1.9 s: 3 members". */
  private void logJoined(Vertx vertx) {
    ClusterConfig cluster = new ClusterConfig(JsonConfig.asStrings(config));
    int members = ClusterView.of(vertx).size();
    log().log(System.Logger.Level.INFO, "Brook node " + nodeId() + " joined cluster '" + cluster.clusterName()
        + "' through " + JoinWatch.through(cluster) + " in " + NodeStartup.seconds(startup.joinMs()) + ": " + members
        + (members == 1 ? " member" : " members"));
  }

  @Override
  public Supplier<? extends Deployable> verticleSupplier() {
    return () -> new NodeVerticle(startup);
  }

  @Override
  public void afterFailureToStartVertx(HookContext context, Throwable failure) {
    joinWatch.joined(); // over: the refusal below says why
    refused(failure); // the cluster manager's message says where it tried and why it failed
  }

  @Override
  public void afterFailureToDeployVerticle(HookContext context, Throwable failure) {
    if (shutdown != null && shutdown.begun()) {
      saidWhy = true; // stopped before it was ready (SIGTERM, Ctrl-C): not refused, and the stop line says so
      return;
    }
    if (shutdown != null) {
      shutdown.refused();
    }
    refused(failure);
  }

  @Override
  public void afterVerticleDeployed(HookContext context) {
    if (shutdown != null) {
      shutdown.ready();
    }
  }

  @Override
  public void beforeStoppingVertx(HookContext context) {
    if (shutdown != null) {
      shutdown.begin();
    }
  }

  @Override
  public void afterVertxStopped(HookContext context) {
    if (shutdown != null) {
      shutdown.stopped();
    }
  }

  @Override
  public void afterFailureToStopVertx(HookContext context, Throwable failure) {
    if (shutdown != null) {
      shutdown.failed(failure);
    }
  }

  /** One line on the console; the stack trace at FINE (io.brook.server.level=FINE shows it). */
  private void refused(Throwable failure) {
    saidWhy = true;
    System.err.println("Brook could not start: " + StartFailure.reason(failure, "starting the node"));
    log().log(System.Logger.Level.DEBUG, "Brook could not start", failure);
  }

  /** Not a static field: BrookServer's class is loaded before main chooses java.util.logging's manager. */
  private static System.Logger log() {
    return System.getLogger(BrookServer.class.getName());
  }

  private Object nodeId() {
    return config.getValue(BrokerConfig.NODE_ID, 1);
  }
}
