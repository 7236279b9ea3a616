package io.brook.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.protocol.Addresses;
import io.brook.protocol.codec.BrookCodecs;
import io.brook.protocol.message.BrokerInfo;
import io.brook.protocol.message.MetadataResponse;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.ProduceRequest;
import io.brook.protocol.message.ProduceResponse;
import io.brook.protocol.message.TopicMetadata;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Produce requests pipelined on one connection reach a partition's leader in the order they came, without
 * waiting for one another's answers (Kafka's idempotent producer keeps five in flight and sees batches out
 * of order as OUT_OF_ORDER_SEQUENCE_NUMBER), and their responses leave in request order however the
 * leader answers them.
 */
class ProduceOrderTest {
  private final Vertx vertx = Vertx.vertx();
  /** The batches the leader got, in arrival order, each waiting for the test to answer it. */
  private final List<Message<ProduceRequest>> atLeader = new CopyOnWriteArrayList<>();
  private int port;

  @BeforeEach
  void start() {
    BrookCodecs.register(vertx.eventBus());
    MetadataResponse metadata = new MetadataResponse(1, List.of(new BrokerInfo(1, "h", 1, -1)), List.of(
        new TopicMetadata("t", null, (short) 1, List.of(new PartitionMetadata(0, 1, 0, List.of(1), List.of(1)),
            new PartitionMetadata(1, 1, 0, List.of(1), List.of(1))))));
    java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
    vertx.eventBus().consumer(Addresses.metadata(1), message -> { // the first look-up answered last
      if (asked.getAndIncrement() == 0) {
        vertx.setTimer(300, t -> message.reply(metadata));
      } else {
        message.reply(metadata);
      }
    });
    vertx.eventBus().<ProduceRequest>consumer(Addresses.produce(1), atLeader::add);
    KafkaListenerVerticle listener = new KafkaListenerVerticle((v, node) -> List.of(new ProduceApi(v, new PartitionLeaders(v, 1), null)));
    vertx.deployVerticle(listener, new DeploymentOptions().setConfig(new JsonObject().put("kafka.port", "0")
        .put("kafka.connection.max.inflight.requests", "50"))).await();
    port = listener.actualPort();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  /** A one-record batch for {@code partition} whose value is the request's correlation id. */
  private static org.apache.kafka.common.requests.ProduceRequest produce(int correlationId, int partition) {
    MemoryRecords records = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(new byte[] {(byte) correlationId}));
    ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
    topics.add(new ProduceRequestData.TopicProduceData().setName("t").setPartitionData(List.of(
        new ProduceRequestData.PartitionProduceData().setIndex(partition).setRecords(records))));
    return new org.apache.kafka.common.requests.ProduceRequest(
        new ProduceRequestData().setAcks((short) 1).setTimeoutMs(30_000).setTopicData(topics), (short) 9);
  }

  /** The correlation id of the next Produce response, whose one partition must have no error. */
  private static int receiveCorrelationId(KafkaTestClient client) throws Exception {
    ByteBuffer frame = client.receive();
    int correlationId = frame.getInt(0);
    org.apache.kafka.common.requests.ProduceResponse response = (org.apache.kafka.common.requests.ProduceResponse)
        org.apache.kafka.common.requests.AbstractResponse.parseResponse(frame,
            new RequestHeader(ApiKeys.PRODUCE, (short) 9, "t", correlationId));
    ProduceResponseData.PartitionProduceResponse partition = response.data().responses().iterator().next()
        .partitionResponses().get(0);
    assertThat(Errors.forCode(partition.errorCode())).isEqualTo(Errors.NONE);
    return correlationId;
  }

  private static byte firstValueByte(Message<ProduceRequest> batch) {
    return MemoryRecords.readableRecords(batch.body().records().duplicate()).records().iterator().next().value().get();
  }

  private void answer(int index) {
    vertx.runOnContext(v -> atLeader.get(index).reply(new ProduceResponse(index, -1, 0)));
  }

  @Test
  void aPartitionsBatchesReachTheLeaderInTheOrderTheyCameWithoutWaitingForAnswers() throws Exception {
    try (KafkaTestClient client = new KafkaTestClient(port)) {
      for (int i = 1; i <= 20; i++) {
        client.write(produce(i, i % 5 == 0 ? 1 : 0), i); // every fifth to another partition
      }
      // all of them at the leader before any is answered (pipelined), each partition's in the order sent
      await().atMost(Duration.ofSeconds(10)).until(() -> atLeader.size() == 20);
      assertThat(atLeader.stream().filter(m -> m.body().partition() == 0).map(ProduceOrderTest::firstValueByte))
          .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 20).filter(i -> i % 5 != 0)
              .mapToObj(i -> (byte) i).toList());
      for (int i = 19; i >= 0; i--) {
        answer(i); // answered last to first: the responses still leave in request order
      }
      List<Integer> answered = new java.util.ArrayList<>();
      for (int i = 0; i < 20; i++) {
        answered.add(receiveCorrelationId(client));
      }
      assertThat(answered).containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 20).boxed().toList());
    }
  }
}
