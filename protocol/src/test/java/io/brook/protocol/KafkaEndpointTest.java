package io.brook.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** advertised.listeners: one endpoint of one of Kafka's security protocols, or a clear refusal. */
class KafkaEndpointTest {
  @Test
  void oneListenerIsReadAndWrittenBack() {
    assertThat(KafkaEndpoint.parse("PLAINTEXT://kafka-1.example:19092")).contains(new KafkaEndpoint("kafka-1.example", 19092));
    assertThat(KafkaEndpoint.parse("SASL_SSL://k:9093")).contains(new KafkaEndpoint("SASL_SSL", "k", 9093));
    assertThat(KafkaEndpoint.parse(" ")).isEmpty();
    assertThat(new KafkaEndpoint("h", 9092)).hasToString("PLAINTEXT://h:9092");
    assertThat(new KafkaEndpoint("SSL", "h", 9093)).hasToString("SSL://h:9093");
  }

  @Test
  void anythingElseIsRefusedWithWhatIsExpected() {
    for (String bad : new String[] {"SASL_GSSAPI://h:9093", "h:9092", "PLAINTEXT://h:9092,PLAINTEXT://g:9092",
        "PLAINTEXT://:9092", "://h:9092"}) {
      assertThatThrownBy(() -> KafkaEndpoint.parse(bad)).as(bad).hasMessageContaining("one PROTOCOL://host:port");
    }
    assertThatThrownBy(() -> KafkaEndpoint.parse("PLAINTEXT://h:99999")).hasMessageContaining("1 to 65535");
    assertThatThrownBy(() -> KafkaEndpoint.parse("PLAINTEXT://h:x")).hasMessageContaining("not a port number");
  }
}
