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
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.Socket;
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
    KafkaListenerVerticle listener = new KafkaListenerVerticle((v, node) -> List.of(new ProduceApi(v, new PartitionLeaders(v, 1))));
    vertx.deployVerticle(listener, new DeploymentOptions().setConfig(new JsonObject().put("kafka.port", "0")
        .put("kafka.connection.max.inflight.requests", "50"))).await();
    port = listener.actualPort();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private static void send(DataOutputStream out, int correlationId, int partition) throws Exception {
    MemoryRecords records = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(new byte[] {(byte) correlationId}));
    ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
    topics.add(new ProduceRequestData.TopicProduceData().setName("t").setPartitionData(List.of(
        new ProduceRequestData.PartitionProduceData().setIndex(partition).setRecords(records))));
    org.apache.kafka.common.requests.ProduceRequest request = new org.apache.kafka.common.requests.ProduceRequest(
        new ProduceRequestData().setAcks((short) 1).setTimeoutMs(30_000).setTopicData(topics), (short) 9);
    ByteBuffer body = request.serializeWithHeader(new RequestHeader(ApiKeys.PRODUCE, (short) 9, "t", correlationId));
    out.writeInt(body.remaining());
    out.write(body.array(), body.arrayOffset() + body.position(), body.remaining());
    out.flush();
  }

  /** The correlation id of a Produce response, whose one partition must have no error. */
  private static int receiveCorrelationId(DataInputStream in) throws Exception {
    byte[] frame = new byte[in.readInt()];
    in.readFully(frame);
    int correlationId = ByteBuffer.wrap(frame).getInt();
    org.apache.kafka.common.requests.ProduceResponse response = (org.apache.kafka.common.requests.ProduceResponse)
        org.apache.kafka.common.requests.AbstractResponse.parseResponse(ByteBuffer.wrap(frame),
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
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      DataInputStream in = new DataInputStream(socket.getInputStream());
      for (int i = 1; i <= 20; i++) {
        send(out, i, i % 5 == 0 ? 1 : 0); // every fifth to another partition
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
        answered.add(receiveCorrelationId(in));
      }
      assertThat(answered).containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 20).boxed().toList());
    }
  }
}
