package io.brook.kafkatools;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.server.ProcessCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apache Kafka's own command-line tools against three Brook brokers, each run as Kafka's scripts run
 * it (its main class in a JVM of its own): kafka-topics creates and describes a topic,
 * kafka-console-producer writes lines, kafka-console-consumer reads them in a group, and
 * kafka-consumer-groups shows the group's lag and resets its offsets.
 */
@Tag("integration")
class KafkaToolsTest {
  private static final String TOPICS = "org.apache.kafka.tools.TopicCommand";
  private static final String PRODUCER = "org.apache.kafka.tools.ConsoleProducer";
  private static final String CONSUMER = "org.apache.kafka.tools.consumer.ConsoleConsumer";
  private static final String GROUPS = "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand";

  @TempDir
  Path root;

  private record Run(int exitCode, String stdout, String stderr) {
    Run ok() {
      assertThat(exitCode).as("exit status; stdout:%n%s%nstderr:%n%s", stdout, stderr).isZero();
      return this;
    }
  }

  @Test
  void kafkasToolsCreateProduceConsumeAndManageAGroup() throws Exception {
    try (ProcessCluster cluster = new ProcessCluster(root, ProcessCluster.Mode.HAZELCAST, Map.of("kafka.port", 0))) {
      cluster.startAll(1, 2, 3);
      String bootstrap = "127.0.0.1:" + cluster.kafkaPort(2);

      tool(TOPICS, "", "--bootstrap-server", bootstrap, "--create", "--topic", "tools", "--partitions", "3",
          "--replication-factor", "3").ok();
      assertThat(tool(TOPICS, "", "--bootstrap-server", bootstrap, "--list").ok().stdout().lines())
          .contains("tools").noneMatch(name -> name.startsWith("__"));
      assertThat(tool(TOPICS, "", "--bootstrap-server", bootstrap, "--describe", "--topic", "tools").ok().stdout())
          .contains("PartitionCount: 3").contains("ReplicationFactor: 3");

      List<String> lines = IntStream.range(0, 100).mapToObj(i -> "line-" + i).toList();
      produceKeyed(bootstrap, lines); // keyed, so every partition gets some and the group commits all three

      Run consumed = tool(CONSUMER, "", "--bootstrap-server", "127.0.0.1:" + cluster.kafkaPort(3), "--topic", "tools",
          "--group", "tools-group", "--from-beginning", "--max-messages", "100", "--timeout-ms", "60000").ok();
      assertThat(consumed.stdout().lines().collect(Collectors.toSet())).isEqualTo(Set.copyOf(lines));

      assertThat(totalLag(describeGroup(bootstrap))).as("lag once everything is consumed").isZero();
      produceKeyed(bootstrap, List.of("more-1", "more-2", "more-3"));
      assertThat(totalLag(describeGroup(bootstrap))).isEqualTo(3);

      tool(GROUPS, "", "--bootstrap-server", bootstrap, "--reset-offsets", "--group", "tools-group", "--topic", "tools",
          "--to-earliest", "--execute").ok();
      assertThat(totalLag(describeGroup(bootstrap))).as("after a reset to the earliest offsets").isEqualTo(103);
    }
  }

  /** kafka-console-producer with "key:value" lines (the key is the value's own text). */
  private void produceKeyed(String bootstrap, List<String> values) throws Exception {
    String input = values.stream().map(v -> v + ":" + v + "\n").collect(Collectors.joining());
    tool(PRODUCER, input, "--bootstrap-server", bootstrap, "--topic", "tools", "--reader-property", "parse.key=true",
        "--reader-property", "key.separator=:").ok();
  }

  private Run describeGroup(String bootstrap) throws Exception {
    return tool(GROUPS, "", "--bootstrap-server", bootstrap, "--describe", "--group", "tools-group").ok();
  }

  /** The LAG column summed over the topic's rows of a kafka-consumer-groups --describe. */
  private static long totalLag(Run describe) {
    List<String> rows = describe.stdout().lines().filter(line -> line.trim().startsWith("tools-group")).toList();
    assertThat(rows).as(describe.stdout()).hasSize(3);
    String header = describe.stdout().lines().filter(line -> line.contains("LAG")).findFirst().orElseThrow();
    int lagColumn = List.of(header.trim().split("\\s+")).indexOf("LAG");
    return rows.stream().mapToLong(row -> Long.parseLong(row.trim().split("\\s+")[lagColumn])).sum();
  }

  /** One of Kafka's tools in a JVM of its own, with {@code stdin} as its input. */
  private Run tool(String mainClass, String stdin, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(root, "tool", ".out");
    Path err = Files.createTempFile(root, "tool", ".err");
    Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new IllegalStateException(mainClass + " did not finish in 120 s: " + Files.readString(err));
    }
    return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
  }
}
