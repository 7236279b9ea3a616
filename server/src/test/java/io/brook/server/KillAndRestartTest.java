package io.brook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.protocol.Addresses;
import io.brook.protocol.message.MetadataRequest;
import io.brook.protocol.message.MetadataResponse;
import io.brook.protocol.message.ProduceResponse;
import io.brook.verticles.ProtocolCalls;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker process killed with SIGKILL in the middle of acknowledged writes comes back with every
 * acknowledged record at the offset it was acknowledged with, no gaps; a SIGTERM is a clean
 * shutdown that leaves the clean-shutdown marker.
 */
@Tag("integration")
class KillAndRestartTest {
  @TempDir
  Path root;

  @Test
  void everyAcknowledgedRecordSurvivesKillMinus9() throws Exception {
    TestCluster cluster = new TestCluster();
    Map<String, Object> config = cluster.brokerConfig(1, root);
    ProcessBroker broker = new ProcessBroker(config).start();
    Vertx client = cluster.joinAsClient();
    try {
      ProtocolCalls calls = new ProtocolCalls(client.eventBus(), 1, 3_000);
      awaitBrokerVisible(calls);
      calls.createTopic("durable", 1, Map.of());

      ConcurrentSkipListMap<Long, String> acked = new ConcurrentSkipListMap<>();
      AtomicBoolean stop = new AtomicBoolean();
      Thread producer = new Thread(() -> {
        for (int i = 0; !stop.get(); i++) {
          try {
            String[] values = {"v" + i + "-a", "v" + i + "-b", "v" + i + "-c"};
            ProduceResponse response = calls.produce("durable", 0, values);
            for (int j = 0; j < values.length; j++) {
              acked.put(response.baseOffset() + j, values[j]);
            }
          } catch (RuntimeException brokerGone) {
            return;
          }
        }
      });
      producer.start();
      await().atMost(Duration.ofSeconds(60)).until(() -> acked.size() >= 3000);
      broker.kill();
      stop.set(true);
      producer.join();

      broker = new ProcessBroker(config).start();
      awaitBrokerVisible(calls);
      List<String> log = calls.readAll("durable", 0, 0);
      assertThat(log.size()).isGreaterThanOrEqualTo(acked.size());
      for (int offset = 0; offset < log.size(); offset++) {
        assertThat(log.get(offset)).startsWith(offset + ":"); // contiguous from 0, no gaps
      }
      acked.forEach((offset, value) -> assertThat(log.get(offset.intValue())).isEqualTo(offset + ":" + value));
    } finally {
      client.close().await();
      broker.close();
    }
  }

  @Test
  void sigtermShutsDownCleanly() throws Exception {
    TestCluster cluster = new TestCluster();
    Map<String, Object> config = cluster.brokerConfig(1, root);
    ProcessBroker broker = new ProcessBroker(config).start();
    Vertx client = cluster.joinAsClient();
    try {
      ProtocolCalls calls = new ProtocolCalls(client.eventBus(), 1);
      awaitBrokerVisible(calls);
      calls.createTopic("clean", 2, Map.of());
      calls.produce("clean", 1, "one", "two");
      broker.stop();
      Path partitionDir = Path.of(config.get("data.dir").toString(), "clean-1");
      try (var files = Files.list(partitionDir)) {
        assertThat(files.map(p -> p.getFileName().toString())).contains(io.brook.storage.internals.LogFiles.CLEAN_SHUTDOWN_FILE);
      }
      broker = new ProcessBroker(config).start();
      awaitBrokerVisible(calls);
      assertThat(calls.readAll("clean", 1, 0)).containsExactly("0:one", "1:two");
    } finally {
      client.close().await();
      broker.close();
    }
  }

  /** The client's view of the cluster's event bus registrations catches up asynchronously. */
  private static void awaitBrokerVisible(ProtocolCalls calls) {
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
      MetadataResponse metadata = calls.request(Addresses.METADATA, MetadataRequest.all());
      return !metadata.brokers().isEmpty();
    });
  }
}
