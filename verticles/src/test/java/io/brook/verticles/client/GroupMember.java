package io.brook.verticles.client;

import io.brook.client.BrookClients;
import io.brook.client.BrookConsumer;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A consumer of a group polling in a loop on a thread of its own, as an application would: it keeps
 * every record it got (as "topic-partition@offset=value") and every rebalance listener call
 * ("revoked [t-0, t-1]", "assigned [...]", "lost [...]"). {@link #close()} stops the loop and
 * closes the consumer from that thread; {@link #stopPolling()} only stops the loop (a consumer that
 * hangs), {@link #holdPolling()} pauses it.
 */
final class GroupMember implements AutoCloseable {
  final String name;
  final BrookConsumer consumer;
  final List<String> records = new CopyOnWriteArrayList<>();
  final List<String> events = new CopyOnWriteArrayList<>();
  final List<Throwable> errors = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean polling = true;
  private volatile boolean held;
  private volatile boolean closeWhenStopped = true;
  private volatile Set<TopicPartition> assignment = Set.of();
  private volatile Set<TopicPartition> lastAssigned = Set.of();

  private GroupMember(String name, BrookConsumer consumer, java.util.function.Consumer<GroupMember> subscribe) {
    this.name = name;
    this.consumer = consumer;
    subscribe.accept(this);
    this.thread = new Thread(this::loop, "member-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  static Map<String, Object> props(String group, Object... keyValues) {
    Map<String, Object> props = new HashMap<>();
    props.put("group.id", group);
    props.put("client.id", "test");
    props.put("auto.offset.reset", "earliest");
    props.put("heartbeat.interval.ms", 200);
    props.put("session.timeout.ms", 6000);
    props.put("fetch.max.wait.ms", 100);
    for (int i = 0; i < keyValues.length; i += 2) {
      props.put((String) keyValues[i], keyValues[i + 1]);
    }
    return props;
  }

  static GroupMember start(Vertx vertx, String name, Map<String, Object> props, Collection<String> topics) {
    return new GroupMember(name, BrookClients.consumer(vertx, props), m -> m.consumer.subscribe(topics, m.listener()));
  }

  static GroupMember start(Vertx vertx, String name, Map<String, Object> props, Pattern pattern) {
    return new GroupMember(name, BrookClients.consumer(vertx, props), m -> m.consumer.subscribe(pattern, m.listener()));
  }

  private ConsumerRebalanceListener listener() {
    return recording(events);
  }

  /** A listener that adds "revoked [..]", "assigned [..]", "lost [..]" to {@code events}. */
  static ConsumerRebalanceListener recording(List<String> events) {
    return new io.brook.client.RecordingListener(events);
  }

  private void loop() {
    while (polling) {
      if (held) {
        waitWhileHeld();
        continue;
      }
      try {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100)).await()) {
          records.add(r.topic() + "-" + r.partition() + "@" + r.offset() + "="
              + new String(r.value(), StandardCharsets.UTF_8));
        }
        assignment = consumer.assignment();
        if (!assignment.isEmpty()) {
          lastAssigned = assignment;
        }
      } catch (RuntimeException e) {
        errors.add(e);
      }
    }
    if (closeWhenStopped) {
      consumer.close();
    }
  }

  private synchronized void waitWhileHeld() {
    try {
      while (held && polling) {
        wait(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops calling poll (heartbeats go on) until {@link #resumePolling()}: an application stuck in processing. */
  void holdPolling() {
    held = true;
  }

  synchronized void resumePolling() {
    held = false;
    notifyAll();
  }

  /** The partitions it had after its last poll. */
  Set<TopicPartition> assignment() {
    return assignment;
  }

  /** The last non-empty assignment it had. */
  Set<TopicPartition> lastAssigned() {
    return lastAssigned;
  }

  /** The values it consumed. */
  List<String> values() {
    return records.stream().map(r -> r.substring(r.indexOf('=') + 1)).toList();
  }

  /** Stops polling without closing: the member stays in the group until its poll interval or session ends. */
  void stopPolling() {
    closeWhenStopped = false;
    stop();
  }

  private void stop() {
    polling = false;
    try {
      thread.join(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (thread.isAlive()) {
      stop();
    }
  }
}
