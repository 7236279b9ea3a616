package io.brook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's start and stop as an operator sees them, with real broker processes: a refused start is
 * one line and a non-zero exit, no stack trace; the ready line counts from the JVM's start; the
 * console carries no Hazelcast chatter; SIGTERM flushes, says so, exits, and loses nothing
 * acknowledged; a broker stopped while ZooKeeper is down still exits, within shutdown.timeout.ms.
 */
@Tag("integration")
class NodeStartStopTest {
  /** A JVM ended by SIGTERM after its shutdown hooks ran: 128 + 15. */
  private static final int SIGTERM_STATUS = 143;
  @TempDir
  Path root;

  @Test
  void aSigtermFlushesSaysSoExitsAndLosesNothingAcknowledged() throws Exception {
    try (ProcessCluster cluster = new ProcessCluster(root, ProcessCluster.Mode.HAZELCAST, Map.of())) {
      ProcessBroker broker = cluster.start(1);
      cluster.createTopic("stop", 1, 1, Map.of());
      Map<Long, AckedWriter.Ack> acked;
      try (AckedWriter writer = new AckedWriter(cluster, "stop", 0)) {
        acked = writer.acked();
        await().atMost(Duration.ofSeconds(60)).until(() -> writer.ackCount() >= 200);
        long stopStartNs = System.nanoTime();
        broker.stop();
        assertThat((System.nanoTime() - stopStartNs) / 1_000_000).as("stop time in ms").isLessThan(20_000);
      }
      String console = broker.runOutput();
      assertThat(broker.exitValue()).as("exit status after SIGTERM").isEqualTo(SIGTERM_STATUS);
      assertThat(console)
          .containsPattern("Brook node 1 ready in \\d+\\.\\d s \\(JVM \\d+\\.\\d s, cluster join \\d+\\.\\d s, metadata")
          .contains("Brook node 1 stopping (at most shutdown.timeout.ms=20000 ms)")
          .containsPattern("Brook node 1 stopped in \\d+ ms: [1-9]\\d* partition logs? closed.*, left the cluster")
          .doesNotContain("did not stop within")
          // Hazelcast's internals stay off the console
          .doesNotContain("UNSAFE mode").doesNotContain("Members {").doesNotContain("ports seem occupied")
          .doesNotContain("\tat ");

      cluster.start(1);
      ReplicatedClusterScenarios.assertAcknowledgedExactlyOnceWithoutGaps(cluster, "stop", acked);
    }
  }

  @Test
  void aBrokerStoppedWhileZookeeperIsDownExitsWithinTheBound() throws Exception {
    long boundMs = 10_000;
    try (ProcessCluster cluster = new ProcessCluster(root, ProcessCluster.Mode.ZOOKEEPER,
        Map.of("shutdown.timeout.ms", boundMs))) {
      ProcessBroker broker = cluster.start(1);
      cluster.createTopic("zkdown", 1, 1, Map.of());
      cluster.stopZookeeper();
      ProcessCluster.pause(Duration.ofSeconds(2)); // its client notices: disconnected
      long stopStartNs = System.nanoTime();
      broker.stop();
      assertThat((System.nanoTime() - stopStartNs) / 1_000_000).as("stop time in ms").isLessThan(boundMs);
      assertThat(broker.exitValue()).as("exit status: a clean stop, not the watchdog's").isEqualTo(SIGTERM_STATUS);
      assertThat(broker.runOutput()).containsPattern("Brook node 1 stopped in \\d+ ms: [1-9]\\d* partition logs? closed")
          .doesNotContain("did not stop within");
    }
  }

  /** Stopped before it was ready (waiting for the founder, as a node started before node 1 does): it says so. */
  @Test
  void aNodeStoppedBeforeItWasReadySaysSo() throws Exception {
    try (ProcessCluster cluster = new ProcessCluster(root, ProcessCluster.Mode.HAZELCAST, Map.of())) {
      ProcessBroker second = cluster.launch(2);
      await().atMost(Duration.ofSeconds(90)).until(() -> second.output().contains("Broker 2 has heard of no cluster for"));
      second.stop();
      assertThat(second.exitValue()).as("exit status").isEqualTo(SIGTERM_STATUS);
      assertThat(second.runOutput()).contains("Brook node 2 stopping before it was ready (at most shutdown.timeout.ms=")
          .containsPattern("Brook node 2 stopped in \\d+ ms: ").doesNotContain("Brook node 2 ready")
          .doesNotContain("could not start").doesNotContain("Unhandled exception");
    }
  }

  /** Stopped while its cluster manager is still joining (ZooKeeper down): one line, where it was joining. */
  @Test
  void aNodeStoppedWhileJoiningSaysWhereItWasJoining() throws Exception {
    try (ProcessCluster cluster = new ProcessCluster(root, ProcessCluster.Mode.ZOOKEEPER,
        Map.of("zookeeper.session.timeout.ms", 120_000))) {
      cluster.stopZookeeper();
      ProcessBroker broker = cluster.launch(1);
      await().atMost(Duration.ofSeconds(60)).until(() -> broker.output().contains("Brook node 1 is still joining cluster"));
      broker.stop();
      assertThat(broker.exitValue()).as("exit status").isEqualTo(SIGTERM_STATUS);
      assertThat(broker.runOutput()).containsPattern("Brook node 1 stopped while joining cluster '[^']+' through "
          + "ZooKeeper at [^ ]+ \\(after \\d+\\.\\d s\\); it had served nothing").doesNotContain("could not start");
      cluster.restartZookeeper();
    }
  }

  /**
   * The watchdog: a stop that outlasts shutdown.timeout.ms (here the other member is frozen, and
   * the verticles' stops wait on the cluster it is still part of) is ended anyway, after one line
   * saying what it was still waiting for.
   */
  @Test
  void aStopThatOutlastsTheBoundIsEndedByTheWatchdogSayingWhatItWaitedFor() throws Exception {
    long boundMs = 1_000;
    try (ProcessCluster cluster = new ProcessCluster(root, ProcessCluster.Mode.HAZELCAST,
        Map.of("shutdown.timeout.ms", boundMs))) {
      cluster.startAll(1, 2);
      cluster.createTopic("watched", 2, 2, Map.of());
      ProcessBroker broker = cluster.broker(1);
      cluster.broker(2).freeze();
      long stopStartNs = System.nanoTime();
      broker.stop();
      long stopMs = (System.nanoTime() - stopStartNs) / 1_000_000;
      cluster.broker(2).thaw();
      assertThat(broker.exitValue()).as("exit status: the watchdog's").isEqualTo(NodeShutdown.TIMED_OUT_STATUS);
      assertThat(stopMs).as("stop time in ms").isLessThan(boundMs + 5_000);
      assertThat(broker.runOutput())
          .containsPattern("Brook node 1 did not stop within shutdown.timeout.ms=1000 ms: still [a-z].*; "
              + "\\d+ partition logs? closed.*; exiting now with status 1")
          .doesNotContainPattern("Brook node 1 stopped in");
    }
  }

  @Test
  void aSecondBrokerWithTheSameNodeIdIsRefusedInOneLine() throws Exception {
    TestCluster cluster = new TestCluster();
    try (ProcessBroker first = new ProcessBroker(cluster.brokerConfig(1, root)).start();
         ProcessBroker second = new ProcessBroker(cluster.brokerConfig(1, root.resolve("other"))).launch()) {
      assertThat(second.awaitExit(Duration.ofSeconds(90))).as("exit status").isNotZero();
      assertOneLineRefusal(second.runOutput(), "Another broker with node.id 1 is already running in this cluster");
      assertThat(first.isAlive()).isTrue();
    }
  }

  @Test
  void aBadConfigValueIsRefusedInOneLineBeforeJoining() {
    Map<String, Object> config = new HashMap<>(new TestCluster().brokerConfig(1, root));
    config.put("log.retention.ms", "a week");
    try (ProcessBroker broker = new ProcessBroker(config).launch()) {
      assertThat(broker.awaitExit(Duration.ofSeconds(60))).as("exit status").isNotZero();
      String console = broker.runOutput();
      assertOneLineRefusal(console, "Invalid value a week for configuration log.retention.ms");
      assertThat(console).as("refused before joining the cluster").doesNotContain("joined cluster");
    }
  }

  @Test
  void aTakenHttpPortIsRefusedInOneLineNamingIt() throws Exception {
    Map<String, Object> config = new HashMap<>(new TestCluster().brokerConfig(1, root));
    int port = (Integer) config.get("http.port");
    try (ServerSocket holder = new ServerSocket();
         ProcessBroker broker = new ProcessBroker(config)) {
      holder.bind(new InetSocketAddress("127.0.0.1", port));
      broker.launch();
      assertThat(broker.awaitExit(Duration.ofSeconds(60))).as("exit status").isNotZero();
      assertOneLineRefusal(broker.runOutput(), "the HTTP API cannot listen on 127.0.0.1:" + port);
      assertThat(broker.runOutput()).contains("http.port");
    }
  }

  private static void assertOneLineRefusal(String console, String reason) {
    assertThat(console.lines().filter(line -> line.startsWith("Brook could not start: ")))
        .as("the refusal, once:\n%s", console).singleElement().asString().contains(reason);
    assertThat(console).as("no stack trace on the console").doesNotContain("\tat ");
  }
}
