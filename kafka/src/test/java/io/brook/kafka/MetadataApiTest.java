package io.brook.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.protocol.Addresses;
import io.brook.protocol.codec.BrookCodecs;
import io.brook.protocol.message.BrokerInfo;
import io.brook.protocol.message.MetadataResponse;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.TopicMetadata;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.MetadataRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kafka's Metadata from Brook's metadata answer: what a Kafka client learns about brokers and partitions. */
class MetadataApiTest {
  private static final String TOPIC_ID = Uuid.randomUuid().toString();

  private Vertx vertx;
  private final List<io.brook.protocol.message.MetadataRequest> asked = new ArrayList<>();
  private final List<String> askedAs = new ArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    BrookCodecs.register(vertx.eventBus());
    // what broker 1's metadata API answers: broker 3 has no Kafka listener
    vertx.eventBus().<io.brook.protocol.message.MetadataRequest>consumer(Addresses.metadata(1), message -> {
      asked.add(message.body());
      askedAs.add(message.headers().get(Addresses.PRINCIPAL_HEADER) + "@" + message.headers().get(Addresses.CLIENT_HOST_HEADER));
      if (!message.body().topicIds().isEmpty()) { // by id: "orders" is TOPIC_ID, any other id is unknown
        message.reply(new MetadataResponse(2, List.of(), message.body().topicIds().stream().map(id -> id.equals(TOPIC_ID)
            ? new TopicMetadata("orders", null, (short) 3, List.of(), TOPIC_ID)
            : new TopicMetadata(null, "UNKNOWN_TOPIC_ID", (short) -1, List.of(), id)).toList()));
        return;
      }
      message.reply(new MetadataResponse(2, List.of(
          new BrokerInfo(1, "10.0.0.1", 8080, -1, "n1", "kafka-1", 9092),
          new BrokerInfo(2, "10.0.0.2", 8081, -1, "n2", "kafka-2", 9093),
          new BrokerInfo(3, "10.0.0.3", 8082, -1, "n3")),
          List.of(new TopicMetadata("orders", null, (short) 3, List.of(
                  new PartitionMetadata(0, 2, 5, List.of(2, 1, 3), List.of(2, 1), List.of(3)),
                  new PartitionMetadata(1, -1, 4, List.of(1, 2, 3), List.of())), TOPIC_ID),
              new TopicMetadata("missing", "UNKNOWN_TOPIC_OR_PARTITION", (short) -1, List.of()))));
    });
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private MetadataResponseData ask(MetadataRequestData request, short version) {
    MetadataApi api = new MetadataApi(vertx, 1);
    MetadataRequest body = new MetadataRequest(request, version);
    return ((org.apache.kafka.common.requests.MetadataResponse) api.handle(TestRequests.of(body)).await()).data();
  }

  @Test
  void brokersWithAKafkaListenerAndTheTopicsAskedFor() {
    MetadataResponseData data = ask(new MetadataRequestData().setTopics(List.of(
        new MetadataRequestData.MetadataRequestTopic().setName("orders"),
        new MetadataRequestData.MetadataRequestTopic().setName("missing"))), (short) 12);
    assertThat(asked).singleElement().extracting(io.brook.protocol.message.MetadataRequest::topics)
        .isEqualTo(List.of("orders", "missing"));
    // asked as the client, so that the ACLs apply (no principal would pass as a cluster member)
    assertThat(askedAs).containsExactly("User:ANONYMOUS@127.0.0.1");
    assertThat(data.controllerId()).isEqualTo(2);
    assertThat(data.brokers()).extracting(b -> b.nodeId() + "@" + b.host() + ":" + b.port())
        .containsExactlyInAnyOrder("1@kafka-1:9092", "2@kafka-2:9093");
    MetadataResponseData.MetadataResponseTopic orders = data.topics().find("orders");
    assertThat(orders.errorCode()).isEqualTo(Errors.NONE.code());
    assertThat(orders.topicId()).isEqualTo(Uuid.fromString(TOPIC_ID));
    MetadataResponseData.MetadataResponsePartition p0 = orders.partitions().get(0);
    assertThat(p0.leaderId()).isEqualTo(2);
    assertThat(p0.leaderEpoch()).isEqualTo(5);
    assertThat(p0.replicaNodes()).containsExactly(2, 1, 3);
    assertThat(p0.isrNodes()).containsExactly(2, 1);
    assertThat(p0.offlineReplicas()).containsExactly(3);
    assertThat(orders.partitions().get(1).errorCode()).isEqualTo(Errors.LEADER_NOT_AVAILABLE.code());
    assertThat(data.topics().find("missing").errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
  }

  @Test
  void allTopicsAndNoTopics() {
    assertThat(ask(new MetadataRequestData().setTopics(null), (short) 12).topics()).hasSize(2);
    MetadataResponseData none = ask(new MetadataRequestData().setTopics(List.of()), (short) 12);
    assertThat(none.topics()).isEmpty();
    assertThat(none.brokers()).hasSize(2);
  }

  @Test
  void topicsAskedForByIdAreAskedOfBrookByIdAndAnUnknownOneKeepsItsId() {
    Uuid unknown = Uuid.randomUuid();
    MetadataResponseData data = ask(new MetadataRequestData().setTopics(List.of(
        new MetadataRequestData.MetadataRequestTopic().setTopicId(Uuid.fromString(TOPIC_ID)).setName(null),
        new MetadataRequestData.MetadataRequestTopic().setTopicId(unknown))), (short) 12); // name "", as Kafka's Admin sends
    assertThat(asked).singleElement().satisfies(request -> {
      assertThat(request.topics()).isEmpty();
      assertThat(request.topicIds()).containsExactly(TOPIC_ID, unknown.toString());
    });
    assertThat(data.topics()).hasSize(2);
    assertThat(data.topics()).filteredOn(t -> t.topicId().equals(Uuid.fromString(TOPIC_ID))).singleElement()
        .satisfies(t -> {
          assertThat(t.name()).isEqualTo("orders");
          assertThat(t.errorCode()).isEqualTo(Errors.NONE.code());
        });
    assertThat(data.topics()).filteredOn(t -> t.topicId().equals(unknown)).singleElement().satisfies(t -> {
      assertThat(t.name()).isNull();
      assertThat(t.errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
    });
  }

  @Test
  void autoCreationIsAskedForOnlyWhenTheClientAllowsIt() {
    MetadataRequestData.MetadataRequestTopic orders = new MetadataRequestData.MetadataRequestTopic().setName("orders");
    ask(new MetadataRequestData().setTopics(List.of(orders)).setAllowAutoTopicCreation(true), (short) 12);
    ask(new MetadataRequestData().setTopics(List.of(orders.duplicate())).setAllowAutoTopicCreation(false), (short) 12);
    // every topic: nothing to create, whatever the flag says
    ask(new MetadataRequestData().setTopics(null).setAllowAutoTopicCreation(true), (short) 12);
    assertThat(asked).extracting(io.brook.protocol.message.MetadataRequest::allowAutoCreate)
        .containsExactly(true, false, false);
  }
}
