package io.brook.verticles.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.client.BrookClients;
import io.brook.client.BrookProducer;
import io.brook.storage.Time;
import io.brook.verticles.BrokerHarness;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One real broker: consumers in groups share partitions, rebalance, commit and resume. */
class ConsumerGroupTest {
  @TempDir
  Path dataDir;
  BrokerHarness broker;
  BrookProducer producer;
  final List<GroupMember> members = new ArrayList<>();

  @BeforeEach
  void start() {
    broker = new BrokerHarness(dataDir, Map.of("offsets.topic.num.partitions", 2,
        "group.initial.rebalance.delay.ms", 0), Time.SYSTEM);
    producer = BrookClients.producer(broker.vertx, Map.of("linger.ms", 1));
  }

  @AfterEach
  void stop() {
    members.forEach(GroupMember::close);
    producer.close();
    broker.close();
  }

  GroupMember member(String name, Map<String, Object> props, String... topics) {
    GroupMember m = GroupMember.start(broker.vertx, name, props, List.of(topics));
    members.add(m);
    return m;
  }

  void produce(String topic, int from, int count) {
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      sent.add(producer.send(new ProducerRecord<>(topic, null, ("v" + i).getBytes(StandardCharsets.UTF_8))));
    }
    Future.all(sent).await();
  }

  @Test
  void aSingleMemberGetsEveryPartition() {
    broker.calls.createTopic("t", 3, Map.of());
    GroupMember a = member("a", GroupMember.props("g"), "t");
    produce("t", 0, 30);
    await().atMost(Duration.ofSeconds(30)).until(() -> a.records.size() >= 30);
    assertThat(a.assignment()).hasSize(3);
    assertThat(a.errors).isEmpty();
  }
}
