package io.brook.verticles.metrics;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.InternalTopics;
import io.brook.protocol.Messages;
import io.brook.protocol.message.DescribeLogDirsRequest;
import io.brook.protocol.message.DescribeLogDirsResponse;
import io.brook.protocol.message.TopicPartitionRef;
import io.brook.security.AuthorizerConfig;
import io.brook.verticles.BrokerConfig;
import io.brook.verticles.ClusterConsumers;
import io.brook.verticles.metadata.MetadataImages;
import io.brook.verticles.security.RequestAuthorizer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.acl.AclOperation;

/**
 * Answers {@code brook.api.broker.<id>.describe-log-dirs} (Kafka's DescribeLogDirs, sent to each broker
 * for its own directories): the broker's one log directory ({@code data.dir}) with its file system's
 * total and usable bytes, and each hosted partition's size and offset lag, from the {@link BrokerMeters}
 * every log keeps up to date. DESCRIBE on the cluster, as Kafka. The file system is asked on a worker.
 */
public final class LogDirsVerticle extends VerticleBase {
  private final int nodeId;
  private final Path dataDir;
  private final AuthorizerConfig authorizerConfig;
  private RequestAuthorizer authorizer;
  private BrokerMeters meters;

  public LogDirsVerticle(BrokerConfig config, AuthorizerConfig authorizerConfig) {
    this.nodeId = config.nodeId();
    this.dataDir = config.dataDir().toAbsolutePath().normalize();
    this.authorizerConfig = authorizerConfig;
  }

  @Override
  public Future<?> start() {
    meters = BrokerMeters.of(vertx);
    authorizer = new RequestAuthorizer(authorizerConfig, MetadataImages.latest(vertx));
    return ClusterConsumers.<Object>consumer(vertx, Addresses.describeLogDirs(nodeId), this::handle).completion();
  }

  private void handle(Message<Object> message) {
    DescribeLogDirsRequest request;
    try {
      request = Messages.body(message, DescribeLogDirsRequest.class);
      authorizer.requireOnCluster(message, AclOperation.DESCRIBE);
    } catch (RuntimeException e) {
      BrookErrors.fail(message, e);
      return;
    }
    List<DescribeLogDirsResponse.PartitionSize> partitions = partitions(request.partitions());
    vertx.executeBlocking(() -> { // statvfs: blocking, never on the event loop
      FileStore store = Files.getFileStore(Files.exists(dataDir) ? dataDir : dataDir.getParent());
      return new long[] {store.getTotalSpace(), store.getUsableSpace()};
    }, false).onComplete(disk -> {
      String error = disk.succeeded() ? null : "KAFKA_STORAGE_ERROR";
      long total = disk.succeeded() ? disk.result()[0] : -1;
      long usable = disk.succeeded() ? disk.result()[1] : -1;
      Messages.reply(message, new DescribeLogDirsResponse(List.of(new DescribeLogDirsResponse.LogDir(dataDir.toString(),
          error, total, usable, partitions))));
    });
  }

  /** The hosted partitions asked for (null: all), internal topics left out as everywhere a client looks. */
  List<DescribeLogDirsResponse.PartitionSize> partitions(List<TopicPartitionRef> asked) {
    Set<TopicPartitionRef> wanted = asked == null ? null : new HashSet<>(asked);
    List<DescribeLogDirsResponse.PartitionSize> found = new ArrayList<>();
    meters.forEachTopic((topic, all) -> {
      if (InternalTopics.isInternal(topic)) {
        return;
      }
      for (PartitionMeters p : all) {
        if (p != null && (wanted == null || wanted.contains(new TopicPartitionRef(topic, p.partition)))) {
          // a follower's high watermark here is the leader's as last heard (ReplicaFollowerVerticle)
          long lag = p.leader ? 0 : Math.max(0, p.highWatermark - p.logEndOffset);
          found.add(new DescribeLogDirsResponse.PartitionSize(topic, p.partition, p.sizeBytes, lag));
        }
      }
    });
    return found;
  }
}
