package io.brook.verticles.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.protocol.Addresses;
import io.brook.protocol.message.ProduceRequest;
import io.brook.verticles.ProtocolCalls;
import io.brook.verticles.metrics.BrokerMeters;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader's replication meters on two real brokers: records sent to the follower are counted apart
 * from consumers', and a follower that goes shrinks the ISR once, which the under-replicated gauge shows.
 */
@Tag("integration")
class ReplicationMetersTest {
  @TempDir
  Path root;

  static double counter(MeterRegistry registry, String name, String topic) {
    return registry.get(name).tag("topic", topic).tag("partition", "0").counter().count();
  }

  @Test
  void replicationIsCountedAndAnIsrShrinkShowsAsUnderReplicated() {
    try (ReplicatedCluster cluster = new ReplicatedCluster(root, Map.of())) {
      cluster.startBroker(1);
      cluster.startBroker(2);
      cluster.controller.createTopic("m", 1, 2, Map.of("min.insync.replicas", "1"));
      int leader = cluster.controller.partition("m", 0).leader();
      ProtocolCalls calls = cluster.callsTo(leader, leader);
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> calls.readAll("m", 0, 0) != null);
      for (int i = 0; i < 5; i++) {
        calls.request(Addresses.produce(leader), new ProduceRequest("m", 0, ProduceRequest.ACKS_ALL, 10_000,
            ProtocolCalls.batch("v" + i)));
      }
      MeterRegistry registry = BrokerMeters.of(cluster.vertx(leader)).registry();
      assertThat(counter(registry, "brook.records.in", "m")).isEqualTo(5);
      await().atMost(Duration.ofSeconds(10)).until(() -> counter(registry, "brook.replication.records.out", "m") >= 5);
      assertThat(counter(registry, "brook.replication.bytes.out", "m")).isGreaterThan(0);
      assertThat(registry.get("brook.under.replicated.partitions").gauge().value()).isZero();

      cluster.stopBroker(leader == 1 ? 2 : 1);
      await().atMost(Duration.ofSeconds(20)).until(() -> cluster.controller.partition("m", 0).isr().size() == 1);
      await().atMost(Duration.ofSeconds(10)).until(() -> counter(registry, "brook.isr.shrinks", "m") == 1);
      assertThat(registry.get("brook.under.replicated.partitions").gauge().value()).isEqualTo(1);
      assertThat(counter(registry, "brook.isr.expands", "m")).isZero();
    }
  }
}
