package io.brook.verticles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.brook.protocol.Addresses;
import io.brook.protocol.codec.BrookCodecs;
import io.brook.protocol.message.CreateTopicRequest;
import io.brook.protocol.message.FetchRequest;
import io.brook.protocol.message.FetchResponse;
import io.brook.protocol.message.ProduceRequest;
import io.brook.protocol.message.ProduceResponse;
import io.brook.protocol.message.TopicMetadata;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;

/**
 * Blocking calls of the event bus protocol to broker {@code nodeId}, for tests; call them from the
 * test thread, never from an event loop.
 */
public final class ProtocolCalls {
  private final EventBus bus;
  private final int nodeId;
  private final DeliveryOptions options;

  public ProtocolCalls(EventBus bus, int nodeId) {
    this(bus, nodeId, 30_000);
  }

  /** With a request timeout: a request to a dead broker fails only when it passes. */
  public ProtocolCalls(EventBus bus, int nodeId, long timeoutMs) {
    this.bus = bus;
    this.nodeId = nodeId;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
    BrookCodecs.register(bus);
  }

  public TopicMetadata createTopic(String name, int partitions, Map<String, String> configs) {
    return request(Addresses.CREATE_TOPIC, new CreateTopicRequest(name, partitions, (short) 1, configs));
  }

  public ProduceResponse produce(String topic, int partition, String... values) {
    return request(Addresses.produce(nodeId), new ProduceRequest(topic, partition, (short) 1, 30_000, batch(values)));
  }

  public FetchResponse fetch(String topic, int partition, long offset) {
    return request(Addresses.fetch(nodeId), FetchRequest.consumer(topic, partition, offset, 1 << 20, 1, 0));
  }

  /** Every record of a partition from {@code offset} up to the high watermark, as "offset:value". */
  public List<String> readAll(String topic, int partition, long offset) {
    List<String> all = new ArrayList<>();
    long next = offset;
    while (true) {
      FetchResponse response = fetch(topic, partition, next);
      List<String> values = values(response, next);
      if (values.isEmpty()) {
        return all;
      }
      all.addAll(values);
      String last = values.get(values.size() - 1);
      next = Long.parseLong(last.substring(0, last.indexOf(':'))) + 1;
    }
  }

  public <T> T request(String address, Object body) {
    return bus.<T>request(address, body, options).await().body();
  }

  /** Sends without waiting for the answer. */
  public <T> io.vertx.core.Future<T> requestLater(String address, Object body) {
    return bus.<T>request(address, body, options).map(io.vertx.core.eventbus.Message::body);
  }

  /** The error a request fails with, as Kafka's error. */
  public Errors errorOf(String address, Object body) {
    Throwable failure = catchThrowable(() -> request(address, body));
    assertThat(failure).as("request to " + address + " should fail").isInstanceOf(ReplyException.class);
    return Errors.forCode((short) ((ReplyException) failure).failureCode());
  }

  public static ByteBuffer batch(String... values) {
    return batch(Compression.NONE, values);
  }

  public static ByteBuffer batch(Compression compression, String... values) {
    SimpleRecord[] records = new SimpleRecord[values.length];
    for (int i = 0; i < values.length; i++) {
      records[i] = new SimpleRecord(System.currentTimeMillis(), null, values[i].getBytes(StandardCharsets.UTF_8));
    }
    return MemoryRecords.withRecords(compression, records).buffer();
  }

  /** Offset and value of every record in a fetch answer, from {@code fromOffset} on, as "offset:value". */
  public static List<String> values(FetchResponse response, long fromOffset) {
    List<String> values = new ArrayList<>();
    for (RecordBatch batch : response.memoryRecords().batches()) {
      for (Record record : batch) {
        if (record.offset() >= fromOffset) {
          values.add(record.offset() + ":" + StandardCharsets.UTF_8.decode(record.value()));
        }
      }
    }
    return values;
  }
}
