package io.brook.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second Kafka client stack against Brook's Kafka listener: kcat (librdkafka) from Debian, installed
 * by {@code ./test.sh}. Metadata, produce with lz4, consume to the end, and a balanced consumer group
 * whose committed offsets Kafka's Admin then reads.
 */
@Tag("integration")
class KcatTest {
  @TempDir
  Path root;

  @Test
  void kcatListsProducesConsumesAndConsumesInAGroup() throws Exception {
    try (ProcessCluster cluster = new ProcessCluster(root, ProcessCluster.Mode.HAZELCAST, Map.of("kafka.port", 0))) {
      cluster.startAll(1, 2, 3);
      cluster.createTopic("kc", 2, 3, Map.of());
      String bootstrap = "127.0.0.1:" + cluster.kafkaPort(2);

      JsonObject metadata = new JsonObject(kcat(null, "-b", bootstrap, "-L", "-J"));
      JsonArray brokers = metadata.getJsonArray("brokers");
      assertThat(brokers.stream().map(b -> ((JsonObject) b).getInteger("id"))).containsExactlyInAnyOrder(1, 2, 3);
      JsonObject topic = metadata.getJsonArray("topics").stream().map(JsonObject.class::cast)
          .filter(t -> "kc".equals(t.getString("topic"))).findFirst().orElseThrow();
      assertThat(topic.getJsonArray("partitions")).hasSize(2);

      String input = IntStream.range(0, 100).mapToObj(i -> "key-" + i + ":value-" + i).collect(Collectors.joining("\n")) + "\n";
      kcat(input, "-b", bootstrap, "-P", "-t", "kc", "-p", "0", "-K", ":", "-z", "lz4");
      List<String> read = lines(kcat(null, "-b", bootstrap, "-C", "-t", "kc", "-p", "0", "-o", "beginning", "-e",
          "-f", "%k=%s\\n"));
      assertThat(read).hasSize(100).startsWith("key-0=value-0").endsWith("key-99=value-99");

      List<String> grouped = lines(kcat(null, "-b", bootstrap, "-G", "kcat-group", "kc", "-o", "beginning", "-e",
          "-f", "%s\\n", "-X", "enable.auto.commit=true"));
      assertThat(grouped).hasSize(100).contains("value-0", "value-99");
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
          AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000))) {
        Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> committed = admin
            .listConsumerGroupOffsets("kcat-group").partitionsToOffsetAndMetadata().get(60, TimeUnit.SECONDS);
        assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum()).isEqualTo(100);
      }
    }
  }

  private static List<String> lines(String output) {
    return output.lines().filter(line -> !line.isBlank()).toList();
  }

  /** Runs kcat with {@code stdin} (or none), waits up to 90 s, and returns its standard output; fails on a non-zero exit. */
  private String kcat(String stdin, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("kcat");
    command.addAll(List.of(args));
    Path err = Files.createTempFile(root, "kcat", ".err");
    Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
    if (stdin != null) {
      process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    process.getOutputStream().close();
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("kcat %s finished", command).isTrue();
    assertThat(process.exitValue()).as("kcat %s exit; stderr:\n%s", command, Files.readString(err)).isZero();
    return new String(out, StandardCharsets.UTF_8);
  }
}
