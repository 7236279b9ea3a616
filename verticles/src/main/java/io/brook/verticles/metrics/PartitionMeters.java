package io.brook.verticles.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;

/**
 * The meters of one partition hosted by this broker, made once when its log opens and removed when it
 * closes ({@link BrokerMeters}), so the hot paths only increment cached counters. Survives the
 * partition's role changes (leader, follower), since it belongs to the log.
 *
 * <p>Threads: counters are incremented on the API verticles' event loops, the log's figures are set on
 * its worker, the leader's on the leader's event loop, and all are read by the scrape and the snapshot
 * address: every field is a Micrometer counter (thread-safe adders) or volatile.
 */
public final class PartitionMeters {
  final String topic;
  final int partition;
  final Counter recordsIn;
  final Counter bytesIn;
  final Counter recordsOut;
  final Counter bytesOut;
  final Counter replicationRecordsOut;
  final Counter replicationBytesOut;
  final Counter isrShrinks;
  final Counter isrExpands;
  private final List<Meter> meters;
  /** How many open logs of the partition hold these meters (guarded by {@link BrokerMeters}). */
  int holders;

  volatile long logStartOffset;
  volatile long logEndOffset;
  volatile long sizeBytes;
  volatile long highWatermark;
  /** Whether this broker leads the partition now, and the replicas and ISR its leader knows. */
  volatile boolean leader;
  volatile int replicas;
  volatile int isr;

  PartitionMeters(MeterRegistry registry, String topic, int partition) {
    this.topic = topic;
    this.partition = partition;
    Tags tags = Tags.of("topic", topic, "partition", Integer.toString(partition));
    recordsIn = counter(registry, "brook.records.in", tags, "records appended by this leader for producers");
    bytesIn = counter(registry, "brook.bytes.in", tags, "bytes of record batches appended by this leader for producers");
    recordsOut = counter(registry, "brook.records.out", tags, "records sent to consumers by this leader");
    bytesOut = counter(registry, "brook.bytes.out", tags, "bytes of record batches sent to consumers by this leader");
    replicationRecordsOut = counter(registry, "brook.replication.records.out", tags, "records sent to follower replicas");
    replicationBytesOut = counter(registry, "brook.replication.bytes.out", tags, "bytes sent to follower replicas");
    isrShrinks = counter(registry, "brook.isr.shrinks", tags, "ISR shrinks while this broker led (committed changes it asked for and metadata updates)");
    isrExpands = counter(registry, "brook.isr.expands", tags, "ISR expands while this broker led");
    meters = List.of(recordsIn, bytesIn, recordsOut, bytesOut, replicationRecordsOut, replicationBytesOut, isrShrinks,
        isrExpands,
        gauge(registry, "brook.log.size.bytes", tags, "bytes of the partition's log segments on this broker", m -> m.sizeBytes),
        gauge(registry, "brook.log.start.offset", tags, "the log's first offset on this broker", m -> m.logStartOffset),
        gauge(registry, "brook.log.end.offset", tags, "the log's end offset (next offset) on this broker", m -> m.logEndOffset));
  }

  private static Counter counter(MeterRegistry registry, String name, Tags tags, String help) {
    return Counter.builder(name).tags(tags).description(help).register(registry);
  }

  private Gauge gauge(MeterRegistry registry, String name, Tags tags, String help,
      java.util.function.ToDoubleFunction<PartitionMeters> value) {
    return Gauge.builder(name, this, value).tags(tags).description(help).strongReference(true).register(registry);
  }

  void removeFrom(MeterRegistry registry) {
    meters.forEach(registry::remove);
  }

  // ---- hot paths: no allocation ----

  public void onProduced(long records, long bytes) {
    recordsIn.increment(records);
    bytesIn.increment(bytes);
  }

  public void onFetched(long records, long bytes) {
    if (bytes > 0) {
      recordsOut.increment(records);
      bytesOut.increment(bytes);
    }
  }

  public void onReplicaFetched(long records, long bytes) {
    if (bytes > 0) {
      replicationRecordsOut.increment(records);
      replicationBytesOut.increment(bytes);
    }
  }

  /** The log's figures after each of its answers (on the log's worker). */
  public void onLog(long logStartOffset, long logEndOffset, long sizeBytes) {
    this.logStartOffset = logStartOffset;
    this.logEndOffset = logEndOffset;
    this.sizeBytes = sizeBytes;
  }

  /**
   * The leader's high watermark: on the leader whenever it moves (its event loop), on a follower as each
   * fetch answer tells it (the follower's event loop; its lag in DescribeLogDirs).
   */
  public void onHighWatermark(long highWatermark) {
    this.highWatermark = highWatermark;
  }

  // ---- leadership and ISR (the leader's event loop) ----

  /** This broker leads the partition (from now on) with these replica and ISR counts. */
  public void onLeading(int replicaCount, int isrCount) {
    replicas = replicaCount;
    isr = isrCount;
    leader = true;
  }

  /**
   * The leader's ISR as it stands now, after a committed change it asked for or a metadata update
   * (whichever comes first: the controller's answer and the new image race): a smaller ISR than
   * before counts a shrink, a larger one an expand.
   */
  public void onIsr(int replicaCount, int isrCount) {
    int before = isr;
    if (isrCount < before) {
      isrShrinks.increment();
    } else if (isrCount > before) {
      isrExpands.increment();
    }
    onLeading(replicaCount, isrCount);
  }

  public void onNotLeading() {
    leader = false;
  }

  boolean underReplicated() {
    return leader && isr < replicas;
  }

  /** Records in the leader's log: high watermark minus log start (an upper bound for compacted topics). */
  long records() {
    return Math.max(0, highWatermark - logStartOffset);
  }
}
