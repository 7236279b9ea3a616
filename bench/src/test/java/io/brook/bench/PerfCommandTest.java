package io.brook.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.cluster.BrookCluster;
import io.brook.cluster.ClusterConfig;
import io.brook.cluster.MemberRole;
import io.brook.verticles.BrokerVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Proves each perf command runs against a real broker on a real Hazelcast cluster (both in this JVM,
 * loopback, a cluster name of its own) and prints a summary that parses.
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PerfCommandTest {
  static final String NUM = "([0-9]+(?:\\.[0-9]+)?)";
  static final Pattern PRODUCE_SUMMARY = Pattern.compile("(?m)^([0-9]+) records sent, " + NUM + " records/sec \\("
      + NUM + " MB/sec\\), " + NUM + " ms avg latency, " + NUM + " ms max latency, " + NUM + " ms 50th, " + NUM
      + " ms 99th, " + NUM + " ms 99\\.9th\\.$");
  static final Pattern CONSUME_SUMMARY = Pattern.compile("(?m)^" + NUM + " MB consumed, " + NUM + " MB/sec, ([0-9]+)"
      + " records, " + NUM + " records/sec, ([0-9]+) ms elapsed\\.$");
  static final Pattern E2E_SUMMARY = Pattern.compile("(?m)^([0-9]+) records, " + NUM + " ms avg latency, " + NUM
      + " ms 50th, " + NUM + " ms 99th, " + NUM + " ms 99\\.9th, " + NUM + " ms max latency\\.$");

  @TempDir
  static Path dataDir;

  static Vertx broker;
  static String clusterName;
  static int clusterPort;

  @BeforeAll
  static void startClusteredBroker() throws Exception {
    clusterName = "perf-test-" + UUID.randomUUID();
    clusterPort = freePort();
    ClusterConfig cluster = new ClusterConfig(Map.of(ClusterConfig.CLUSTER_NAME, clusterName,
        ClusterConfig.CLUSTER_PORT, clusterPort, ClusterConfig.CLUSTER_MEMBERS, "127.0.0.1:" + clusterPort));
    broker = BrookCluster.start(cluster, MemberRole.BROKER).await();
    JsonObject config = new JsonObject().put("node.id", 1).put("data.dir", dataDir.toString());
    broker.deployVerticle(new BrokerVerticle(), new DeploymentOptions().setConfig(config)).await();
  }

  @AfterAll
  static void stopBroker() {
    broker.close().await();
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Runs {@code perf <args>} joined to the test cluster; answers its output after checking the exit code. */
  static String perf(String... args) {
    List<String> argv = new ArrayList<>(List.of(args));
    argv.addAll(List.of("--cluster-name", clusterName, "--cluster-members", "127.0.0.1:" + clusterPort));
    StringWriter output = new StringWriter();
    CommandLine command = new CommandLine(new PerfCommand());
    command.setOut(new PrintWriter(output, true));
    command.setErr(new PrintWriter(output, true));
    int exitCode = command.execute(argv.toArray(String[]::new));
    assertThat(exitCode).as("exit code; output:%n%s", output).isZero();
    return output.toString();
  }

  static Matcher summary(Pattern pattern, String output) {
    Matcher matcher = pattern.matcher(output);
    assertThat(matcher.find()).as("summary line in:%n%s", output).isTrue();
    return matcher;
  }

  @Test
  @Order(1)
  void produceReportsThroughputAndLatency() {
    String output = perf("produce", "--topic", "perf", "--num-records", "20000", "--record-size", "100",
        "--acks", "1", "--producer-prop", "linger.ms=2");
    Matcher summary = summary(PRODUCE_SUMMARY, output);
    assertThat(Long.parseLong(summary.group(1))).isEqualTo(20000);
    assertThat(Double.parseDouble(summary.group(2))).isPositive();
    assertThat(Double.parseDouble(summary.group(6))).isLessThanOrEqualTo(Double.parseDouble(summary.group(8)));
    assertThat(output).contains("Created topic perf");
  }

  @Test
  @Order(2)
  void consumeReadsWhatWasProduced() {
    String output = perf("consume", "--topic", "perf", "--num-records", "20000", "--from", "earliest");
    Matcher summary = summary(CONSUME_SUMMARY, output);
    assertThat(Long.parseLong(summary.group(3))).isEqualTo(20000);
    assertThat(Double.parseDouble(summary.group(1))).isCloseTo(20000 * 100 / 1048576.0,
        org.assertj.core.data.Offset.offset(0.01));
  }

  @Test
  @Order(3)
  void endToEndMeasuresRoundTrips() {
    String output = perf("e2e", "--topic", "e2e", "--num-records", "200", "--record-size", "100");
    Matcher summary = summary(E2E_SUMMARY, output);
    assertThat(Long.parseLong(summary.group(1))).isEqualTo(200);
    assertThat(Double.parseDouble(summary.group(3))).isPositive();
  }
}
