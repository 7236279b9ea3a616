package io.brook.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.protocol.KafkaEndpoint;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Which listeners a node binds and advertises, and which it refuses. */
class KafkaListenerConfigTest {
  @Test
  void oneListenerFromTheKafkaKeysWithTheProtocolAnonymousClientsAllow() {
    assertThat(new KafkaListenerConfig(Map.of()).listeners(Map.of()))
        .containsExactly(new KafkaEndpoint("PLAINTEXT", "127.0.0.1", 9092));
    assertThat(new KafkaListenerConfig(Map.of()).listeners(Map.of("security.allow.anonymous", "false")))
        .containsExactly(new KafkaEndpoint("SASL_PLAINTEXT", "127.0.0.1", 9092));
    assertThat(new KafkaListenerConfig(Map.of("kafka.host", "0.0.0.0", "kafka.port", "19092")).listeners(Map.of()))
        .as("reachable from other hosts: clients log in").containsExactly(new KafkaEndpoint("SASL_PLAINTEXT", "0.0.0.0", 19092));
    assertThat(new KafkaListenerConfig(Map.of("kafka.security.protocol", "SASL_SSL")).listeners(Map.of()))
        .containsExactly(new KafkaEndpoint("SASL_SSL", "127.0.0.1", 9092));
  }

  @Test
  void severalListenersAreAdvertisedEachByItsOwnNameOrAsTheyBind() {
    KafkaListenerConfig config = new KafkaListenerConfig(Map.of(
        "listeners", "PLAINTEXT://127.0.0.1:9092,SASL_SSL://0.0.0.0:9093",
        "advertised.listeners", "SASL_SSL://kafka-1.example:19093"));
    assertThat(config.advertised(Map.of())).containsExactly(new KafkaEndpoint("127.0.0.1", 9092),
        new KafkaEndpoint("SASL_SSL", "kafka-1.example", 19093));
    assertThat(config.problem(Map.of())).as("plaintext on loopback, SASL outside").isNull();
    assertThatThrownBy(() -> new KafkaListenerConfig(Map.of("listeners", "PLAINTEXT://127.0.0.1:9092",
        "advertised.listeners", "SSL://h:9093")).advertised(Map.of())).isInstanceOf(ConfigException.class)
        .hasMessageContaining("no listener is SSL");
    assertThatThrownBy(() -> new KafkaListenerConfig(Map.of("listeners", "PLAINTEXT://a:1,PLAINTEXT://b:2")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("PLAINTEXT twice");
  }

  @Test
  void aListenerWithoutSaslWhereAnonymousClientsAreNotAllowedIsAProblem() {
    KafkaListenerConfig outside = new KafkaListenerConfig(Map.of("listeners", "PLAINTEXT://0.0.0.0:9092,SASL_SSL://0.0.0.0:9093"));
    assertThat(outside.problem(Map.of())).contains("PLAINTEXT://0.0.0.0:9092 serves clients without credentials");
    assertThat(outside.problem(Map.of("security.allow.anonymous", "true"))).isNull();
    KafkaListenerConfig plain = new KafkaListenerConfig(Map.of("listeners", "SASL_PLAINTEXT://0.0.0.0:9092"));
    assertThat(plain.problem(Map.of())).isNull();
    assertThat(plain.plaintextWarnings(Map.of())).singleElement().asString().contains("SASL/PLAIN passwords without TLS");
    assertThat(new KafkaListenerConfig(Map.of("listeners", "SASL_PLAINTEXT://0.0.0.0:9092",
        "kafka.sasl.enabled.mechanisms", "SCRAM-SHA-512")).plaintextWarnings(Map.of())).isEmpty();
  }
}
