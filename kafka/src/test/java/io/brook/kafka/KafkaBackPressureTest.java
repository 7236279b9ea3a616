package io.brook.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeClusterRequest;
import org.apache.kafka.common.requests.DescribeClusterResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The connection layer's bounds with an API that answers when the test says so: requests in progress per
 * connection ({@code kafka.connection.max.inflight.requests}) and per node ({@code kafka.queued.max.requests}),
 * and responses in request order whatever order the work completes in.
 */
class KafkaBackPressureTest {
  private final Vertx vertx = Vertx.vertx();
  /** The requests the API has started, each waiting for the test to answer it. */
  private final List<Promise<AbstractResponse>> started = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private int listener(String inflight, String queued) {
    KafkaApi held = new KafkaApi() {
      @Override
      public ApiKeys key() {
        return ApiKeys.DESCRIBE_CLUSTER;
      }

      @Override
      public Future<AbstractResponse> handle(KafkaRequest request) {
        Promise<AbstractResponse> promise = Promise.promise();
        started.add(promise);
        return promise.future();
      }
    };
    KafkaListenerVerticle listener = new KafkaListenerVerticle((v, node) -> List.of(held));
    vertx.deployVerticle(listener, new DeploymentOptions().setConfig(new JsonObject().put("kafka.port", "0")
        .put("kafka.connection.max.inflight.requests", inflight).put("kafka.queued.max.requests", queued))).await();
    return listener.actualPort();
  }

  private static void send(DataOutputStream out, int correlationId) throws Exception {
    DescribeClusterRequest request = new DescribeClusterRequest(new DescribeClusterRequestData(), (short) 1);
    ByteBuffer body = request.serializeWithHeader(new RequestHeader(ApiKeys.DESCRIBE_CLUSTER, (short) 1, "t", correlationId));
    out.writeInt(body.remaining());
    out.write(body.array(), body.arrayOffset() + body.position(), body.remaining());
    out.flush();
  }

  private static int receiveCorrelationId(DataInputStream in) throws Exception {
    byte[] frame = new byte[in.readInt()];
    in.readFully(frame);
    return ByteBuffer.wrap(frame).getInt();
  }

  private void answer(int index) {
    vertx.runOnContext(v -> started.get(index).complete(new DescribeClusterResponse(new DescribeClusterResponseData())));
  }

  @Test
  void aConnectionStartsNoMoreThanItsCapAndAnswersInRequestOrder() throws Exception {
    int port = listener("2", "100");
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      DataInputStream in = new DataInputStream(socket.getInputStream());
      for (int i = 0; i < 5; i++) {
        send(out, 100 + i);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> started.size() == 2);
      await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> started.size() == 2);
      answer(1); // the second completes first: it waits for the first
      await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> started.size() == 2);
      answer(0);
      assertThat(receiveCorrelationId(in)).isEqualTo(100);
      assertThat(receiveCorrelationId(in)).isEqualTo(101);
      for (int i = 2; i < 5; i++) {
        int next = i;
        await().atMost(Duration.ofSeconds(10)).until(() -> started.size() > next);
        answer(next);
        assertThat(receiveCorrelationId(in)).isEqualTo(100 + next);
      }
    }
  }

  @Test
  void theNodeStartsNoMoreThanItsQueuedMaxRequestsAcrossConnections() throws Exception {
    int port = listener("10", "3");
    try (Socket a = new Socket(InetAddress.getLoopbackAddress(), port);
         Socket b = new Socket(InetAddress.getLoopbackAddress(), port)) {
      DataOutputStream outA = new DataOutputStream(a.getOutputStream());
      DataOutputStream outB = new DataOutputStream(b.getOutputStream());
      for (int i = 0; i < 3; i++) {
        send(outA, i);
        send(outB, 10 + i);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> started.size() == 3);
      await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> started.size() == 3);
      for (int i = 0; i < 6; i++) {
        int next = i;
        await().atMost(Duration.ofSeconds(10)).until(() -> started.size() > next);
        answer(next);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> started.size() == 6);
    }
  }
}
