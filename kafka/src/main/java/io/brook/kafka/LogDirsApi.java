package io.brook.kafka;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.message.DescribeLogDirsRequest;
import io.brook.protocol.message.TopicPartitionRef;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeLogDirsResponse;

/**
 * DescribeLogDirs: this broker's own log directory (Kafka's Admin sends the request to every broker it
 * wants), from its {@code brook.api.broker.<id>.describe-log-dirs}: the directory's total and usable
 * bytes and each hosted partition's size and offset lag. DESCRIBE on the cluster, else
 * {@code CLUSTER_AUTHORIZATION_FAILED} (v3+; older versions just get no directory, as Kafka).
 */
final class LogDirsApi {
  static final long TIMEOUT_MS = 30_000;

  private LogDirsApi() {}

  static KafkaApi describeLogDirs(Vertx vertx, int nodeId) {
    return KafkaApi.of(ApiKeys.DESCRIBE_LOG_DIRS, request -> describe(vertx, nodeId, request));
  }

  private static Future<AbstractResponse> describe(Vertx vertx, int nodeId, KafkaRequest request) {
    DescribeLogDirsRequestData data = ((org.apache.kafka.common.requests.DescribeLogDirsRequest) request.body()).data();
    List<TopicPartitionRef> partitions = null;
    if (data.topics() != null) {
      partitions = new ArrayList<>();
      for (DescribeLogDirsRequestData.DescribableLogDirTopic topic : data.topics()) {
        for (int partition : topic.partitions()) {
          partitions.add(new TopicPartitionRef(topic.topic(), partition));
        }
      }
    }
    return vertx.eventBus().<io.brook.protocol.message.DescribeLogDirsResponse>request(Addresses.describeLogDirs(nodeId),
            new DescribeLogDirsRequest(partitions), request.onBehalfOfClient(TIMEOUT_MS))
        .map(reply -> {
          DescribeLogDirsResponseData out = new DescribeLogDirsResponseData().setErrorCode(Errors.NONE.code());
          for (io.brook.protocol.message.DescribeLogDirsResponse.LogDir dir : reply.body().logDirs()) {
            out.results().add(logDir(dir));
          }
          return (AbstractResponse) new DescribeLogDirsResponse(out);
        })
        .recover(failure -> Future.succeededFuture(new DescribeLogDirsResponse(new DescribeLogDirsResponseData()
            .setErrorCode(BrookErrors.errorOf(failure).code()))));
  }

  private static DescribeLogDirsResponseData.DescribeLogDirsResult logDir(
      io.brook.protocol.message.DescribeLogDirsResponse.LogDir dir) {
    Map<String, DescribeLogDirsResponseData.DescribeLogDirsTopic> topics = new LinkedHashMap<>();
    for (io.brook.protocol.message.DescribeLogDirsResponse.PartitionSize p : dir.partitions()) {
      topics.computeIfAbsent(p.topic(), name -> new DescribeLogDirsResponseData.DescribeLogDirsTopic().setName(name))
          .partitions().add(new DescribeLogDirsResponseData.DescribeLogDirsPartition().setPartitionIndex(p.partition())
              .setPartitionSize(p.sizeBytes()).setOffsetLag(p.offsetLag()).setIsFutureKey(false));
    }
    return new DescribeLogDirsResponseData.DescribeLogDirsResult().setLogDir(dir.path())
        .setErrorCode(PartitionErrors.named(dir.error()).code()).setTotalBytes(dir.totalBytes())
        .setUsableBytes(dir.usableBytes()).setTopics(new ArrayList<>(topics.values()));
  }
}
