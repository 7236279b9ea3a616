package io.brook.web;

import static io.brook.web.HttpApiBadInputTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.brook.protocol.Addresses;
import io.brook.protocol.message.FetchRequest;
import io.brook.protocol.message.FetchResponse;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idempotent produce over HTTP: {@code POST /api/producer-ids} hands out fresh ids; a body with
 * {@code producerId, producerEpoch, baseSequence} is checked (all three or none, ranges, one partition,
 * not acks=0) and its batch on disk carries them; the same body sent again is answered with the first
 * offsets and written once; a gap and a stale epoch are refused with 409 and their Kafka error.
 */
class HttpIdempotentProduceTest {
  @TempDir
  static Path dataDir;
  static BrookNode node;

  @BeforeAll
  static void start() {
    node = new BrookNode(dataDir);
    HttpResponse<String> created = node.post("/api/topics", "{\"name\":\"idem\",\"partitions\":3}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static JsonObject producerId() {
    HttpResponse<String> answer = node.post("/api/producer-ids", "");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return new JsonObject(answer.body());
  }

  private static String body(int partition, long producerId, int epoch, int baseSequence, String... values) {
    StringBuilder records = new StringBuilder();
    for (String value : values) {
      records.append(records.length() == 0 ? "" : ",").append("{\"value\":\"").append(value).append("\"}");
    }
    return "{\"partition\":" + partition + ",\"producerId\":" + producerId + ",\"producerEpoch\":" + epoch
        + ",\"baseSequence\":" + baseSequence + ",\"records\":[" + records + "]}";
  }

  /** Every batch of the partition, as the leader's log holds it. */
  private static List<RecordBatch> batches(int partition) {
    Message<FetchResponse> fetched = node.vertx.eventBus().<FetchResponse>request(Addresses.fetch(BrookNode.NODE_ID),
        FetchRequest.consumer("idem", partition, 0L, 1 << 20, 0, 0)).await();
    List<RecordBatch> batches = new ArrayList<>();
    MemoryRecords.readableRecords(fetched.body().records().duplicate()).batches().forEach(batches::add);
    return batches;
  }

  @Test
  void producerIdsAreNewEachTimeAtEpochZero() {
    JsonObject first = producerId();
    JsonObject second = producerId();
    assertThat(first.getLong("producerId")).isNotNegative();
    assertThat(first.getInteger("producerEpoch")).isZero();
    assertThat(second.getLong("producerId")).isNotEqualTo(first.getLong("producerId"));
  }

  @Test
  void theBatchCarriesTheProducerAndIsWrittenOnceWhenSentAgain() {
    long id = producerId().getLong("producerId");
    HttpResponse<String> first = node.post("/api/topics/idem/records", body(1, id, 0, 0, "a", "b", "c"));
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    HttpResponse<String> again = node.post("/api/topics/idem/records", body(1, id, 0, 0, "a", "b", "c"));
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(new JsonObject(again.body())).as("the first offsets").isEqualTo(new JsonObject(first.body()));
    HttpResponse<String> next = node.post("/api/topics/idem/records", body(1, id, 0, 3, "d"));
    assertThat(next.statusCode()).as(next.body()).isEqualTo(200);

    List<RecordBatch> batches = batches(1);
    assertThat(batches).hasSize(2);
    assertThat(batches.get(0).producerId()).isEqualTo(id);
    assertThat(batches.get(0).producerEpoch()).isZero();
    assertThat(batches.get(0).baseSequence()).isZero();
    assertThat(batches.get(0).lastSequence()).isEqualTo(2);
    assertThat(batches.get(0).countOrNull()).isEqualTo(3);
    assertThat(batches.get(1).baseSequence()).isEqualTo(3);
    assertThat(batches.get(1).baseOffset()).isEqualTo(3L);
    JsonObject read = node.getJson("/api/topics/idem/records?partition=1&offset=0");
    assertThat(read.getJsonArray("records").stream().map(r -> ((JsonObject) r).getString("value")))
        .containsExactly("a", "b", "c", "d");
  }

  @Test
  void aGapAndAStaleEpochAreRefusedWith409() {
    long id = producerId().getLong("producerId");
    assertThat(node.post("/api/topics/idem/records", body(2, id, 0, 0, "x")).statusCode()).isEqualTo(200);
    assertError(node.post("/api/topics/idem/records", body(2, id, 0, 5, "y")), 409, "OUT_OF_ORDER_SEQUENCE_NUMBER",
        "sequence 5");
    assertThat(node.post("/api/topics/idem/records", body(2, id, 1, 0, "z")).statusCode()).isEqualTo(200);
    assertError(node.post("/api/topics/idem/records", body(2, id, 0, 1, "w")), 409, "INVALID_PRODUCER_EPOCH",
        "epoch 0");
    JsonObject read = node.getJson("/api/topics/idem/records?partition=2&offset=0");
    assertThat(read.getJsonArray("records").stream().map(r -> ((JsonObject) r).getString("value")))
        .containsExactly("x", "z");
  }

  @Test
  void badProducerFieldsAre400WithTheReason() {
    String path = "/api/topics/idem/records";
    assertError(node.post(path, "{\"partition\":0,\"producerId\":7,\"records\":[{\"value\":\"v\"}]}"), 400,
        "INVALID_REQUEST", "all three or none");
    assertError(node.post(path, "{\"partition\":0,\"producerEpoch\":0,\"baseSequence\":0,\"records\":[{\"value\":\"v\"}]}"),
        400, "INVALID_REQUEST", "all three or none");
    assertError(node.post(path, body(0, -1, 0, 0, "v")), 400, "INVALID_REQUEST", "'producerId' must be between 0");
    assertError(node.post(path, body(0, 7, 32768, 0, "v")), 400, "INVALID_REQUEST",
        "'producerEpoch' must be between 0 and 32767");
    assertError(node.post(path, body(0, 7, 0, -1, "v")), 400, "INVALID_REQUEST", "'baseSequence' must be between 0");
    assertError(node.post(path, "{\"partition\":0,\"producerId\":\"7\",\"producerEpoch\":0,\"baseSequence\":0,"
        + "\"records\":[{\"value\":\"v\"}]}"), 400, "INVALID_REQUEST", "'producerId' (an integer)");
    assertError(node.post(path, "{\"producerId\":7,\"producerEpoch\":0,\"baseSequence\":0,\"records\":[{\"value\":\"v\"}]}"),
        400, "INVALID_REQUEST", "give 'partition'");
    assertError(node.post(path, "{\"partition\":0,\"producerId\":7,\"producerEpoch\":0,\"baseSequence\":0,"
        + "\"records\":[{\"value\":\"v\"},{\"value\":\"w\",\"partition\":1}]}"), 400, "INVALID_REQUEST",
        "records[1] names partition 1");
    assertError(node.post(path, "{\"partition\":0,\"acks\":0,\"producerId\":7,\"producerEpoch\":0,\"baseSequence\":0,"
        + "\"records\":[{\"value\":\"v\"}]}"), 400, "INVALID_REQUEST", "acks 1 or all");
    assertError(node.post(path, body(9, 7, 0, 0, "v")), 404, "UNKNOWN_TOPIC_OR_PARTITION", "no partition 9");
    assertThat(batches(0)).as("nothing written").isEmpty();
  }
}
