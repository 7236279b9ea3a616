package io.brook.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The options of the perf commands that start brokers of their own ({@link LocalBrokers}). */
final class LocalClusterOptions {
  @Option(names = "--zookeeper-connect",
      description = "Run the cluster in ZooKeeper mode against this server (default: Hazelcast).")
  String zookeeperConnect;

  @Option(names = "--brook-home", defaultValue = "${sys:brook.home:-.}",
      description = "Brook's directory, where run.sh is (default: ${DEFAULT-VALUE}).")
  Path brookHome;

  @Option(names = "--work-dir", description = "Where the brokers keep data and logs (default: a new temporary directory).")
  Path workDir;

  /** A cluster of its own in {@code --work-dir} (or a new temporary directory), brokers not started yet. */
  LocalBrokers cluster(int brokers, String name, PrintWriter out) throws IOException {
    Path dir = workDir != null ? workDir : Files.createTempDirectory("brook-" + name + "-");
    out.printf(Locale.ROOT, "Starting %d brokers (%s) in %s%n", brokers,
        zookeeperConnect == null ? "Hazelcast" : "ZooKeeper " + zookeeperConnect, dir);
    out.flush();
    return new LocalBrokers(brookHome.toAbsolutePath(), dir, zookeeperConnect);
  }
}
