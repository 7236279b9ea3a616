package io.brook.verticles.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.protocol.message.ProduceRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

/**
 * A partition's meters live while a log of it is open here: made once, shared by a second log of the
 * same partition, removed with the last; the topic's timers go with its last partition; the
 * under-replicated gauge counts led partitions with a short ISR.
 */
class BrokerMetersTest {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final BrokerMeters meters = new BrokerMeters(registry);
  final TopicPartition t0 = new TopicPartition("t", 0);
  final TopicPartition t1 = new TopicPartition("t", 1);

  static ProduceRequest produce(TopicPartition tp, int records) {
    SimpleRecord[] batch = new SimpleRecord[records];
    for (int i = 0; i < records; i++) {
      batch[i] = new SimpleRecord(new byte[10]);
    }
    ByteBuffer bytes = MemoryRecords.withRecords(Compression.NONE, batch).buffer();
    return new ProduceRequest(tp.topic(), tp.partition(), ProduceRequest.ACKS_ALL, 1000, bytes);
  }

  @Test
  void countsOnlyHostedPartitionsAndRemovesMetersWithTheLastLog() {
    meters.onProduced(produce(t0, 3), 1_000_000); // not hosted: nothing, and no meter made
    assertThat(registry.find("brook.records.in").counters()).isEmpty();

    PartitionMeters first = meters.hosted(t0);
    meters.hosted(t1);
    meters.onProduced(produce(t0, 3), 2_000_000);
    assertThat(registry.get("brook.records.in").tag("partition", "0").counter().count()).isEqualTo(3);
    assertThat(registry.get("brook.records.in").tag("partition", "1").counter().count()).isZero();
    assertThat(registry.get("brook.produce.request").tag("topic", "t").timer().count()).isEqualTo(1);

    PartitionMeters second = meters.hosted(t0); // a recreated topic's log opened before the old one closed
    assertThat(second).isSameAs(first);
    meters.removed(t0, first);
    assertThat(meters.find("t", 0)).isSameAs(first);
    meters.removed(t0, second);
    assertThat(meters.find("t", 0)).isNull();
    assertThat(registry.find("brook.records.in").tag("partition", "0").counter()).isNull();
    assertThat(registry.find("brook.produce.request").timer()).isNotNull(); // partition 1 still here

    meters.removed(t1, meters.find("t", 1));
    assertThat(registry.find("brook.produce.request").timer()).isNull();
    assertThat(registry.find("brook.log.size.bytes").gauges()).isEmpty();
  }

  @Test
  void underReplicatedCountsLedPartitionsWithAShortIsrAndIsrChangesAreCounted() {
    PartitionMeters p0 = meters.forRole(t0);
    PartitionMeters p1 = meters.forRole(t1);
    p0.onLeading(3, 3);
    p1.onLeading(3, 3);
    assertThat(registry.get("brook.under.replicated.partitions").gauge().value()).isZero();
    p0.onIsr(3, 2);
    p0.onIsr(3, 2); // the same ISR again (the controller's answer after the image): no second shrink
    assertThat(registry.get("brook.under.replicated.partitions").gauge().value()).isEqualTo(1);
    assertThat(registry.get("brook.isr.shrinks").tag("partition", "0").counter().count()).isEqualTo(1);
    p0.onIsr(3, 3);
    assertThat(registry.get("brook.isr.expands").tag("partition", "0").counter().count()).isEqualTo(1);
    p1.onIsr(3, 1);
    p1.onNotLeading(); // a follower's short ISR is its leader's to report
    assertThat(registry.get("brook.under.replicated.partitions").gauge().value()).isZero();
  }
}
