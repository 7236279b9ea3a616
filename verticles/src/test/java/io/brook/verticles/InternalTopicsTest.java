package io.brook.verticles;

import static io.brook.verticles.BrokerHarness.NODE_ID;
import static io.brook.verticles.ProtocolCalls.batch;
import static io.brook.verticles.ProtocolCalls.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.protocol.Addresses;
import io.brook.protocol.message.AlterConfigsRequest;
import io.brook.protocol.message.CreatePartitionsRequest;
import io.brook.protocol.message.CreateTopicRequest;
import io.brook.protocol.message.DeleteTopicRequest;
import io.brook.protocol.message.DescribeTopicRequest;
import io.brook.protocol.message.ElectLeadersRequest;
import io.brook.protocol.message.FetchRequest;
import io.brook.protocol.message.ListOffsetsRequest;
import io.brook.protocol.message.ListTopicsRequest;
import io.brook.protocol.message.ListTopicsResponse;
import io.brook.protocol.message.MetadataRequest;
import io.brook.protocol.message.MetadataResponse;
import io.brook.protocol.message.ProduceRequest;
import io.brook.protocol.message.QuorumDescription;
import io.brook.protocol.message.ReassignPartitionRequest;
import io.brook.protocol.message.TopicListing;
import io.brook.verticles.quorum.QuorumRequests;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster metadata log and every other internal topic are out of clients' reach on every client
 * address, and a record that is in the metadata log but cannot be read or applied (a forged topic, a
 * name that would escape the data directory, JSON that does not parse) is quarantined: the broker
 * keeps serving and starts again.
 */
class InternalTopicsTest {
  private static final String METADATA = "__cluster_metadata";
  @TempDir
  Path root;
  Path dataDir;
  BrokerHarness broker;

  @BeforeEach
  void start() throws Exception {
    dataDir = Files.createDirectories(root.resolve("data"));
    broker = new BrokerHarness(dataDir);
    broker.calls.createTopic("t", 1, Map.of());
    broker.calls.produce("t", 0, "acked-0", "acked-1");
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  /** The reproducer: forged CreateTopic and Partition records produced to the metadata log, as a bridge client sends them. */
  @Test
  void noClientAddressReachesAnInternalTopic() {
    JsonArray forged = new JsonArray()
        .add(new JsonObject().put("key", "CreateTopic").put("value", new JsonObject().put("v", 0).put("name", "forged")
            .put("topicId", "AAAAAAAAAAAAAAAAAAAAAQ").put("replicationFactor", 1).put("configs", new JsonObject()).encode()))
        .add(new JsonObject().put("key", "Partition").put("value", "{not json"));
    JsonObject bridgeProduce = new JsonObject().put("topic", METADATA).put("partition", 0).put("acks", 1)
        .put("messages", forged);
    assertThat(broker.calls.errorOf(Addresses.produce(NODE_ID), bridgeProduce)).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
    assertThat(broker.calls.errorOf(Addresses.produce(NODE_ID),
        new ProduceRequest(METADATA, 0, (short) -1, 5000, batch("x")))).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
    assertThat(broker.calls.errorOf(Addresses.fetch(NODE_ID), FetchRequest.consumer(METADATA, 0, 0, 1 << 20, 1, 0)))
        .isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
    assertThat(broker.calls.errorOf(Addresses.listOffsets(NODE_ID), new ListOffsetsRequest(METADATA, 0, -2)))
        .isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
    assertThat(broker.calls.errorOf(Addresses.deleteRecords(NODE_ID), new io.brook.protocol.message.DeleteRecordsRequest(
        METADATA, List.of(new io.brook.protocol.message.DeleteRecordsRequest.PartitionOffset(0, -1)), 1000)))
        .isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
    for (Object admin : List.of(new CreateTopicRequest("__consumer_offsets", 1, (short) 1, Map.of()),
        new CreateTopicRequest("__anything", 1, (short) 1, Map.of()), new DescribeTopicRequest(METADATA),
        new DeleteTopicRequest(METADATA), new AlterConfigsRequest(METADATA, Map.of("retention.ms", "1"), List.of()),
        new CreatePartitionsRequest(METADATA, 2), new ReassignPartitionRequest(METADATA, 0, List.of(1)),
        new ElectLeadersRequest(true, List.of(METADATA + ":0")))) {
      String address = switch (admin.getClass().getSimpleName()) {
        case "CreateTopicRequest" -> Addresses.CREATE_TOPIC;
        case "DescribeTopicRequest" -> Addresses.DESCRIBE_TOPIC;
        case "DeleteTopicRequest" -> Addresses.DELETE_TOPIC;
        case "AlterConfigsRequest" -> Addresses.ALTER_CONFIGS;
        case "CreatePartitionsRequest" -> Addresses.CREATE_PARTITIONS;
        case "ReassignPartitionRequest" -> Addresses.REASSIGN_PARTITION;
        default -> Addresses.ELECT_LEADERS;
      };
      assertThat(broker.calls.errorOf(address, admin)).as("%s", admin).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
    }
    MetadataResponse asked = broker.calls.request(Addresses.METADATA, new MetadataRequest(List.of(METADATA)));
    assertThat(asked.topics().get(0).error()).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.name());
    assertThat(asked.topics().get(0).partitions()).isEmpty();
    assertThat(topicNames()).containsExactly("t");
    assertThat(values(broker.calls.fetch("t", 0, 0), 0)).containsExactly("0:acked-0", "1:acked-1");
  }

  /**
   * Records that only a bug or a damaged disk could put in the committed metadata log, injected
   * through the quorum's local append: each is reported and passed over, nothing is made of it, and
   * the broker serves on and starts again from the same log.
   */
  @Test
  void anUnreadableOrInvalidCommittedMetadataRecordIsQuarantined() {
    String escaping = "../bf-escaped";
    MemoryRecords bad = MemoryRecords.withRecords(Compression.NONE,
        record("CreateTopic", new JsonObject().put("v", 0).put("name", escaping).put("topicId", "AAAAAAAAAAAAAAAAAAAAAQ")
            .put("replicationFactor", 1).put("configs", new JsonObject()).encode()),
        record("Partition", new JsonObject().put("v", 0).put("topic", escaping).put("partition", 0)
            .put("replicas", new JsonArray().add(NODE_ID)).put("isr", new JsonArray().add(NODE_ID)).put("leader", NODE_ID)
            .put("leaderEpoch", 0).put("partitionEpoch", 0).encode()),
        record("Partition", "{not json"),
        record("NoSuchRecordType", "{}"));
    QuorumDescription quorum = broker.vertx.eventBus().<QuorumDescription>request(Addresses.LOCAL_QUORUM_DESCRIBE,
        new QuorumRequests.Describe(), new DeliveryOptions().setLocalOnly(true)).await().body();
    broker.vertx.eventBus().request(Addresses.LOCAL_QUORUM_APPEND, new QuorumRequests.Append(bad, quorum.epoch()),
        new DeliveryOptions().setLocalOnly(true)).await();

    broker.calls.createTopic("after", 1, Map.of()); // the controller and the image go on past the bad records
    assertThat(broker.calls.produce("after", 0, "a").baseOffset()).isZero();
    assertThat(topicNames()).containsExactlyInAnyOrder("t", "after");
    assertThat(root.resolve("bf-escaped-0")).doesNotExist();
    assertThat(dataDir.resolve("bf-escaped-0")).doesNotExist();

    broker.restart();
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> broker.calls.produce("t", 0, "after-restart").baseOffset() == 2);
    assertThat(topicNames()).containsExactlyInAnyOrder("t", "after");
    assertThat(values(broker.calls.fetch("after", 0, 0), 0)).containsExactly("0:a");
    assertThat(root.resolve("bf-escaped-0")).doesNotExist();
  }

  private List<String> topicNames() {
    ListTopicsResponse list = broker.calls.request(Addresses.LIST_TOPICS, new ListTopicsRequest(true));
    MetadataResponse all = broker.calls.request(Addresses.METADATA, new MetadataRequest(List.of()));
    assertThat(all.topics()).allSatisfy(t -> assertThat(t.name()).doesNotStartWith("__"));
    return list.topics().stream().map(TopicListing::name).toList();
  }

  private static SimpleRecord record(String key, String value) {
    return new SimpleRecord(System.currentTimeMillis(), key.getBytes(StandardCharsets.UTF_8),
        value.getBytes(StandardCharsets.UTF_8));
  }
}
