package io.brook.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.protocol.Addresses;
import io.brook.protocol.codec.BrookCodecs;
import io.brook.protocol.message.AlterConfigsRequest;
import io.brook.protocol.message.AlterConfigsResponse;
import io.brook.protocol.message.TopicDescription;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The older AlterConfigs (Kafka's Java Admin no longer sends it; librdkafka and older tools do): replace-all. */
class ConfigApisTest {
  private Vertx vertx;
  private final List<AlterConfigsRequest> altered = new ArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    BrookCodecs.register(vertx.eventBus());
    vertx.eventBus().consumer(Addresses.DESCRIBE_TOPIC, message -> message.reply(new TopicDescription("orders", (short) 3,
        Map.of("retention.ms", "100", "segment.bytes", "2048"),
        Map.of("retention.ms", "100", "segment.bytes", "2048", "cleanup.policy", "delete"), List.of())));
    vertx.eventBus().<AlterConfigsRequest>consumer(Addresses.ALTER_CONFIGS, message -> {
      altered.add(message.body());
      message.reply(new AlterConfigsResponse("orders", Map.of()));
    });
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private AlterConfigsResponseData alter(AlterConfigsRequestData data) {
    KafkaApi api = ConfigApis.all(vertx).stream().filter(a -> a.key() == ApiKeys.ALTER_CONFIGS).findFirst().orElseThrow();
    return ((org.apache.kafka.common.requests.AlterConfigsResponse) api.handle(TestRequests.of(
        new org.apache.kafka.common.requests.AlterConfigsRequest(data, (short) 2))).await()).data();
  }

  @Test
  void theConfigsGivenBecomeTheOverridesAndTheOthersGo() {
    AlterConfigsRequestData.AlterableConfigCollection configs = new AlterConfigsRequestData.AlterableConfigCollection();
    configs.add(new AlterConfigsRequestData.AlterableConfig().setName("segment.bytes").setValue("4096"));
    configs.add(new AlterConfigsRequestData.AlterableConfig().setName("max.message.bytes").setValue("1000"));
    AlterConfigsRequestData.AlterConfigsResourceCollection resources = new AlterConfigsRequestData.AlterConfigsResourceCollection();
    resources.add(new AlterConfigsRequestData.AlterConfigsResource().setResourceType(ConfigResource.Type.TOPIC.id())
        .setResourceName("orders").setConfigs(configs));

    AlterConfigsResponseData response = alter(new AlterConfigsRequestData().setResources(resources));

    assertThat(response.responses()).singleElement().satisfies(r -> assertThat(r.errorCode()).isEqualTo(Errors.NONE.code()));
    assertThat(altered).singleElement().satisfies(request -> {
      assertThat(request.set()).isEqualTo(Map.of("segment.bytes", "4096", "max.message.bytes", "1000"));
      assertThat(request.delete()).containsExactly("retention.ms");
    });
  }
}
