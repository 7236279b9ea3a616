package io.brook.verticles;

import static io.brook.verticles.BrokerHarness.NODE_ID;
import static io.brook.verticles.ProtocolCalls.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.message.CreateTopicRequest;
import io.brook.protocol.message.DeleteTopicRequest;
import io.brook.protocol.message.ProduceRequest;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Brokers start, stop and delete without leaving a client unanswered or two owners for one id. */
class BrokerLifecycleTest {
  @TempDir
  Path dataDir;

  @Test
  void deletingATopicUnderLoadAnswersEveryProducer() throws Exception {
    try (BrokerHarness broker = new BrokerHarness(dataDir)) {
      broker.calls.createTopic("busy", 1, Map.of());
      DeliveryOptions slowTimeout = new DeliveryOptions().setSendTimeout(60_000);
      List<Future<Object>> produced = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        produced.add(broker.vertx.eventBus().request(Addresses.produce(NODE_ID),
            new ProduceRequest("busy", 0, (short) 1, 30_000, batch("r" + i)), slowTimeout).map(m -> m.body()));
      }
      broker.calls.request(Addresses.DELETE_TOPIC, new DeleteTopicRequest("busy"));
      long startNs = System.nanoTime();
      Future.join(new ArrayList<>(produced)).toCompletionStage().toCompletableFuture()
          .handle((ok, failed) -> null).get(20, TimeUnit.SECONDS);
      assertThat(Duration.ofNanos(System.nanoTime() - startNs)).as("no producer waits for its timeout").isLessThan(Duration.ofSeconds(20));
      for (Future<Object> answer : produced) {
        if (answer.failed()) {
          assertThat(BrookErrors.errorOf(answer.cause()))
              .isIn(Errors.NOT_LEADER_OR_FOLLOWER, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        }
      }
    }
  }

  @Test
  void aSecondBrokerWithTheSameNodeIdIsRefused() {
    try (BrokerHarness broker = new BrokerHarness(dataDir.resolve("first"))) {
      JsonObject sameId = new JsonObject().put("node.id", NODE_ID).put("data.dir", dataDir.resolve("second").toString());
      assertThatThrownBy(() -> broker.vertx.deployVerticle(new BrokerVerticle(), new DeploymentOptions().setConfig(sameId)).await())
          .hasMessageContaining("Another broker with node.id 1");
    }
  }

  @Test
  void configValuesMustBePresent() {
    try (BrokerHarness broker = new BrokerHarness(dataDir)) {
      Map<String, String> configs = new HashMap<>();
      configs.put("retention.ms", null);
      assertThat(broker.calls.errorOf(Addresses.CREATE_TOPIC, new CreateTopicRequest("n", 1, (short) 1, configs)))
          .isEqualTo(Errors.INVALID_CONFIG);
    }
  }

  @Test
  void jsonFetchAnswersAreCapped() {
    try (BrokerHarness broker = new BrokerHarness(dataDir)) {
      broker.calls.createTopic("big", 1, Map.of());
      String value = "v".repeat(100_000);
      for (int i = 0; i < 30; i++) {
        broker.calls.produce("big", 0, value);
      }
      JsonObject fetched = broker.calls.request(Addresses.fetch(NODE_ID), new JsonObject().put("topic", "big")
          .put("partition", 0).put("fetchOffset", 0).put("maxBytes", 64 << 20).put("maxWaitMs", 0));
      int records = fetched.getJsonArray("messages").size();
      assertThat(records).isBetween(1, 11); // ~1 MiB of 100 kB records, not all 30
    }
  }
}
