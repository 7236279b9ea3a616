package io.brook.web;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.message.BrokerInfo;
import io.brook.protocol.message.FetchRequest;
import io.brook.protocol.message.FetchResponse;
import io.brook.protocol.message.ListOffsetsResponse;
import io.brook.protocol.message.MetadataResponse;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.TopicMetadata;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.eventbus.Message;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;

/**
 * The leader (node 1) of every partition of one topic, in memory, for HTTP API tests that must see
 * what the API asks of the brokers: it records every fetch, long-polls those that find nothing
 * (for their maxWaitMs) and counts them while they are parked. Handlers run on the verticle's event
 * loop; the test thread reads the counters.
 */
final class FakeLeader extends AbstractVerticle {
  private record Parked(Message<Object> message, FetchRequest request, long timerId) {}

  static final int NODE_ID = 1;
  final String topic;
  private final int partitions;
  private final List<List<byte[]>> values = new ArrayList<>();
  private final List<Parked> parked = new ArrayList<>();
  private final AtomicInteger parkedCount = new AtomicInteger();
  final List<FetchRequest> fetches = new CopyOnWriteArrayList<>();

  FakeLeader(String topic, int partitions) {
    this.topic = topic;
    this.partitions = partitions;
    for (int p = 0; p < partitions; p++) {
      values.add(new ArrayList<>());
    }
  }

  @Override
  public void start() {
    vertx.eventBus().consumer(Addresses.METADATA, this::metadata);
    vertx.eventBus().consumer(Addresses.fetch(NODE_ID), this::fetch);
    vertx.eventBus().consumer(Addresses.listOffsets(NODE_ID),
        message -> message.reply(new ListOffsetsResponse(0, -1)));
  }

  int parked() {
    return parkedCount.get();
  }

  /** Appends a record to a partition (on the event loop) and wakes the fetches parked on it. */
  void append(int partition, byte[] value) {
    context.runOnContext(v -> {
      values.get(partition).add(value);
      Iterator<Parked> it = parked.iterator();
      while (it.hasNext()) {
        Parked waiting = it.next();
        if (waiting.request.partition() == partition) {
          it.remove();
          parkedCount.decrementAndGet();
          vertx.cancelTimer(waiting.timerId);
          answer(waiting.message, waiting.request);
        }
      }
    });
  }

  private void metadata(Message<Object> message) {
    List<PartitionMetadata> metadata = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      metadata.add(new PartitionMetadata(p, NODE_ID, 0, List.of(NODE_ID), List.of(NODE_ID)));
    }
    message.reply(new MetadataResponse(NODE_ID, List.of(new BrokerInfo(NODE_ID, "127.0.0.1", -1, -1)),
        List.of(new TopicMetadata(topic, null, (short) 1, metadata))));
  }

  private void fetch(Message<Object> message) {
    FetchRequest request = (FetchRequest) message.body();
    fetches.add(request);
    if (request.fetchOffset() < values.get(request.partition()).size() || request.maxWaitMs() == 0) {
      answer(message, request);
      return;
    }
    parkedCount.incrementAndGet();
    long[] timer = new long[1];
    timer[0] = vertx.setTimer(request.maxWaitMs(), id -> {
      parked.removeIf(waiting -> waiting.timerId == timer[0]);
      parkedCount.decrementAndGet();
      answer(message, request);
    });
    parked.add(new Parked(message, request, timer[0]));
  }

  /** Records from the fetch offset, one batch per record, whole batches up to maxBytes (at least one). */
  private void answer(Message<Object> message, FetchRequest request) {
    try {
      List<byte[]> log = values.get(request.partition());
      List<ByteBuffer> batches = new ArrayList<>();
      int size = 0;
      for (int offset = (int) request.fetchOffset(); offset < log.size(); offset++) {
        ByteBuffer batch = batch(offset, log.get(offset));
        if (!batches.isEmpty() && size + batch.remaining() > request.maxBytes()) {
          break;
        }
        batches.add(batch);
        size += batch.remaining();
      }
      ByteBuffer all = ByteBuffer.allocate(size);
      batches.forEach(all::put);
      long end = log.size();
      message.reply(new FetchResponse(end, 0, end, all.flip()));
    } catch (RuntimeException e) {
      BrookErrors.fail(message, e);
    }
  }

  private static ByteBuffer batch(long offset, byte[] value) {
    MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(value.length + 128), Compression.NONE,
        TimestampType.CREATE_TIME, offset);
    builder.append(offset, null, value);
    return builder.build().buffer();
  }
}
