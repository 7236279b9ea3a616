package io.brook.kafka;

import io.brook.protocol.Addresses;
import io.brook.protocol.message.MetadataRequest;
import io.brook.protocol.message.MetadataResponse;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.TopicMetadata;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.LeaderNotAvailableException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Where a partition's leader is, for the listener's Produce, Fetch and ListOffsets: the node's metadata
 * API, asked once per topic and kept {@link #MAX_AGE_MS}, or until a request meets an error that says the
 * leader moved ({@link #forget}). Look-ups of a topic while it is being asked share that one question, so
 * they are answered in the order they were made: Produce relies on it to send a connection's batches for a
 * partition in the order they came. Owned by the listener's event loop.
 */
final class PartitionLeaders {
  static final long MAX_AGE_MS = 5_000;

  private record Known(List<PartitionMetadata> partitions, long atMs) {}

  private final Vertx vertx;
  private final int nodeId;
  private final Map<String, Known> topics = new HashMap<>();
  private final Map<String, Future<Known>> asking = new HashMap<>();

  PartitionLeaders(Vertx vertx, int nodeId) {
    this.vertx = vertx;
    this.nodeId = nodeId;
  }

  /** The leader's node id; fails with UNKNOWN_TOPIC_OR_PARTITION or LEADER_NOT_AVAILABLE. */
  Future<Integer> leader(String topic, int partition) {
    Known known = topics.get(topic);
    Future<Known> found = known != null && System.currentTimeMillis() - known.atMs() < MAX_AGE_MS
        ? Future.succeededFuture(known) : ask(topic);
    return found.compose(k -> {
      if (partition < 0 || partition >= k.partitions().size()) {
        return Future.failedFuture(new UnknownTopicOrPartitionException("no partition " + partition + " of topic " + topic));
      }
      int leader = k.partitions().get(partition).leader();
      return leader < 0
          ? Future.failedFuture(new LeaderNotAvailableException("partition " + partition + " of " + topic + " has no leader"))
          : Future.succeededFuture(leader);
    });
  }

  /** Whether the node is this listener's own. */
  boolean isLocal(int leader) {
    return leader == nodeId;
  }

  void forget(String topic) {
    topics.remove(topic);
  }

  private Future<Known> ask(String topic) {
    return asking.computeIfAbsent(topic, t -> vertx.eventBus()
        .<MetadataResponse>request(Addresses.metadata(nodeId), new MetadataRequest(List.of(t)),
            new DeliveryOptions().setSendTimeout(MetadataApi.TIMEOUT_MS))
        .map(reply -> {
          TopicMetadata metadata = reply.body().topics().get(0);
          if (metadata.error() != null) {
            throw new UnknownTopicOrPartitionException("topic " + t + ": " + metadata.error());
          }
          List<PartitionMetadata> partitions = metadata.partitions().stream()
              .sorted(java.util.Comparator.comparingInt(PartitionMetadata::partition)).toList();
          Known known = new Known(partitions, System.currentTimeMillis());
          topics.put(t, known);
          return known;
        })
        .andThen(done -> asking.remove(t)));
  }
}
