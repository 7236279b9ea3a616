package io.brook.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** listeners and advertised.listeners: endpoints of Kafka's security protocols, each once, or a clear refusal. */
class KafkaEndpointTest {
  @Test
  void listenersAreReadAndWrittenBackInOrder() {
    assertThat(KafkaEndpoint.parseAll("PLAINTEXT://kafka-1.example:19092"))
        .containsExactly(new KafkaEndpoint("kafka-1.example", 19092));
    List<KafkaEndpoint> two = KafkaEndpoint.parseAll("SASL_SSL://0.0.0.0:9093, PLAINTEXT://127.0.0.1:9092");
    assertThat(two).containsExactly(new KafkaEndpoint("SASL_SSL", "0.0.0.0", 9093), new KafkaEndpoint("127.0.0.1", 9092));
    assertThat(KafkaEndpoint.format(two)).isEqualTo("SASL_SSL://0.0.0.0:9093,PLAINTEXT://127.0.0.1:9092");
    assertThat(KafkaEndpoint.parseAll(" ")).isEmpty();
    assertThat(new KafkaEndpoint("h", 9092)).hasToString("PLAINTEXT://h:9092");
  }

  @Test
  void anythingElseIsRefusedWithWhatIsExpected() {
    for (String bad : new String[] {"SASL_GSSAPI://h:9093", "h:9092", "PLAINTEXT://:9092", "://h:9092",
        "PLAINTEXT://h:9092,"}) {
      assertThatThrownBy(() -> KafkaEndpoint.parseAll(bad)).as(bad).hasMessageContaining("PROTOCOL://host:port");
    }
    assertThatThrownBy(() -> KafkaEndpoint.parseAll("PLAINTEXT://h:9092,PLAINTEXT://g:9092"))
        .hasMessageContaining("PLAINTEXT twice");
    assertThatThrownBy(() -> KafkaEndpoint.parseAll("PLAINTEXT://h:99999")).hasMessageContaining("0 to 65535");
    assertThatThrownBy(() -> KafkaEndpoint.parseAll("PLAINTEXT://h:x")).hasMessageContaining("not a port number");
  }
}
