package io.brook.protocol;

import io.brook.protocol.message.FetchRequest;
import io.brook.protocol.message.FetchResponse;
import io.brook.protocol.message.ProduceRequest;
import io.brook.protocol.message.ProduceResponse;
import io.vertx.core.Future;

/**
 * A node's door to the partition leaders it hosts, for the front ends running on that node (the Kafka
 * listener): the checks, meters and answers of the broker's event bus door ({@code brook.api.broker.<id>.*})
 * without its hop, so that a request for a local leader crosses one event bus hop, not two. A partition
 * without a leader verticle here fails with NOT_LEADER_OR_FOLLOWER (the caller asked this node because
 * its metadata named it leader, so the leader has moved or is not deployed yet).
 */
public interface LocalPartitionDoor {
  /** Validated, refused for an internal topic, WRITE checked; acks=0 is sent and completes with null at once. */
  Future<ProduceResponse> produce(ProduceRequest request, Caller caller);

  /**
   * Validated, refused for an internal topic, READ checked. {@code fileRecords}: the answer may hold a
   * slice of the segment file ({@link FetchResponse#file()}) for the caller to send to its socket.
   */
  Future<FetchResponse> fetch(FetchRequest request, Caller caller, boolean fileRecords);
}
