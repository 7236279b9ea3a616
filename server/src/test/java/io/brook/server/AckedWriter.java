package io.brook.server;

import static org.awaitility.Awaitility.await;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.message.FetchRequest;
import io.brook.protocol.message.FetchResponse;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.ProduceRequest;
import io.brook.protocol.message.ProduceResponse;
import io.brook.verticles.ProtocolCalls;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Writes unique values to one partition with acks=all, without pause, from a thread of its own:
 * each request to whichever broker the metadata names as leader, never sent twice (so a write that
 * timed out but was committed cannot come back as a duplicate). Records every acknowledgement: the
 * offset, the value, which broker acknowledged it and when.
 */
public final class AckedWriter implements AutoCloseable {
  public record Ack(long offset, String value, int broker, long atNanos) {}

  private final ProcessCluster cluster;
  private final String prefix;
  private final String topic;
  private final int partition;
  private final ConcurrentSkipListMap<Long, Ack> acked = new ConcurrentSkipListMap<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicInteger failures = new AtomicInteger();
  private final Map<String, Integer> errors = new java.util.concurrent.ConcurrentHashMap<>();
  private final Thread thread;

  public AckedWriter(ProcessCluster cluster, String topic, int partition) {
    this(cluster, topic, partition, "v");
  }

  /** Values are {@code prefix} + a counter: writers that follow one another on a partition need distinct prefixes. */
  public AckedWriter(ProcessCluster cluster, String topic, int partition, String prefix) {
    this.prefix = prefix;
    this.cluster = cluster;
    this.topic = topic;
    this.partition = partition;
    this.thread = new Thread(this::run, "acked-writer");
    thread.start();
  }

  private void run() {
    int leader = -1;
    for (int i = 0; !stop.get(); i++) {
      try {
        if (leader < 0) {
          leader = cluster.partition(topic, partition).leader();
        }
        String value = prefix + i;
        ProduceResponse response = cluster.request(Addresses.produce(leader), new ProduceRequest(topic, partition,
            ProduceRequest.ACKS_ALL, 5_000, ProtocolCalls.batch(value)), 6_000);
        acked.put(response.baseOffset(), new Ack(response.baseOffset(), value, leader, System.nanoTime()));
      } catch (RuntimeException e) {
        failures.incrementAndGet();
        errors.merge(io.brook.protocol.BrookErrors.errorOf(e).name(), 1, Integer::sum);
        leader = -1; // find the leader again; the value is not sent again
      }
    }
  }

  public int ackCount() {
    return acked.size();
  }

  public int failures() {
    return failures.get();
  }

  /** How many times each error (its Kafka name) was seen, metadata look-ups included. */
  public Map<String, Integer> errors() {
    return Map.copyOf(errors);
  }

  public Map<Long, Ack> acked() {
    return acked;
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    thread.join();
  }

  /**
   * Every record of the partition, read from its current leader up to its high watermark, as offset →
   * value. Fetches carry the leader epoch, and metadata at an older epoch than one already seen is
   * asked again, so a broker that was cut off (its metadata stopped then, and it may still think it
   * leads) is never read from as the leader.
   */
  public static Map<Long, String> readAll(ProcessCluster cluster, String topic, int partition) {
    Map<Long, String> log = new java.util.TreeMap<>();
    long next = 0;
    int[] newestEpoch = {-1};
    while (true) {
      long from = next;
      FetchResponse response = await().atMost(Duration.ofSeconds(30))
          .ignoreExceptionsMatching(AckedWriter::worthAskingAgain)
          .until(() -> fetchFromLeader(cluster, topic, partition, from, newestEpoch), r -> true);
      List<Record> records = new ArrayList<>();
      for (RecordBatch batch : response.memoryRecords().batches()) {
        batch.forEach(records::add);
      }
      records.removeIf(r -> r.offset() < from);
      if (records.isEmpty()) {
        return log;
      }
      for (Record record : records) {
        log.put(record.offset(), StandardCharsets.UTF_8.decode(record.value()).toString());
      }
      next = records.get(records.size() - 1).offset() + 1;
    }
  }

  private static FetchResponse fetchFromLeader(ProcessCluster cluster, String topic, int partition, long offset,
      int[] newestEpoch) {
    PartitionMetadata where = cluster.partition(topic, partition);
    if (where.leaderEpoch() < newestEpoch[0]) {
      throw new StaleMetadataException(where.leaderEpoch() + " < " + newestEpoch[0]);
    }
    newestEpoch[0] = where.leaderEpoch();
    return cluster.request(Addresses.fetch(where.leader()), new FetchRequest(topic, partition, offset, 1 << 20, 1, 0,
        FetchRequest.CONSUMER_REPLICA_ID, where.leaderEpoch()), 10_000);
  }

  private static boolean worthAskingAgain(Throwable failure) {
    return failure instanceof StaleMetadataException
        || BrookErrors.toApiException(failure) instanceof RetriableException;
  }

  private static final class StaleMetadataException extends IllegalStateException {
    StaleMetadataException(String epochs) {
      super("metadata at an older leader epoch than already seen: " + epochs);
    }
  }
}
