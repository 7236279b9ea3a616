package io.brook.web.api;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.message.FetchRequest;
import io.brook.protocol.message.FetchResponse;
import io.brook.protocol.message.ListOffsetsRequest;
import io.brook.protocol.message.ListOffsetsResponse;
import io.brook.protocol.message.MetadataRequest;
import io.brook.protocol.message.MetadataResponse;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.ProduceRequest;
import io.brook.protocol.message.ProduceResponse;
import io.brook.protocol.message.TopicMetadata;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.util.Set;
import java.util.function.IntFunction;
import org.apache.kafka.common.errors.LeaderNotAvailableException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.protocol.Errors;

/**
 * The HTTP API's way to the brokers: typed requests over the (clustered) event bus with a timeout,
 * partition leaders from a {@link MetadataCache}, and one refresh-and-retry when a leader has moved
 * or a stale cache named a wrong one. Only errors that prove the request was not applied are
 * retried (never a timeout). Owned by its verticle's event loop.
 */
public final class BrokerClient {
  /** Replies that mean "ask the metadata again": the request reached no leader of the partition. */
  private static final Set<Errors> REFRESH_ERRORS = Set.of(
      Errors.NOT_LEADER_OR_FOLLOWER, Errors.UNKNOWN_TOPIC_OR_PARTITION, Errors.LEADER_NOT_AVAILABLE,
      Errors.FENCED_LEADER_EPOCH);

  private final Vertx vertx;
  private final int requestTimeoutMs;
  private final MetadataCache cache;

  public BrokerClient(Vertx vertx, int requestTimeoutMs, long metadataMaxAgeMs) {
    this.vertx = vertx;
    this.requestTimeoutMs = requestTimeoutMs;
    this.cache = new MetadataCache(this::metadata, System::currentTimeMillis, metadataMaxAgeMs);
  }

  /** Sends {@code body} to {@code address} and answers the reply's body. */
  public <T> Future<T> request(String address, Object body, long timeoutMs) {
    return vertx.eventBus().<T>request(address, body, new DeliveryOptions().setSendTimeout(timeoutMs))
        .map(Message::body);
  }

  public <T> Future<T> request(String address, Object body) {
    return request(address, body, requestTimeoutMs);
  }

  /** Fresh metadata from any broker. */
  public Future<MetadataResponse> metadata(MetadataRequest request) {
    return request(Addresses.METADATA, request);
  }

  /** The topic's metadata, cached. */
  public Future<TopicMetadata> topic(String name) {
    return cache.topic(name);
  }

  public void invalidate(String topic) {
    cache.invalidate(topic);
  }

  /** Runs {@code call} against the partition's leader; refreshes metadata and retries once if it moved. */
  public <T> Future<T> onLeader(String topic, int partition, IntFunction<Future<T>> call) {
    return leaderOf(topic, partition).compose(call::apply).recover(failure -> {
      if (!REFRESH_ERRORS.contains(BrookErrors.errorOf(failure))) {
        return Future.failedFuture(failure);
      }
      cache.invalidate(topic);
      return leaderOf(topic, partition).compose(call::apply);
    });
  }

  public Future<ProduceResponse> produce(ProduceRequest request) {
    if (request.acks() == ProduceRequest.ACKS_NONE) {
      // acks=0: the broker does not answer, so neither do we wait
      return onLeader(request.topic(), request.partition(), leader -> {
        vertx.eventBus().send(Addresses.produce(leader), request);
        return Future.succeededFuture(new ProduceResponse(-1L, -1L, -1L));
      });
    }
    return onLeader(request.topic(), request.partition(),
        leader -> request(Addresses.produce(leader), request, request.timeoutMs() + (long) requestTimeoutMs));
  }

  public Future<FetchResponse> fetch(FetchRequest request) {
    return onLeader(request.topic(), request.partition(),
        leader -> request(Addresses.fetch(leader), request, request.maxWaitMs() + (long) requestTimeoutMs));
  }

  public Future<ListOffsetsResponse> listOffsets(String topic, int partition, long timestamp) {
    return onLeader(topic, partition,
        leader -> request(Addresses.listOffsets(leader), new ListOffsetsRequest(topic, partition, timestamp)));
  }

  /** The partition's metadata, or UNKNOWN_TOPIC_OR_PARTITION when the topic has no such partition. */
  public static PartitionMetadata partitionOf(TopicMetadata topic, int partition) {
    return topic.partitions().stream()
        .filter(p -> p.partition() == partition)
        .findFirst()
        .orElseThrow(() -> new UnknownTopicOrPartitionException("topic '" + topic.name() + "' has "
            + topic.partitions().size() + " partition(s), no partition " + partition));
  }

  private Future<Integer> leaderOf(String topic, int partition) {
    return cache.topic(topic).map(metadata -> {
      int leader = partitionOf(metadata, partition).leader();
      if (leader < 0) {
        throw new LeaderNotAvailableException(topic + "-" + partition + " has no leader right now");
      }
      return leader;
    });
  }
}
