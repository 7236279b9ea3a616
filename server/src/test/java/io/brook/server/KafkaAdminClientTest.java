package io.brook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka's own Java Admin client against three brokers' Kafka listeners, bootstrapped from one of them:
 * what ApiVersions and Metadata give it (the cluster's nodes and controller, topics and partitions).
 */
@Tag("integration")
class KafkaAdminClientTest {
  @TempDir
  Path root;

  @Test
  void kafkasAdminSeesTheClusterAndItsTopicsThroughAnyNode() throws Exception {
    try (ProcessCluster cluster = new ProcessCluster(root, ProcessCluster.Mode.HAZELCAST, Map.of("kafka.port", 0))) {
      cluster.startAll(1, 2, 3);
      try (Admin admin = Admin.create(Map.of(
          AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + cluster.kafkaPort(2),
          AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
          AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000))) {
        admin.createTopics(List.of(new NewTopic("orders", 3, (short) 3).configs(Map.of("retention.ms", "3600000"))))
            .all().get(60, TimeUnit.SECONDS);
        assertThat(cluster.metadata("orders").topics().get(0).partitions()).hasSize(3);
        assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("orders", 1, (short) 1))).all()
            .get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(TopicExistsException.class);
        assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("checked", 1, (short) 1)),
            new CreateTopicsOptions().validateOnly(true)).all().get(60, TimeUnit.SECONDS))
            .hasCauseInstanceOf(InvalidRequestException.class).hasMessageContaining("validate-only");
        DescribeClusterResult described = admin.describeCluster();
        Collection<Node> nodes = described.nodes().get(60, TimeUnit.SECONDS);
        assertThat(nodes).extracting(node -> node.id() + "@" + node.host() + ":" + node.port()).containsExactlyInAnyOrder(
            "1@127.0.0.1:" + cluster.kafkaPort(1), "2@127.0.0.1:" + cluster.kafkaPort(2), "3@127.0.0.1:" + cluster.kafkaPort(3));
        assertThat(described.controller().get(60, TimeUnit.SECONDS).id())
            .isEqualTo(cluster.metadata().controllerId());
        String clusterId = described.clusterId().get(60, TimeUnit.SECONDS);
        assertThat(clusterId).as("the cluster id of meta.properties").isNotBlank()
            .isEqualTo(java.nio.file.Files.readAllLines(root.resolve("node-1").resolve("meta.properties")).stream()
                .filter(line -> line.startsWith("cluster.id=")).findFirst().orElseThrow().substring("cluster.id=".length()));

        assertThat(admin.listTopics().names().get(60, TimeUnit.SECONDS)).contains("orders")
            .noneMatch(name -> name.startsWith("__"));
        TopicDescription orders = admin.describeTopics(List.of("orders")).allTopicNames().get(60, TimeUnit.SECONDS)
            .get("orders");
        assertThat(orders.partitions()).hasSize(3).allSatisfy(partition -> {
          assertThat(partition.replicas()).hasSize(3);
          assertThat(partition.leader()).isNotNull();
          assertThat(partition.replicas()).contains(partition.leader());
        });
        assertThat(orders.topicId().toString()).isEqualTo(cluster.metadata("orders").topics().get(0).topicId());

        // configs: the override and its source, a default, a change, a refusal with the broker's message
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "orders");
        Config config = admin.describeConfigs(List.of(resource)).all().get(60, TimeUnit.SECONDS).get(resource);
        assertThat(config.get("retention.ms").value()).isEqualTo("3600000");
        assertThat(config.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(config.get("cleanup.policy").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        admin.incrementalAlterConfigs(Map.of(resource, List.of(
            new AlterConfigOp(new ConfigEntry("retention.ms", "7200000"), AlterConfigOp.OpType.SET))))
            .all().get(60, TimeUnit.SECONDS);
        assertThat(cluster.<io.brook.protocol.message.TopicDescription>request(io.brook.protocol.Addresses.DESCRIBE_TOPIC,
            new io.brook.protocol.message.DescribeTopicRequest("orders"), 10_000).configOverrides())
            .containsEntry("retention.ms", "7200000");
        assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(resource, List.of(
            new AlterConfigOp(new ConfigEntry("retention.ms", "soon"), AlterConfigOp.OpType.SET))))
            .all().get(60, TimeUnit.SECONDS)).hasMessageContaining("retention.ms");

        // partitions: more of them, records deleted below an offset, a preferred election
        admin.createPartitions(Map.of("orders", org.apache.kafka.clients.admin.NewPartitions.increaseTo(4)))
            .all().get(60, TimeUnit.SECONDS);
        assertThat(cluster.metadata("orders").topics().get(0).partitions()).hasSize(4);
        org.apache.kafka.common.TopicPartition first = new org.apache.kafka.common.TopicPartition("orders", 0);
        cluster.request(io.brook.protocol.Addresses.produce(cluster.partition("orders", 0).leader()),
            new io.brook.protocol.message.ProduceRequest("orders", 0, io.brook.protocol.message.ProduceRequest.ACKS_ALL,
                5_000, io.brook.verticles.ProtocolCalls.batch("a", "b", "c", "d", "e", "f")), 10_000);
        assertThat(admin.deleteRecords(Map.of(first, org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(4)))
            .lowWatermarks().get(first).get(60, TimeUnit.SECONDS).lowWatermark()).isEqualTo(4);
        Map<org.apache.kafka.common.TopicPartition, java.util.Optional<Throwable>> elected = admin.electLeaders(
            org.apache.kafka.common.ElectionType.PREFERRED, java.util.Set.of(first)).partitions().get(60, TimeUnit.SECONDS);
        assertThat(elected).containsOnlyKeys(first);
        assertThat(elected.get(first)).as("elected, or its preferred replica leads already")
            .satisfiesAnyOf(e -> assertThat(e).isEmpty(),
                e -> assertThat(e.get()).isInstanceOf(org.apache.kafka.common.errors.ElectionNotNeededException.class));

        admin.deleteTopics(List.of("orders")).all().get(60, TimeUnit.SECONDS);
        assertThat(admin.listTopics().names().get(60, TimeUnit.SECONDS)).doesNotContain("orders");
      }
    }
  }

  @Test
  void kafkaClientsAreAnonymousAndTheAclsApplyToThem() throws Exception {
    try (ProcessCluster cluster = new ProcessCluster(root, ProcessCluster.Mode.HAZELCAST, Map.of("kafka.port", 0,
        "authorizer.enabled", true, "security.allow.anonymous", true))) {
      cluster.startAll(1);
      cluster.createTopic("secret", 1, 1, Map.of());
      String bootstrap = "127.0.0.1:" + cluster.kafkaPort(1);
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
          AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000))) {
        assertThat(admin.listTopics().names().get(60, TimeUnit.SECONDS)).doesNotContain("secret");
      }
      try (org.apache.kafka.clients.producer.KafkaProducer<String, String> producer =
               new org.apache.kafka.clients.producer.KafkaProducer<>(Map.of(
                   org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                   org.apache.kafka.clients.producer.ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                   org.apache.kafka.clients.producer.ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000,
                   org.apache.kafka.clients.producer.ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                   org.apache.kafka.common.serialization.StringSerializer.class,
                   org.apache.kafka.clients.producer.ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                   org.apache.kafka.common.serialization.StringSerializer.class))) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> producer.send(
                new org.apache.kafka.clients.producer.ProducerRecord<>("secret", "k", "v")).get(60, TimeUnit.SECONDS))
            .hasCauseInstanceOf(org.apache.kafka.common.errors.TopicAuthorizationException.class);
      }
    }
  }
}
