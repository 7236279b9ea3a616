package io.brook.verticles.client;

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
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real broker (real files, the real group coordinator) on a plain Vert.x, a producer, and the
 * group members a test starts (closed after it). The broker starts a group's first rebalance at
 * once ({@code group.initial.rebalance.delay.ms} 0) and keeps offsets in two partitions.
 */
abstract class GroupTestBase {
  static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  Path dataDir;
  BrokerHarness broker;
  BrookProducer producer;
  final List<GroupMember> members = new ArrayList<>();

  @BeforeEach
  void startBroker() {
    broker = new BrokerHarness(dataDir, Map.of("offsets.topic.num.partitions", 2,
        "group.initial.rebalance.delay.ms", 0), Time.SYSTEM);
    producer = BrookClients.producer(broker.vertx, Map.of("linger.ms", 1));
  }

  @AfterEach
  void stopBroker() {
    members.forEach(GroupMember::close);
    producer.close();
    broker.close();
  }

  GroupMember member(String name, Map<String, Object> props, String... topics) {
    return add(GroupMember.start(broker.vertx, name, props, List.of(topics)));
  }

  GroupMember member(String name, Map<String, Object> props, Pattern pattern) {
    return add(GroupMember.start(broker.vertx, name, props, pattern));
  }

  private GroupMember add(GroupMember m) {
    members.add(m);
    return m;
  }

  void createTopic(String name, int partitions) {
    broker.calls.createTopic(name, partitions, Map.of());
  }

  /** Values "v<from>".."v<from+count-1>", record i to partition i % partitions. */
  void produce(String topic, int partitions, int from, int count) {
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      sent.add(producer.send(new ProducerRecord<>(topic, i % partitions, null,
          ("v" + i).getBytes(StandardCharsets.UTF_8))));
    }
    Future.all(sent).await();
  }

  static List<String> values(int from, int count) {
    List<String> values = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      values.add("v" + i);
    }
    return values;
  }

  static List<String> allValues(Collection<GroupMember> of) {
    List<String> all = new ArrayList<>();
    of.forEach(m -> all.addAll(m.values()));
    return all;
  }

  static <T> T within(Callable<T> supplier, java.util.function.Predicate<T> condition) {
    return await().atMost(WAIT).until(supplier, condition);
  }

  /** Until every member owns {@code each} partitions (a stable generation with the load spread). */
  static void awaitBalanced(int each, GroupMember... of) {
    await().atMost(WAIT).until(() -> {
      for (GroupMember m : of) {
        if (m.assignment().size() != each) {
          return false;
        }
      }
      return true;
    });
  }
}
