package io.brook.kafka;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.message.AlterConfigsRequest;
import io.brook.protocol.message.DescribeTopicRequest;
import io.brook.protocol.message.TopicDescription;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.IncrementalAlterConfigsRequest;
import org.apache.kafka.common.requests.IncrementalAlterConfigsResponse;

/**
 * DescribeConfigs and IncrementalAlterConfigs of topics, through the controller's admin API as the
 * client: every topic config with its value and source (an override is {@code TOPIC_CONFIG}, anything
 * else {@code DEFAULT_CONFIG}) and, when asked, the override and the default as synonyms; SET and DELETE
 * change overrides, the broker's message refusing an invalid value. Not yet: broker configs, APPEND and
 * SUBTRACT, the older AlterConfigs (answered {@code INVALID_REQUEST} with the reason).
 */
final class ConfigApis {
  static final long TIMEOUT_MS = 30_000;

  private ConfigApis() {}

  static List<KafkaApi> all(Vertx vertx) {
    return List.of(KafkaApi.of(ApiKeys.DESCRIBE_CONFIGS, r -> describe(vertx, r)),
        KafkaApi.of(ApiKeys.INCREMENTAL_ALTER_CONFIGS, r -> alter(vertx, r)),
        KafkaApi.of(ApiKeys.ALTER_CONFIGS, r -> replace(vertx, r)));
  }


  private static Future<AbstractResponse> describe(Vertx vertx, KafkaRequest request) {
    DescribeConfigsRequestData data = ((DescribeConfigsRequest) request.body()).data();
    List<Future<DescribeConfigsResult>> results = new ArrayList<>();
    for (DescribeConfigsRequestData.DescribeConfigsResource resource : data.resources()) {
      DescribeConfigsResult out = new DescribeConfigsResult().setResourceType(resource.resourceType())
          .setResourceName(resource.resourceName());
      if (resource.resourceType() != ConfigResource.Type.TOPIC.id()) {
        results.add(Future.succeededFuture(out.setErrorCode(Errors.INVALID_REQUEST.code())
            .setErrorMessage("only topic configs are served here yet")));
        continue;
      }
      results.add(vertx.eventBus().<TopicDescription>request(Addresses.DESCRIBE_TOPIC,
              new DescribeTopicRequest(resource.resourceName()), request.onBehalfOfClient(TIMEOUT_MS))
          .map(reply -> entries(out, reply.body(), resource.configurationKeys(), data.includeSynonyms()))
          .recover(failure -> Future.succeededFuture(out.setErrorCode(BrookErrors.errorOf(failure).code())
              .setErrorMessage(failure.getMessage()))));
    }
    return Future.join(results).transform(done -> Future.succeededFuture(new DescribeConfigsResponse(
        new DescribeConfigsResponseData().setResults(new ArrayList<>(results.stream().map(Future::result).toList())))));
  }

  private static DescribeConfigsResult entries(DescribeConfigsResult out, TopicDescription topic, List<String> keys,
      boolean synonyms) {
    out.setErrorCode(Errors.NONE.code());
    topic.configs().forEach((name, value) -> {
      if (keys != null && !keys.isEmpty() && !keys.contains(name)) {
        return;
      }
      boolean override = topic.configOverrides().containsKey(name);
      DescribeConfigsResourceResult entry = new DescribeConfigsResourceResult().setName(name).setValue(value)
          .setReadOnly(false).setIsSensitive(false)
          .setConfigSource((override ? ConfigSource.TOPIC_CONFIG : ConfigSource.DEFAULT_CONFIG).id());
      if (synonyms) {
        entry.synonyms().add(new DescribeConfigsSynonym().setName(name).setValue(value)
            .setSource((override ? ConfigSource.TOPIC_CONFIG : ConfigSource.DEFAULT_CONFIG).id()));
      }
      out.configs().add(entry);
    });
    return out;
  }

  private static Future<AbstractResponse> alter(Vertx vertx, KafkaRequest request) {
    IncrementalAlterConfigsRequestData data = ((IncrementalAlterConfigsRequest) request.body()).data();
    List<Future<AlterConfigsResourceResponse>> results = new ArrayList<>();
    for (IncrementalAlterConfigsRequestData.AlterConfigsResource resource : data.resources()) {
      AlterConfigsResourceResponse out = new AlterConfigsResourceResponse().setResourceType(resource.resourceType())
          .setResourceName(resource.resourceName());
      Map<String, String> set = new HashMap<>();
      List<String> delete = new ArrayList<>();
      String refused = resource.resourceType() != ConfigResource.Type.TOPIC.id() ? "only topic configs are served here yet" : null;
      for (IncrementalAlterConfigsRequestData.AlterableConfig config : resource.configs()) {
        switch (org.apache.kafka.clients.admin.AlterConfigOp.OpType.forId(config.configOperation())) {
          case SET -> set.put(config.name(), config.value());
          case DELETE -> delete.add(config.name());
          default -> refused = "APPEND and SUBTRACT are not served yet (" + config.name() + ")";
        }
      }
      if (refused != null) {
        results.add(Future.succeededFuture(out.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(refused)));
        continue;
      }
      if (data.validateOnly()) {
        results.add(Future.succeededFuture(out.setErrorCode(Errors.INVALID_REQUEST.code())
            .setErrorMessage("validate-only is not served yet")));
        continue;
      }
      results.add(vertx.eventBus().request(Addresses.ALTER_CONFIGS, new AlterConfigsRequest(resource.resourceName(), set,
              delete), request.onBehalfOfClient(TIMEOUT_MS))
          .map(reply -> out.setErrorCode(Errors.NONE.code()))
          .recover(failure -> Future.succeededFuture(out.setErrorCode(BrookErrors.errorOf(failure).code())
              .setErrorMessage(failure.getMessage()))));
    }
    return Future.join(results).transform(done -> Future.succeededFuture(new IncrementalAlterConfigsResponse(
        new IncrementalAlterConfigsResponseData().setResponses(new ArrayList<>(results.stream().map(Future::result).toList())))));
  }

  /**
   * The older AlterConfigs: the configs given become the topic's overrides, every other override is
   * removed (Kafka's replace-all). Read, then written: a change made by someone else in between is lost,
   * as with Kafka's.
   */
  private static Future<AbstractResponse> replace(Vertx vertx, KafkaRequest request) {
    org.apache.kafka.common.message.AlterConfigsRequestData data =
        ((org.apache.kafka.common.requests.AlterConfigsRequest) request.body()).data();
    List<Future<org.apache.kafka.common.message.AlterConfigsResponseData.AlterConfigsResourceResponse>> results =
        new ArrayList<>();
    for (org.apache.kafka.common.message.AlterConfigsRequestData.AlterConfigsResource resource : data.resources()) {
      var out = new org.apache.kafka.common.message.AlterConfigsResponseData.AlterConfigsResourceResponse()
          .setResourceType(resource.resourceType()).setResourceName(resource.resourceName());
      String refused = resource.resourceType() != ConfigResource.Type.TOPIC.id() ? "only topic configs are served here yet"
          : data.validateOnly() ? "validate-only is not served yet" : null;
      if (refused != null) {
        results.add(Future.succeededFuture(out.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(refused)));
        continue;
      }
      Map<String, String> set = new HashMap<>();
      resource.configs().forEach(config -> set.put(config.name(), config.value()));
      results.add(vertx.eventBus().<TopicDescription>request(Addresses.DESCRIBE_TOPIC,
              new DescribeTopicRequest(resource.resourceName()), request.onBehalfOfClient(TIMEOUT_MS))
          .compose(described -> vertx.eventBus().request(Addresses.ALTER_CONFIGS, new AlterConfigsRequest(
              resource.resourceName(), set, described.body().configOverrides().keySet().stream()
                  .filter(name -> !set.containsKey(name)).toList()), request.onBehalfOfClient(TIMEOUT_MS)))
          .map(reply -> out.setErrorCode(Errors.NONE.code()))
          .recover(failure -> Future.succeededFuture(out.setErrorCode(BrookErrors.errorOf(failure).code())
              .setErrorMessage(failure.getMessage()))));
    }
    return Future.join(results).transform(done -> Future.succeededFuture(
        new org.apache.kafka.common.requests.AlterConfigsResponse(new org.apache.kafka.common.message.AlterConfigsResponseData()
            .setResponses(new ArrayList<>(results.stream().map(Future::result).toList())))));
  }
}
