package io.brook.server;

import io.brook.cluster.BrookCluster;
import io.brook.cluster.ClusterConfig;
import io.brook.cluster.ClusterManagers;
import io.brook.cluster.MemberRole;
import io.brook.protocol.JsonConfig;
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
import org.apache.kafka.common.config.ConfigException;

/**
 * The broker's main class: the Vert.x 5 launcher ({@link VertxApplication}, same options:
 * {@code -conf}, {@code -options}, {@code -cluster-host}, ...) with hooks that make it a Brook
 * node. The node is always clustered, with the cluster manager its config names (Hazelcast by
 * default, ZooKeeper with {@code cluster.manager=zookeeper}); the main verticle is
 * {@link NodeVerticle}. Any config key can be overridden with {@code -Dbrook.<key>=<value>}, which
 * is how {@code run.sh} passes {@code --node-id} and the ports. A {@code -conf} file that is missing or
 * not valid JSON stops the node with the reason and exit code 2 ({@link ConfArgument}).
 */
public final class BrookServer implements VertxApplicationHooks {
  static final String OVERRIDE_PREFIX = "brook.";
  private JsonObject config = new JsonObject();

  public static void main(String[] args) {
    try {
      ConfArgument.find(args).ifPresent(ConfArgument::read); // the launcher would start on the defaults
    } catch (IllegalArgumentException e) {
      System.err.println("Brook could not start: " + e.getMessage());
      System.exit(ExitCodes.USAGE);
    }
    int code = new VertxApplication(withCluster(args), new BrookServer()).launch();
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
   * The cluster keys are checked here (files read, certificates valid). The launcher exits with 1 on an
   * exception from this hook without a word, so the reason is printed first: one line.
   */
  @Override
  public VertxBuilder createVertxBuilder(VertxOptions options) {
    try {
      ClusterConfig cluster = new ClusterConfig(JsonConfig.asStrings(config));
      BrookCluster.configure(options.getEventBusOptions(), cluster);
      return Vertx.builder().with(options).withClusterManager(ClusterManagers.create(cluster, MemberRole.BROKER));
    } catch (RuntimeException e) {
      System.err.println("Brook could not start: " + (e instanceof ConfigException ? e.getMessage() : e));
      throw e;
    }
  }

  @Override
  public Supplier<? extends Deployable> verticleSupplier() {
    return NodeVerticle::new;
  }

  @Override
  public void afterFailureToStartVertx(HookContext context, Throwable failure) {
    System.err.println("Brook could not join its cluster: " + failure);
  }

  @Override
  public void afterFailureToDeployVerticle(HookContext context, Throwable failure) {
    System.err.println("Brook could not start: " + failure);
  }
}
