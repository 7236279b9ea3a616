package io.brook.verticles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.brook.protocol.Addresses;
import io.brook.protocol.message.CreateTopicRequest;
import io.brook.protocol.message.FetchRequest;
import io.brook.protocol.message.FetchResponse;
import io.brook.protocol.message.ProduceRequest;
import io.brook.protocol.message.ProduceResponse;
import io.brook.protocol.message.TopicMetadata;
import io.brook.storage.Time;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
 * A real broker (real files in a temp dir) on a plain Vert.x for tests, and blocking helpers that
 * speak the event bus protocol to it from the test thread.
 */
public final class BrokerHarness implements AutoCloseable {
  public static final int NODE_ID = 1;
  public final Vertx vertx;
  public final Path dataDir;
  private final JsonObject config;
  private final Time time;
  private String deploymentId;

  public BrokerHarness(Path dataDir, Map<String, Object> extraConfig, Time time) {
    this.vertx = Vertx.vertx();
    this.dataDir = dataDir;
    this.time = time;
    this.config = new JsonObject().put("node.id", NODE_ID).put("data.dir", dataDir.toString());
    extraConfig.forEach(config::put);
    start();
  }

  public BrokerHarness(Path dataDir) {
    this(dataDir, Map.of(), Time.SYSTEM);
  }

  public void start() {
    deploymentId = vertx.deployVerticle(new BrokerVerticle(time), new DeploymentOptions().setConfig(config)).await();
  }

  /** A clean shutdown of the broker (logs closed), the Vert.x instance stays. */
  public void stop() {
    vertx.undeploy(deploymentId).await();
  }

  public void restart() {
    stop();
    start();
  }

  @Override
  public void close() {
    vertx.close().await();
  }

  public TopicMetadata createTopic(String name, int partitions, Map<String, String> configs) {
    return request(Addresses.CREATE_TOPIC, new CreateTopicRequest(name, partitions, (short) 1, configs));
  }

  public ProduceResponse produce(String topic, int partition, String... values) {
    return request(Addresses.produce(NODE_ID), new ProduceRequest(topic, partition, (short) 1, 30_000, batch(values)));
  }

  public FetchResponse fetch(String topic, int partition, long offset) {
    return request(Addresses.fetch(NODE_ID), FetchRequest.consumer(topic, partition, offset, 1 << 20, 1, 0));
  }

  public <T> T request(String address, Object body) {
    return vertx.eventBus().<T>request(address, body).await().body();
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

  /** Offset and value of every record in a fetch answer, from {@code fromOffset} on. */
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
