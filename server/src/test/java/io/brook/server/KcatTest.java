package io.brook.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
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

  private String kcat(String stdin, String... args) throws IOException, InterruptedException {
    return Kcat.run(root, stdin, args);
  }

  private static List<String> lines(String output) {
    return Kcat.lines(output);
  }
}
