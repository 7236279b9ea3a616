package io.brook.server;

import io.brook.protocol.Addresses;
import io.brook.protocol.message.FetchRequest;
import io.brook.protocol.message.FetchResponse;
import io.brook.protocol.message.ProduceRequest;
import io.brook.protocol.message.ProduceResponse;
import io.brook.verticles.ProtocolCalls;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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

  /** Every record of the partition, read from its current leader up to its high watermark, as offset → value. */
  public static Map<Long, String> readAll(ProcessCluster cluster, String topic, int partition) {
    Map<Long, String> log = new java.util.TreeMap<>();
    long next = 0;
    while (true) {
      int leader = cluster.partition(topic, partition).leader();
      FetchResponse response = cluster.request(Addresses.fetch(leader),
          FetchRequest.consumer(topic, partition, next, 1 << 20, 1, 0), 10_000);
      List<Record> records = new ArrayList<>();
      for (RecordBatch batch : response.memoryRecords().batches()) {
        batch.forEach(records::add);
      }
      long from = next;
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
}
