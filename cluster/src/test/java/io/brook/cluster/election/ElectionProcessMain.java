package io.brook.cluster.election;

import io.brook.cluster.BrookCluster;
import io.brook.cluster.ClusterConfig;
import io.brook.cluster.MemberRole;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One broker's election in its own JVM, so that a test can SIGSTOP it for real. Arguments are
 * {@code key=value}: {@code id}, {@code data.dir}, and {@link ClusterConfig} keys. Prints
 * {@link ElectionVerticle}'s lines (ELECTED, RESIGNED, ACT ...) and READY once started.
 */
public final class ElectionProcessMain {
  private ElectionProcessMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> config = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      config.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    String id = config.remove("id");
    Path dataDir = Path.of(config.remove("data.dir"));
    Vertx vertx = BrookCluster.start(new ClusterConfig(config), MemberRole.BROKER).await(60, TimeUnit.SECONDS);
    vertx.deployVerticle(new ElectionVerticle(id, dataDir, ElectionConfig.defaults(), ElectionProcessMain::print))
        .await(30, TimeUnit.SECONDS);
    print("READY");
  }

  private static synchronized void print(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
