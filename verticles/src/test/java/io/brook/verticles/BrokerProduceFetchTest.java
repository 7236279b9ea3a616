package io.brook.verticles;

import static io.brook.verticles.BrokerHarness.NODE_ID;
import static io.brook.verticles.ProtocolCalls.batch;
import static io.brook.verticles.ProtocolCalls.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.protocol.Addresses;
import io.brook.protocol.message.AlterConfigsRequest;
import io.brook.protocol.message.AlterConfigsResponse;
import io.brook.protocol.message.DeleteTopicRequest;
import io.brook.protocol.message.DescribeTopicRequest;
import io.brook.protocol.message.FetchRequest;
import io.brook.protocol.message.FetchResponse;
import io.brook.protocol.message.ListOffsetsRequest;
import io.brook.protocol.message.ListOffsetsResponse;
import io.brook.protocol.message.ListTopicsRequest;
import io.brook.protocol.message.ListTopicsResponse;
import io.brook.protocol.message.MetadataRequest;
import io.brook.protocol.message.MetadataResponse;
import io.brook.protocol.message.ProduceRequest;
import io.brook.protocol.message.ProduceResponse;
import io.brook.protocol.message.TopicDescription;
import io.brook.protocol.message.TopicMetadata;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A single broker on real files answers produce, fetch, list-offsets and topic admin as specified. */
class BrokerProduceFetchTest {
  @TempDir
  Path dataDir;
  BrokerHarness broker;

  @BeforeEach
  void start() {
    broker = new BrokerHarness(dataDir);
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  @Test
  void producedRecordsFetchBackInOrderWithContiguousOffsets() {
    TopicMetadata created = broker.calls.createTopic("orders", 3, Map.of());
    assertThat(created.partitions()).hasSize(3).allSatisfy(p -> assertThat(p.leader()).isEqualTo(NODE_ID));

    assertThat(broker.calls.produce("orders", 1, "a", "b", "c").baseOffset()).isZero();
    assertThat(broker.calls.produce("orders", 1, "d").baseOffset()).isEqualTo(3);
    ProduceResponse compressed = broker.calls.request(Addresses.produce(NODE_ID),
        new ProduceRequest("orders", 1, (short) -1, 30_000, batch(Compression.zstd().build(), "e", "f")));
    assertThat(compressed.baseOffset()).isEqualTo(4);

    FetchResponse all = broker.calls.fetch("orders", 1, 0);
    assertThat(values(all, 0)).containsExactly("0:a", "1:b", "2:c", "3:d", "4:e", "5:f");
    assertThat(all.highWatermark()).isEqualTo(6);
    assertThat(all.logEndOffset()).isEqualTo(6);
    // a fetch in the middle of a batch gets the whole batch; the client skips what it did not ask for
    assertThat(values(broker.calls.fetch("orders", 1, 1), 1)).startsWith("1:b", "2:c");
    assertThat(broker.calls.fetch("orders", 1, 6).sizeInBytes()).isZero();
    assertThat(broker.calls.fetch("orders", 0, 0).sizeInBytes()).isZero();
  }

  /** A caller on the node that sends file regions gets the segment's slice: the same batches, not copied. */
  @Test
  void aFetchAskingForFileRecordsGetsTheSegmentSliceNowAndAfterALongPoll() {
    broker.calls.createTopic("files", 1, Map.of());
    broker.calls.produce("files", 0, "a", "b");
    broker.calls.produce("files", 0, "c");
    io.vertx.core.eventbus.DeliveryOptions slice = new io.vertx.core.eventbus.DeliveryOptions()
        .addHeader(Addresses.FILE_RECORDS_HEADER, "");

    FetchResponse copied = broker.calls.fetch("files", 0, 0);
    FetchResponse fromFile = broker.vertx.eventBus().<FetchResponse>request(Addresses.fetch(NODE_ID),
        FetchRequest.consumer("files", 0, 0, 1 << 20, 1, 0), slice).await().body();
    assertThat(copied.file()).isNull();
    assertThat(fromFile.file()).isNotNull();
    assertThat(fromFile.file().recordCount()).isEqualTo(3);
    assertThat(fromFile.sizeInBytes()).isEqualTo(copied.sizeInBytes()).isPositive();
    assertThat(fromFile.records()).isEqualTo(copied.records());
    assertThat(values(fromFile, 0)).containsExactly("0:a", "1:b", "2:c");
    assertThat(fromFile.highWatermark()).isEqualTo(3);

    Future<Message<FetchResponse>> waiting = broker.vertx.eventBus().request(Addresses.fetch(NODE_ID),
        FetchRequest.consumer("files", 0, 3, 1 << 20, 1, 20_000), slice);
    broker.calls.produce("files", 0, "d");
    FetchResponse late = waiting.await().body();
    assertThat(late.file()).isNotNull();
    assertThat(values(late, 3)).containsExactly("3:d");
  }

  @Test
  void longPollAnswersAsSoonAsDataArrives() {
    broker.calls.createTopic("t", 1, Map.of());
    long startNs = System.nanoTime();
    Future<Message<FetchResponse>> waiting = broker.vertx.eventBus()
        .request(Addresses.fetch(NODE_ID), FetchRequest.consumer("t", 0, 0, 1 << 20, 1, 20_000));
    broker.calls.produce("t", 0, "late");
    FetchResponse response = waiting.await().body();
    assertThat(values(response, 0)).containsExactly("0:late");
    assertThat(Duration.ofNanos(System.nanoTime() - startNs)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void longPollAnswersEmptyWhenMaxWaitPasses() {
    broker.calls.createTopic("t", 1, Map.of());
    FetchResponse response = broker.calls.request(Addresses.fetch(NODE_ID), FetchRequest.consumer("t", 0, 0, 1 << 20, 1, 200));
    assertThat(response.sizeInBytes()).isZero();
    assertThat(response.highWatermark()).isZero();
  }

  @Test
  void minBytesWaitsForEnoughDataOrTheDeadline() {
    broker.calls.createTopic("t", 1, Map.of());
    Future<Message<FetchResponse>> waiting = broker.vertx.eventBus()
        .request(Addresses.fetch(NODE_ID), FetchRequest.consumer("t", 0, 0, 1 << 20, 100_000, 1_000));
    broker.calls.produce("t", 0, "small");
    FetchResponse response = waiting.await().body();
    assertThat(values(response, 0)).containsExactly("0:small");
  }

  @Test
  void listOffsetsByEarliestLatestAndTime() {
    broker.calls.createTopic("t", 1, Map.of());
    long before = System.currentTimeMillis();
    broker.calls.produce("t", 0, "a", "b");
    ListOffsetsResponse earliest = broker.calls.request(Addresses.listOffsets(NODE_ID), new ListOffsetsRequest("t", 0, ListOffsetsRequest.EARLIEST));
    ListOffsetsResponse latest = broker.calls.request(Addresses.listOffsets(NODE_ID), new ListOffsetsRequest("t", 0, ListOffsetsRequest.LATEST));
    ListOffsetsResponse byTime = broker.calls.request(Addresses.listOffsets(NODE_ID), new ListOffsetsRequest("t", 0, before - 1000));
    ListOffsetsResponse future = broker.calls.request(Addresses.listOffsets(NODE_ID), new ListOffsetsRequest("t", 0, before + 3_600_000));
    assertThat(earliest.offset()).isZero();
    assertThat(latest.offset()).isEqualTo(2);
    assertThat(byTime.offset()).isZero();
    assertThat(future.offset()).isEqualTo(-1);
  }

  @Test
  void topicsAndDataSurviveARestart() {
    broker.calls.createTopic("kept", 2, Map.of("retention.ms", "3600000"));
    broker.calls.produce("kept", 0, "x", "y");
    broker.restart();
    assertThat(values(broker.calls.fetch("kept", 0, 0), 0)).containsExactly("0:x", "1:y");
    assertThat(broker.calls.produce("kept", 0, "z").baseOffset()).isEqualTo(2);
    // every broker applies the committed metadata on its own: the metadata API may be a moment behind
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      TopicDescription description = broker.calls.request(Addresses.DESCRIBE_TOPIC, new DescribeTopicRequest("kept"));
      assertThat(description.configOverrides()).containsEntry("retention.ms", "3600000");
      assertThat(description.partitions()).hasSize(2);
      assertThat(description.partitions().get(0).logEndOffset()).isEqualTo(3);
      assertThat(description.partitions().get(0).sizeBytes()).isPositive();
    });
  }

  @Test
  void describeListAlterAndDelete() {
    broker.calls.createTopic("a", 1, Map.of());
    broker.calls.createTopic("b", 2, Map.of());
    ListTopicsResponse listed = broker.calls.request(Addresses.LIST_TOPICS, new ListTopicsRequest(false));
    assertThat(listed.topics()).extracting("name").containsExactly("a", "b");

    AlterConfigsResponse altered = broker.calls.request(Addresses.ALTER_CONFIGS,
        new AlterConfigsRequest("b", Map.of("retention.ms", "1000", "segment.bytes", "1048576"), List.of()));
    assertThat(altered.configOverrides()).containsEntry("retention.ms", "1000");
    altered = broker.calls.request(Addresses.ALTER_CONFIGS, new AlterConfigsRequest("b", Map.of(), List.of("retention.ms")));
    assertThat(altered.configOverrides()).containsOnlyKeys("segment.bytes");
    TopicDescription described = broker.calls.request(Addresses.DESCRIBE_TOPIC, new DescribeTopicRequest("b"));
    assertThat(described.configs()).containsEntry("segment.bytes", "1048576").containsEntry("retention.ms", "604800000");

    broker.calls.produce("b", 1, "gone");
    broker.calls.request(Addresses.DELETE_TOPIC, new DeleteTopicRequest("b"));
    assertThat(Files.exists(dataDir.resolve("b-1"))).isFalse();
    MetadataResponse metadata = broker.calls.request(Addresses.METADATA, new MetadataRequest(List.of("a", "b")));
    assertThat(metadata.topics().get(1).error()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.name());
    broker.calls.createTopic("b", 1, Map.of());
    assertThat(broker.calls.fetch("b", 0, 0).sizeInBytes()).isZero();
  }

  @Test
  void bridgeClientsSpeakJson() {
    broker.calls.createTopic("j", 1, Map.of());
    JsonObject produced = broker.calls.request(Addresses.produce(NODE_ID), new JsonObject().put("topic", "j").put("partition", 0)
        .put("messages", new JsonArray().add(new JsonObject().put("key", "k").put("value", "hello"))));
    assertThat(produced.getLong("baseOffset")).isZero();
    JsonObject fetched = broker.calls.request(Addresses.fetch(NODE_ID), new JsonObject().put("topic", "j").put("partition", 0)
        .put("fetchOffset", 0).put("maxWaitMs", 0));
    assertThat(fetched.getLong("highWatermark")).isEqualTo(1);
    assertThat(fetched.getJsonArray("messages").getJsonObject(0).getString("value")).isEqualTo("aGVsbG8="); // base64 "hello"
    JsonObject metadata = broker.calls.request(Addresses.METADATA, new JsonObject());
    assertThat(metadata.getJsonArray("topics").getJsonObject(0).getString("name")).isEqualTo("j");
  }

  @Test
  void acksZeroIsWrittenWithoutAnAnswer() {
    broker.calls.createTopic("fire", 1, Map.of());
    broker.vertx.eventBus().send(Addresses.produce(NODE_ID), new ProduceRequest("fire", 0, (short) 0, 1000, batch("f1", "f2")));
    await().atMost(Duration.ofSeconds(10)).until(() -> broker.calls.fetch("fire", 0, 0).highWatermark() == 2);
    assertThat(values(broker.calls.fetch("fire", 0, 0), 0)).containsExactly("0:f1", "1:f2");
  }
}
