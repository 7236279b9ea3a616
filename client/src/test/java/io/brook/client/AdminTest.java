package io.brook.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.brook.protocol.message.TopicMetadata;
import java.util.Map;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

/** Proves admin calls reach the broker and its failures come back as Kafka's typed exceptions. */
class AdminTest extends ClientTestBase {

  @Test
  void createListDescribeDelete() {
    BrookAdmin admin = BrookClients.admin(vertx, props());
    TopicMetadata created = admin.createTopic("orders", 3, (short) 1, Map.of()).await();
    assertThat(created.partitions()).hasSize(3);
    assertThat(admin.listTopics().await()).extracting(t -> t.name()).containsExactly("orders");
    assertThat(admin.describeTopic("orders").await().partitions()).hasSize(3);
    assertThat(admin.metadata().await().topics()).extracting(TopicMetadata::name).contains("orders");

    Throwable exists = catchThrowable(() -> admin.createTopic("orders", 1, (short) 1, Map.of()).await());
    assertThat(ProducerRetryTest.unwrap(exists)).isInstanceOf(TopicExistsException.class);

    admin.deleteTopic("orders").await();
    Throwable gone = catchThrowable(() -> admin.describeTopic("orders").await());
    assertThat(ProducerRetryTest.unwrap(gone)).isInstanceOf(UnknownTopicOrPartitionException.class);
    admin.close();
  }
}
