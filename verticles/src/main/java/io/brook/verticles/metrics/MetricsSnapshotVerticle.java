package io.brook.verticles.metrics;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.verticles.BrokerConfig;
import io.brook.verticles.ClusterConsumers;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.errors.InvalidRequestException;

/**
 * Answers {@code brook.internal.broker.<id>.metrics-snapshot} (docs/PROTOCOL.md) with a compact JSON
 * snapshot of this broker's {@link BrokerMeters}: per topic its cumulative records and bytes in and out
 * (every hosted partition), and the records, bytes and under-replicated count of the partitions it
 * leads; per partition on request; and its data dir's disk use. The HTTP API's sampler on every node
 * asks each broker once a second while a console watches and turns the counters into rates.
 *
 * Deploys the broker's {@link GroupLagVerticle} as its child.
 *
 * <p>Runs on one event loop and reads only volatile figures and counters; the data dir's file store is
 * asked on a worker at most every {@link #DISK_CACHE_MS}.
 */
public final class MetricsSnapshotVerticle extends VerticleBase {
  /** How long the data dir's usable and total bytes are reused: a statvfs per second per node is waste. */
  static final long DISK_CACHE_MS = 5_000;
  /** The snapshot's format; bumped when a field changes meaning. */
  public static final int VERSION = 1;
  /** Topics whose partitions one request may ask for (a console stream watches one topic). */
  static final int MAX_DETAILED_TOPICS = 100;

  private final int nodeId;
  private final long groupLagIntervalMs;
  private final Path dataDir;
  private BrokerMeters meters;
  /** 0: never checked (an age from Long.MIN_VALUE would overflow). */
  private long diskCheckedAtMs;
  private long usableBytes = -1;
  private long totalBytes = -1;
  private boolean diskCheckRunning;

  public MetricsSnapshotVerticle(BrokerConfig config) {
    this.nodeId = config.nodeId();
    this.groupLagIntervalMs = config.groupLagIntervalMs();
    this.dataDir = config.dataDir().toAbsolutePath();
  }

  @Override
  public Future<?> start() {
    meters = BrokerMeters.of(vertx);
    maybeCheckDisk(); // the first snapshot then has the disk's figures
    // its child: the group lag gauges, computed apart on their own period
    return ClusterConsumers.<Object>consumer(vertx, Addresses.metricsSnapshot(nodeId), this::handle).completion()
        .compose(registered -> vertx.deployVerticle(new GroupLagVerticle(nodeId, groupLagIntervalMs)));
  }

  private void handle(Message<Object> message) {
    try {
      JsonObject request = message.body() instanceof JsonObject json ? json : new JsonObject();
      Object topics = request.getValue("topics");
      if (topics != null && !(topics instanceof JsonArray)
          || topics != null && (((JsonArray) topics).size() > MAX_DETAILED_TOPICS
              || ((JsonArray) topics).stream().anyMatch(t -> !(t instanceof String)))) {
        throw new InvalidRequestException("metrics snapshot request: {topics?: [name, ...]}, at most "
            + MAX_DETAILED_TOPICS + " names");
      }
      maybeCheckDisk();
      message.reply(snapshot(topics == null ? Set.of()
          : ((JsonArray) topics).stream().map(String.class::cast).collect(Collectors.toSet())));
    } catch (RuntimeException e) {
      BrookErrors.fail(message, e);
    }
  }

  /** Every topic's sums; each partition of {@code detailed} topics too. */
  JsonObject snapshot(Set<String> detailed) {
    JsonObject topics = new JsonObject();
    JsonObject partitions = new JsonObject();
    meters.forEachTopic((name, all) -> {
      long[] sums = new long[7];
      JsonObject rows = detailed.contains(name) ? new JsonObject() : null;
      for (PartitionMeters p : all) {
        if (p == null) {
          continue;
        }
        long recordsIn = (long) p.recordsIn.count();
        long bytesIn = (long) p.bytesIn.count();
        long recordsOut = (long) p.recordsOut.count();
        long bytesOut = (long) p.bytesOut.count();
        sums[0] += recordsIn;
        sums[1] += bytesIn;
        sums[2] += recordsOut;
        sums[3] += bytesOut;
        if (p.leader) {
          sums[4] += p.records();
          sums[5] += p.sizeBytes;
          sums[6] += p.underReplicated() ? 1 : 0;
        }
        if (rows != null) {
          rows.put(Integer.toString(p.partition), new JsonArray().add(recordsIn).add(bytesIn).add(recordsOut)
              .add(bytesOut).add(p.sizeBytes).add(p.logStartOffset).add(p.logEndOffset).add(p.leader));
        }
      }
      JsonArray row = new JsonArray();
      for (long sum : sums) {
        row.add(sum);
      }
      topics.put(name, row);
      if (rows != null && !rows.isEmpty()) {
        partitions.put(name, rows);
      }
    });
    JsonObject answer = new JsonObject()
        .put("version", VERSION)
        .put("nodeId", nodeId)
        .put("ts", System.currentTimeMillis())
        .put("topics", topics)
        .put("dataDirs", new JsonArray().add(new JsonObject()
            .put("path", dataDir.toString())
            .put("usedBytes", meters.hostedLogBytes())
            .put("usableBytes", usableBytes)
            .put("totalBytes", totalBytes)));
    return answer.put("partitions", partitions);
  }

  /** Refreshes the disk figures on a worker when they are old; this answer carries the previous ones. */
  private void maybeCheckDisk() {
    long nowMs = System.currentTimeMillis();
    if (diskCheckRunning || nowMs - diskCheckedAtMs < DISK_CACHE_MS) {
      return;
    }
    diskCheckRunning = true;
    vertx.executeBlocking(() -> {
      FileStore store = Files.getFileStore(Files.exists(dataDir) ? dataDir : dataDir.getParent());
      return new long[] {store.getUsableSpace(), store.getTotalSpace()};
    }, false).onComplete(done -> {
      diskCheckRunning = false;
      diskCheckedAtMs = System.currentTimeMillis();
      if (done.succeeded()) {
        usableBytes = done.result()[0];
        totalBytes = done.result()[1];
      }
    });
  }

}
