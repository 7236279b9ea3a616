package io.brook.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.RebalanceProtocol;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Proves bad configuration is refused when a client is created, naming the key. */
class ConfigValidationTest extends ClientTestBase {

  @Test
  void producerRejectsBadValues() {
    assertThatThrownBy(() -> BrookClients.producer(vertx, props("acks", "2")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("acks");
    assertThatThrownBy(() -> BrookClients.producer(vertx, props("compression.type", "brotli")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("compression.type");
    assertThatThrownBy(() -> BrookClients.producer(vertx, props("batch.size", -1)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("batch.size");
    assertThatThrownBy(() -> BrookClients.producer(vertx, props("linger.ms", "soon")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("linger.ms");
    assertThatThrownBy(() -> BrookClients.producer(vertx, props("max.in.flight.requests.per.connection", 0)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("max.in.flight");
    assertThatThrownBy(() -> BrookClients.producer(vertx,
        props("delivery.timeout.ms", 1000, "linger.ms", 500, "request.timeout.ms", 1000)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("delivery.timeout.ms");
  }

  @Test
  void producerDefaultsAreKafkas() {
    ProducerConfigs defaults = new ProducerConfigs(props());
    assertThat(defaults.acks()).isEqualTo((short) -1);
    assertThat(defaults.batchSize()).isEqualTo(16384);
    assertThat(defaults.lingerMs()).isEqualTo(5);
    assertThat(defaults.bufferMemory()).isEqualTo(33554432L);
    assertThat(defaults.maxBlockMs()).isEqualTo(60000);
    assertThat(defaults.retries()).isEqualTo(Integer.MAX_VALUE);
    assertThat(defaults.deliveryTimeoutMs()).isEqualTo(120000);
    assertThat(defaults.maxRequestSize()).isEqualTo(1048576);
    assertThat(new ProducerConfigs(props("acks", 1)).acks()).isEqualTo((short) 1);
    // left at its default, delivery.timeout.ms grows to cover linger + request timeout
    assertThat(new ProducerConfigs(props("request.timeout.ms", 200_000)).deliveryTimeoutMs()).isEqualTo(200_005);
  }

  @Test
  void consumerRejectsBadValues() {
    assertThatThrownBy(() -> BrookClients.consumer(vertx, props("auto.offset.reset", "smallest")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("auto.offset.reset");
    assertThatThrownBy(() -> BrookClients.consumer(vertx, props("max.poll.records", 0)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("max.poll.records");
    assertThatThrownBy(() -> BrookClients.consumer(vertx, props("fetch.max.wait.ms", -5)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("fetch.max.wait.ms");
    ConsumerConfigs defaults = new ConsumerConfigs(props());
    assertThat(defaults.autoOffsetReset()).isEqualTo(ConsumerConfigs.OffsetReset.LATEST);
    assertThat(defaults.maxPollRecords()).isEqualTo(500);
    assertThat(defaults.maxPartitionFetchBytes()).isEqualTo(1048576);
  }

  @Test
  void groupKeysHaveKafkasNamesDefaultsAndChecks() {
    ConsumerConfigs defaults = new ConsumerConfigs(props("group.id", "g"));
    assertThat(defaults.sessionTimeoutMs()).isEqualTo(45000);
    assertThat(defaults.heartbeatIntervalMs()).isEqualTo(3000);
    assertThat(defaults.maxPollIntervalMs()).isEqualTo(300000);
    assertThat(defaults.autoCommit()).isTrue();
    assertThat(defaults.autoCommitIntervalMs()).isEqualTo(5000);
    assertThat(defaults.groupInstanceId()).isEmpty();
    assertThat(defaults.assignors()).extracting(a -> a.name()).containsExactly("range", "cooperative-sticky");
    assertThat(ConsumerConfigs.rebalanceProtocolOf(defaults.assignors()))
        .as("eager until every assignor is cooperative").isEqualTo(RebalanceProtocol.EAGER);
    assertThat(ConsumerConfigs.rebalanceProtocolOf(new ConsumerConfigs(props("group.id", "g",
        "partition.assignment.strategy", CooperativeStickyAssignor.class.getName())).assignors()))
        .isEqualTo(RebalanceProtocol.COOPERATIVE);
    assertThat(new ConsumerConfigs(props()).autoCommit()).as("no group, no auto-commit").isFalse();

    assertThatThrownBy(() -> BrookClients.consumer(vertx, props("enable.auto.commit", true)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("enable.auto.commit");
    assertThatThrownBy(() -> BrookClients.consumer(vertx, props("group.id", "g", "heartbeat.interval.ms", 45000)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("heartbeat.interval.ms");
    assertThatThrownBy(() -> BrookClients.consumer(vertx, props("group.id", "g",
        "partition.assignment.strategy", "java.lang.String")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("partition.assignment.strategy");
    assertThatThrownBy(() -> BrookClients.consumer(vertx, props("group.id", "g",
        "partition.assignment.strategy", "org.example.NoSuchAssignor")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("partition.assignment.strategy");
    assertThatThrownBy(() -> BrookClients.consumer(vertx, props("group.id", "g", "max.poll.interval.ms", 0)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("max.poll.interval.ms");
  }
}
