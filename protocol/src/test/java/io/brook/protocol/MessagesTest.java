package io.brook.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.protocol.codec.BrookCodecs;
import io.brook.protocol.message.CreateTopicRequest;
import io.brook.protocol.message.FetchResponse;
import io.brook.protocol.message.ProduceRequest;
import io.brook.protocol.message.TopicMetadata;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A handler gets records whether the body came as a record or as JSON, and replies in kind. */
class MessagesTest {
  static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    BrookCodecs.register(vertx.eventBus());
    vertx.eventBus().consumer("test.create", m -> {
      try {
        CreateTopicRequest request = Messages.body(m, CreateTopicRequest.class);
        Messages.reply(m, new TopicMetadata(request.name(), null, request.replicationFactor(), List.of()));
      } catch (RuntimeException e) {
        BrookErrors.fail(m, e);
      }
    }).completion().await();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  void recordInRecordOut() {
    Object reply = vertx.eventBus().request("test.create", new CreateTopicRequest("a", 1, (short) 1, null)).await().body();
    assertThat(reply).isEqualTo(new TopicMetadata("a", null, (short) 1, List.of()));
  }

  @Test
  void jsonInJsonOut() {
    Object reply = vertx.eventBus().request("test.create", new JsonObject().put("name", "b").put("partitions", 2)).await().body();
    assertThat(reply).isInstanceOf(JsonObject.class);
    assertThat(((JsonObject) reply).getString("name")).isEqualTo("b");
  }

  @Test
  void nestedJsonOfABridgedBodyIsRead() {
    JsonObject body = new JsonObject().put("name", "c").put("partitions", 1)
        .put("configs", new JsonObject().put("retention.ms", "1000"));
    CreateTopicRequest request = io.brook.protocol.codec.BrookJson.fromJson(body.copy(), CreateTopicRequest.class);
    assertThat(request.configs()).containsEntry("retention.ms", "1000");
    io.brook.protocol.message.MetadataRequest metadata = io.brook.protocol.codec.BrookJson.fromJson(
        new JsonObject().put("topics", new JsonArray().add("x")), io.brook.protocol.message.MetadataRequest.class);
    assertThat(metadata.topics()).containsExactly("x");
  }

  @Test
  void malformedBodiesAreInvalidRequests() {
    assertThatThrownBy(() -> vertx.eventBus().request("test.create", "not json").await())
        .hasMessageStartingWith("INVALID_REQUEST: expected a CreateTopicRequest");
    assertThatThrownBy(() -> vertx.eventBus().request("test.create", new JsonObject().put("partitions", "many")).await())
        .hasMessageStartingWith("INVALID_REQUEST: malformed CreateTopicRequest body");
  }

  @Test
  void produceJsonWithMessagesBuildsOneBatch() {
    JsonObject json = new JsonObject().put("topic", "t").put("partition", 0)
        .put("messages", new JsonArray().add(new JsonObject().put("key", "k1").put("value", "v1"))
            .add(new JsonObject().put("value", "v2").put("headers", new JsonObject().put("h", "x"))));
    ProduceRequest request = ProduceRequest.fromJson(json).validate();
    MemoryRecords records = request.memoryRecords();
    List<Record> all = new java.util.ArrayList<>();
    records.records().forEach(all::add);
    assertThat(all).hasSize(2);
    assertThat(all.get(1).hasKey()).isFalse();
    assertThat(all.get(1).headers()[0].key()).isEqualTo("h");

    JsonObject fetched = new FetchResponse(2, 0, 2, records.buffer()).toJson();
    assertThat(fetched.getJsonArray("messages")).hasSize(2);
    assertThat(FetchResponse.fromJson(fetched).records()).isEqualTo(records.buffer());
  }

  @Test
  void produceValidationNamesTheProblem() {
    assertThatThrownBy(() -> ProduceRequest.fromJson(new JsonObject().put("topic", "t").put("partition", 0)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("'records'");
    assertThatThrownBy(() -> new ProduceRequest("t", 0, (short) 2, 10, java.nio.ByteBuffer.allocate(1)).validate())
        .hasMessageContaining("acks must be 0, 1 or -1");
    assertThatThrownBy(() -> new ProduceRequest("t", -1, (short) 1, 10, java.nio.ByteBuffer.allocate(1)).validate())
        .hasMessageContaining("negative partition");
  }
}
