package io.brook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
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
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka's own Java Admin client against three brokers' Kafka listeners, bootstrapped from one of them:
 * what ApiVersions and Metadata give it (the cluster's nodes and controller, topics and partitions), and
 * the admin APIs it calls (topics with manual replica assignments among them).
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
        // a node is ready once it serves; the controller unfences it a moment later (a loaded CI run created
        // the topic in between and got INVALID_REPLICATION_FACTOR, as Kafka would answer): three live brokers first
        await().atMost(Duration.ofSeconds(60)).until(() -> admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size() == 3);
        admin.createTopics(List.of(new NewTopic("orders", 3, (short) 3).configs(Map.of("retention.ms", "3600000"))))
            .all().get(60, TimeUnit.SECONDS);
        assertThat(cluster.metadata("orders").topics().get(0).partitions()).hasSize(3);
        assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("orders", 1, (short) 1))).all()
            .get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(TopicExistsException.class);
        // validate-only: the answer a creation would get, and nothing created
        org.apache.kafka.clients.admin.CreateTopicsResult checked = admin.createTopics(List.of(
            new NewTopic("checked", 5, (short) 3).configs(Map.of("retention.ms", "1000"))),
            new CreateTopicsOptions().validateOnly(true));
        checked.all().get(60, TimeUnit.SECONDS);
        assertThat(checked.numPartitions("checked").get(60, TimeUnit.SECONDS)).isEqualTo(5);
        assertThat(checked.replicationFactor("checked").get(60, TimeUnit.SECONDS)).isEqualTo(3);
        Map<String, Class<? extends Throwable>> refused = Map.of(
            "orders", TopicExistsException.class,
            "four-replicas", org.apache.kafka.common.errors.InvalidReplicationFactorException.class,
            "bad-config", org.apache.kafka.common.errors.InvalidConfigurationException.class,
            "bad/name", org.apache.kafka.common.errors.InvalidTopicException.class);
        org.apache.kafka.clients.admin.CreateTopicsResult validated = admin.createTopics(List.of(
            new NewTopic("orders", 1, (short) 1), new NewTopic("four-replicas", 1, (short) 4),
            new NewTopic("bad-config", 1, (short) 1).configs(Map.of("retention.ms", "soon")),
            new NewTopic("bad/name", 1, (short) 1)), new CreateTopicsOptions().validateOnly(true));
        refused.forEach((name, error) -> assertThatThrownBy(() -> validated.values().get(name).get(60, TimeUnit.SECONDS))
            .as(name).hasCauseInstanceOf(error));
        assertThat(admin.listTopics().names().get(60, TimeUnit.SECONDS)).contains("orders")
            .doesNotContain("checked", "four-replicas", "bad-config");

        // auto-creation is off by default: a producer to a missing topic waits for it in vain, and none is created
        try (org.apache.kafka.clients.producer.KafkaProducer<String, String> producer = producer(cluster.kafkaPort(1))) {
          assertThatThrownBy(() -> producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("nowhere", "k", "v"))
              .get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class)
              .hasMessageContaining("not present in metadata");
        }
        assertThat(admin.listTopics().names().get(60, TimeUnit.SECONDS)).doesNotContain("nowhere");
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
        // by id (Metadata v12): the same topic, and an unknown id refused
        assertThat(admin.describeTopics(org.apache.kafka.common.TopicCollection.ofTopicIds(List.of(orders.topicId())))
            .allTopicIds().get(60, TimeUnit.SECONDS).get(orders.topicId()).name()).isEqualTo("orders");
        org.apache.kafka.common.Uuid unknownId = org.apache.kafka.common.Uuid.randomUuid();
        assertThatThrownBy(() -> admin.describeTopics(org.apache.kafka.common.TopicCollection.ofTopicIds(List.of(unknownId)))
            .allTopicIds().get(60, TimeUnit.SECONDS))
            .hasCauseInstanceOf(org.apache.kafka.common.errors.UnknownTopicIdException.class);

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

        // partitions, validate-only: checked, nothing added
        admin.createPartitions(Map.of("orders", org.apache.kafka.clients.admin.NewPartitions.increaseTo(6)),
            new org.apache.kafka.clients.admin.CreatePartitionsOptions().validateOnly(true)).all().get(60, TimeUnit.SECONDS);
        assertThatThrownBy(() -> admin.createPartitions(Map.of("orders",
                org.apache.kafka.clients.admin.NewPartitions.increaseTo(2)),
            new org.apache.kafka.clients.admin.CreatePartitionsOptions().validateOnly(true)).all().get(60, TimeUnit.SECONDS))
            .hasCauseInstanceOf(org.apache.kafka.common.errors.InvalidPartitionsException.class);
        assertThat(cluster.metadata("orders").topics().get(0).partitions()).hasSize(3);
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

        manualAssignments(admin);

        admin.deleteTopics(List.of("orders")).all().get(60, TimeUnit.SECONDS);
        // answered once the answering node's image has it; Admin lists through any node, maybe one a moment behind
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(admin.listTopics().names().get(60, TimeUnit.SECONDS)).doesNotContain("orders"));
        // by id
        org.apache.kafka.common.Uuid doomed = admin.createTopics(List.of(new NewTopic("doomed", 1, (short) 1)))
            .topicId("doomed").get(60, TimeUnit.SECONDS);
        admin.deleteTopics(org.apache.kafka.common.TopicCollection.ofTopicIds(List.of(doomed))).all()
            .get(60, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(admin.listTopics().names().get(60, TimeUnit.SECONDS)).doesNotContain("doomed"));
        assertThatThrownBy(() -> admin.deleteTopics(org.apache.kafka.common.TopicCollection.ofTopicIds(List.of(doomed)))
            .all().get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(org.apache.kafka.common.errors.UnknownTopicIdException.class);
      }
    }
  }

  /**
   * Manual replica assignments: a topic's and an added partition's replicas exactly as listed, in order, the first
   * leading; a broker that is not registered refused with INVALID_REPLICA_ASSIGNMENT, and nothing created.
   */
  private static void manualAssignments(Admin admin) throws Exception {
    admin.createTopics(List.of(new NewTopic("assigned", Map.of(0, List.of(3, 1), 1, List.of(2, 3)))))
        .all().get(60, TimeUnit.SECONDS);
    awaitReplicasAndLeaders(admin, List.of("0:[3, 1] led by 3", "1:[2, 3] led by 2"));
    admin.createPartitions(Map.of("assigned", NewPartitions.increaseTo(3, List.of(List.of(1, 2)))))
        .all().get(60, TimeUnit.SECONDS);
    awaitReplicasAndLeaders(admin, List.of("0:[3, 1] led by 3", "1:[2, 3] led by 2", "2:[1, 2] led by 1"));

    assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("to-nine", Map.of(0, List.of(9, 1))))).all()
        .get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(InvalidReplicaAssignmentException.class)
        .hasMessageContaining("broker 9");
    assertThatThrownBy(() -> admin.createPartitions(Map.of("assigned", NewPartitions.increaseTo(4,
        List.of(List.of(9, 1))))).all().get(60, TimeUnit.SECONDS))
        .hasCauseInstanceOf(InvalidReplicaAssignmentException.class).hasMessageContaining("broker 9");
    assertThat(admin.listTopics().names().get(60, TimeUnit.SECONDS)).contains("assigned").doesNotContain("to-nine");
    assertThat(admin.describeTopics(List.of("assigned")).allTopicNames().get(60, TimeUnit.SECONDS).get("assigned")
        .partitions()).hasSize(3);
  }

  /** Waits until every broker a describe may ask shows topic "assigned" as "partition:[replicas] led by leader". */
  private static void awaitReplicasAndLeaders(Admin admin, List<String> expected) {
    await().atMost(Duration.ofSeconds(30))
        .pollInterval(java.time.Duration.ofMillis(200)).untilAsserted(() -> assertThat(
            admin.describeTopics(List.of("assigned")).allTopicNames().get(60, TimeUnit.SECONDS).get("assigned")
                .partitions()).extracting(p -> p.partition() + ":" + p.replicas().stream().map(Node::id).toList()
                + " led by " + (p.leader() == null ? "none" : p.leader().id()))
            .containsExactlyElementsOf(expected));
  }

  private static org.apache.kafka.clients.producer.KafkaProducer<String, String> producer(int kafkaPort) {
    return new org.apache.kafka.clients.producer.KafkaProducer<>(Map.of(
        org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafkaPort,
        org.apache.kafka.clients.producer.ProducerConfig.ACKS_CONFIG, "all",
        org.apache.kafka.clients.producer.ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000,
        org.apache.kafka.clients.producer.ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
        org.apache.kafka.common.serialization.StringSerializer.class,
        org.apache.kafka.clients.producer.ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
        org.apache.kafka.common.serialization.StringSerializer.class));
  }

  /**
   * With auto.create.topics.enable: a producer creates its topic; then the log dirs, a reassignment and
   * the deletion of a group's offsets, each through Kafka's Admin.
   */
  @Test
  void autoCreationLogDirsReassignmentsAndOffsetDeletion() throws Exception {
    try (ProcessCluster cluster = new ProcessCluster(root, ProcessCluster.Mode.HAZELCAST, Map.of("kafka.port", 0,
        "auto.create.topics.enable", true))) {
      cluster.startAll(1, 2, 3);
      String bootstrap = "127.0.0.1:" + cluster.kafkaPort(3);
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
          AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000))) {
        admin.createTopics(List.of(new NewTopic("moving", 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
        TopicPartition moving = new TopicPartition("moving", 0);
        TopicPartition fresh = new TopicPartition("fresh", 0);
        assertThat(admin.listTopics().names().get(60, TimeUnit.SECONDS)).doesNotContain("fresh");
        try (org.apache.kafka.clients.producer.KafkaProducer<String, String> producer = producer(cluster.kafkaPort(3))) {
          for (int i = 0; i < 50; i++) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("moving", "k" + i, "v" + i));
          }
          // the topic does not exist: the producer's Metadata request creates it, with the defaults
          assertThat(producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("fresh", "k", "v"))
              .get(60, TimeUnit.SECONDS).offset()).isZero();
          producer.flush();
        }
        assertThat(admin.describeTopics(List.of("fresh")).allTopicNames().get(60, TimeUnit.SECONDS).get("fresh")
            .partitions()).hasSize(1);
        List<Integer> before = cluster.partition("moving", 0).replicas();
        cluster.awaitFullIsr("moving", 0, 1);

        // log dirs: each replica's broker has the partition, with its bytes; the leader's lag is 0
        Map<Integer, Map<String, org.apache.kafka.clients.admin.LogDirDescription>> dirs =
            admin.describeLogDirs(List.of(1, 2, 3)).allDescriptions().get(60, TimeUnit.SECONDS);
        assertThat(dirs).containsOnlyKeys(1, 2, 3);
        for (int broker : List.of(1, 2, 3)) {
          assertThat(dirs.get(broker)).hasSize(1);
          assertThat(dirs.get(broker).values()).singleElement().satisfies(dir -> {
            assertThat(dir.totalBytes().getAsLong()).isPositive();
            assertThat(dir.usableBytes().getAsLong()).isPositive().isLessThanOrEqualTo(dir.totalBytes().getAsLong());
            if (before.contains(broker)) {
              assertThat(dir.replicaInfos()).containsKey(moving);
              assertThat(dir.replicaInfos().get(moving).size()).as("bytes of 50 records on broker " + broker).isPositive();
            } else {
              assertThat(dir.replicaInfos()).doesNotContainKey(moving);
            }
          });
        }
        int leader = cluster.partition("moving", 0).leader();
        assertThat(dirs.get(leader).values().iterator().next().replicaInfos().get(moving).offsetLag()).isZero();
        assertThat(dirs.values().stream().flatMap(d -> d.values().stream()).flatMap(d -> d.replicaInfos().keySet().stream()))
            .noneMatch(tp -> tp.topic().startsWith("__"));

        // reassignment: refusals per partition, then a second replica on a broker that cannot catch up yet (frozen:
        // neither the controller nor the leader), listed in progress until it is thawed and the move completes
        assertThatThrownBy(() -> admin.alterPartitionReassignments(Map.of(moving, java.util.Optional.empty()))
            .all().get(60, TimeUnit.SECONDS))
            .hasCauseInstanceOf(org.apache.kafka.common.errors.NoReassignmentInProgressException.class);
        assertThatThrownBy(() -> admin.alterPartitionReassignments(Map.of(moving, java.util.Optional.of(
                new org.apache.kafka.clients.admin.NewPartitionReassignment(List.of(9, 1))))).all().get(60, TimeUnit.SECONDS))
            .hasCauseInstanceOf(org.apache.kafka.common.errors.InvalidReplicaAssignmentException.class);
        int controller = cluster.metadata().controllerId();
        int first = before.get(0);
        int newcomer = java.util.stream.Stream.of(1, 2, 3).filter(b -> b != first && b != controller).findFirst()
            .orElseThrow();
        List<Integer> target = List.of(newcomer, first);
        cluster.broker(newcomer).freeze();
        try {
          admin.alterPartitionReassignments(Map.of(moving, java.util.Optional.of(
              new org.apache.kafka.clients.admin.NewPartitionReassignment(target)))).all().get(60, TimeUnit.SECONDS);
          Map<TopicPartition, org.apache.kafka.clients.admin.PartitionReassignment> ongoing =
              admin.listPartitionReassignments().reassignments().get(60, TimeUnit.SECONDS);
          assertThat(ongoing).containsOnlyKeys(moving);
          assertThat(ongoing.get(moving).replicas()).containsExactlyInAnyOrder(newcomer, first);
          assertThat(ongoing.get(moving).addingReplicas()).containsExactly(newcomer);
          assertThat(ongoing.get(moving).removingReplicas()).isEmpty();
          assertThat(admin.listPartitionReassignments(java.util.Set.of(fresh)).reassignments().get(60, TimeUnit.SECONDS))
              .as("a partition not being moved").isEmpty();
          assertThatThrownBy(() -> admin.alterPartitionReassignments(Map.of(moving, java.util.Optional.of(
                  new org.apache.kafka.clients.admin.NewPartitionReassignment(List.of(first))))).all()
              .get(60, TimeUnit.SECONDS))
              .as("Brook does not replace a running reassignment")
              .hasCauseInstanceOf(org.apache.kafka.common.errors.ReassignmentInProgressException.class);
        } finally {
          cluster.broker(newcomer).thaw();
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).pollInterval(java.time.Duration.ofMillis(200))
            .until(() -> admin.listPartitionReassignments(java.util.Set.of(moving)).reassignments().get(60, TimeUnit.SECONDS)
                .isEmpty());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(admin.describeTopics(List.of("moving")).allTopicNames().get(60, TimeUnit.SECONDS).get("moving")
                .partitions().get(0).replicas()).extracting(Node::id).containsExactlyInAnyOrderElementsOf(target));

        // a group's offsets: kept for a topic its active consumer reads, deleted for another
        try (org.apache.kafka.clients.consumer.KafkaConsumer<String, String> consumer =
                 new org.apache.kafka.clients.consumer.KafkaConsumer<>(Map.of(
                     org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                     org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG, "readers",
                     org.apache.kafka.clients.consumer.ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                     org.apache.kafka.clients.consumer.ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                     org.apache.kafka.clients.consumer.ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                     org.apache.kafka.common.serialization.StringDeserializer.class,
                     org.apache.kafka.clients.consumer.ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                     org.apache.kafka.common.serialization.StringDeserializer.class))) {
          consumer.subscribe(List.of("moving"));
          List<Object> read = new java.util.ArrayList<>();
          org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(90)).until(() -> {
            consumer.poll(java.time.Duration.ofMillis(200)).forEach(read::add);
            return read.size() >= 50;
          });
          consumer.commitSync(Map.of(moving, new org.apache.kafka.clients.consumer.OffsetAndMetadata(50),
              fresh, new org.apache.kafka.clients.consumer.OffsetAndMetadata(1)), java.time.Duration.ofSeconds(30));
          org.apache.kafka.clients.admin.DeleteConsumerGroupOffsetsResult deleted =
              admin.deleteConsumerGroupOffsets("readers", java.util.Set.of(moving, fresh));
          assertThat(deleted.partitionResult(fresh).get(60, TimeUnit.SECONDS)).isNull(); // deleted
          assertThatThrownBy(() -> deleted.partitionResult(moving).get(60, TimeUnit.SECONDS))
              .hasCauseInstanceOf(org.apache.kafka.common.errors.GroupSubscribedToTopicException.class);
          assertThat(admin.listConsumerGroupOffsets("readers").partitionsToOffsetAndMetadata().get(60, TimeUnit.SECONDS))
              .containsOnlyKeys(moving);
        }
        // the consumer left: its group is empty, and its last offset can go
        admin.deleteConsumerGroupOffsets("readers", java.util.Set.of(moving)).all().get(60, TimeUnit.SECONDS);
        assertThat(admin.listConsumerGroupOffsets("readers").partitionsToOffsetAndMetadata().get(60, TimeUnit.SECONDS))
            .isEmpty();
        assertThatThrownBy(() -> admin.deleteConsumerGroupOffsets("nobody", java.util.Set.of(moving)).all()
            .get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(org.apache.kafka.common.errors.GroupIdNotFoundException.class);
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
