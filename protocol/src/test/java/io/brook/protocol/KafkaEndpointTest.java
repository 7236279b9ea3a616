package io.brook.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** advertised.listeners: one PLAINTEXT endpoint, or a clear refusal. */
class KafkaEndpointTest {
  @Test
  void onePlaintextListenerIsReadAndWrittenBack() {
    assertThat(KafkaEndpoint.parse("PLAINTEXT://kafka-1.example:19092")).contains(new KafkaEndpoint("kafka-1.example", 19092));
    assertThat(KafkaEndpoint.parse(" ")).isEmpty();
    assertThat(new KafkaEndpoint("h", 9092)).hasToString("PLAINTEXT://h:9092");
  }

  @Test
  void anythingElseIsRefusedWithWhatIsExpected() {
    for (String bad : new String[] {"SASL_SSL://h:9093", "h:9092", "PLAINTEXT://h:9092,PLAINTEXT://g:9092",
        "PLAINTEXT://:9092"}) {
      assertThatThrownBy(() -> KafkaEndpoint.parse(bad)).as(bad).hasMessageContaining("one PLAINTEXT://host:port");
    }
    assertThatThrownBy(() -> KafkaEndpoint.parse("PLAINTEXT://h:99999")).hasMessageContaining("1 to 65535");
    assertThatThrownBy(() -> KafkaEndpoint.parse("PLAINTEXT://h:x")).hasMessageContaining("not a port number");
  }
}
