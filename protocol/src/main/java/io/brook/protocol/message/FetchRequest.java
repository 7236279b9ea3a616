package io.brook.protocol.message;

import io.vertx.core.json.JsonObject;
import org.apache.kafka.common.errors.InvalidRequestException;

/**
 * Read record batches of one partition from {@code fetchOffset}, sent to
 * {@code brook.api.broker.<leader>.fetch}. A long poll: the leader answers as soon as
 * {@code minBytes} are available or {@code maxWaitMs} has passed. {@code replicaId} is -1 for
 * consumers and the follower's node id for replication; {@code currentLeaderEpoch} is -1 when the
 * caller does not know it, otherwise the leader fences a stale one.
 */
public record FetchRequest(String topic, int partition, long fetchOffset, int maxBytes, int minBytes,
    int maxWaitMs, int replicaId, int currentLeaderEpoch) implements JsonForm {

  public static final int CONSUMER_REPLICA_ID = -1;
  public static final int NO_EPOCH = -1;

  /** A consumer's fetch. */
  public static FetchRequest consumer(String topic, int partition, long fetchOffset, int maxBytes,
      int minBytes, int maxWaitMs) {
    return new FetchRequest(topic, partition, fetchOffset, maxBytes, minBytes, maxWaitMs,
        CONSUMER_REPLICA_ID, NO_EPOCH);
  }

  /** Throws {@link InvalidRequestException} if malformed; byte limits are checked by the broker. */
  public FetchRequest validate() {
    if (topic == null || topic.isEmpty()) {
      throw new InvalidRequestException("fetch request without a topic");
    }
    if (partition < 0) {
      throw new InvalidRequestException("fetch request with negative partition " + partition);
    }
    if (maxWaitMs < 0 || minBytes < 0) {
      throw new InvalidRequestException("negative maxWaitMs or minBytes in fetch request");
    }
    return this;
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("topic", topic)
        .put("partition", partition)
        .put("fetchOffset", fetchOffset)
        .put("maxBytes", maxBytes)
        .put("minBytes", minBytes)
        .put("maxWaitMs", maxWaitMs)
        .put("replicaId", replicaId)
        .put("currentLeaderEpoch", currentLeaderEpoch);
  }

  public static FetchRequest fromJson(JsonObject json) {
    return new FetchRequest(
        json.getString("topic"),
        json.getInteger("partition", -1),
        json.getLong("fetchOffset", 0L),
        json.getInteger("maxBytes", 1 << 20),
        json.getInteger("minBytes", 1),
        json.getInteger("maxWaitMs", 500),
        json.getInteger("replicaId", CONSUMER_REPLICA_ID),
        json.getInteger("currentLeaderEpoch", NO_EPOCH));
  }
}
