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
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
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
