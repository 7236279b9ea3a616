package io.brook.kafka;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.LocalPartitionDoor;
import io.brook.protocol.message.FetchResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FetchRequest;

/**
 * Fetch for consumers: each partition is read from its leader (through the node's {@link LocalPartitionDoor}
 * when this node leads it, else {@code brook.api.broker.<leader>.fetch}), the batches passed on as read:
 * from this node's leaders as a slice of the segment file, which the connection sends with sendfile (not
 * through TLS). First every partition is read at once; if that gives fewer than
 * {@code min_bytes} (and {@code max_wait_ms} is not 0), every partition long-polls its leader and the
 * response goes as soon as one of them has records, or at {@code max_wait_ms}. No fetch sessions (the
 * response's session id is 0: clients send full requests), no follower fetching. Served up to v12 (v13
 * names topics by id). {@code max_bytes} bounds the response as in Kafka: partitions' records are kept in
 * order while they fit, the first non-empty one always (a batch larger than the limit still goes).
 */
final class FetchApi implements KafkaApi {
  private final Vertx vertx;
  private final PartitionLeaders leaders;
  /** Where reads from a leader on this node go (null: through the node's event bus door as any other). */
  private final LocalPartitionDoor localDoor;

  FetchApi(Vertx vertx, PartitionLeaders leaders, LocalPartitionDoor localDoor) {
    this.vertx = vertx;
    this.leaders = leaders;
    this.localDoor = localDoor;
  }

  @Override
  public ApiKeys key() {
    return ApiKeys.FETCH;
  }

  @Override
  public short maxVersion() {
    return 12;
  }

  /** One partition asked for, and what its leader answered last (a response, or a failure). */
  private static final class Part {
    final String topic;
    final FetchRequestData.FetchPartition asked;
    FetchResponse read;
    Errors error = Errors.NONE;

    Part(String topic, FetchRequestData.FetchPartition asked) {
      this.topic = topic;
      this.asked = asked;
    }

    int bytes() {
      return read == null ? 0 : read.sizeInBytes();
    }
  }

  @Override
  public Future<AbstractResponse> handle(KafkaRequest request) {
    FetchRequestData data = ((FetchRequest) request.body()).data();
    List<Part> parts = new ArrayList<>();
    for (FetchRequestData.FetchTopic topic : data.topics()) {
      for (FetchRequestData.FetchPartition partition : topic.partitions()) {
        parts.add(new Part(topic.topic(), partition));
      }
    }
    return readAll(request, parts, 0, 0).compose(v -> {
      int bytes = parts.stream().mapToInt(Part::bytes).sum();
      boolean failed = parts.stream().anyMatch(p -> p.error != Errors.NONE);
      if (parts.isEmpty() || failed || bytes >= Math.max(1, data.minBytes()) || data.maxWaitMs() <= 0) {
        return Future.succeededFuture(response(parts, data.maxBytes()));
      }
      return longPoll(request, parts, data.maxWaitMs(), data.maxBytes());
    });
  }

  private Future<Void> readAll(KafkaRequest request, List<Part> parts, int maxWaitMs, int minBytes) {
    List<Future<Void>> reads = new ArrayList<>();
    for (Part part : parts) {
      reads.add(read(request, part, maxWaitMs, minBytes));
    }
    return Future.join(reads).mapEmpty();
  }

  /** Every partition waits at its leader; the first with records (or an error), or the deadline, answers. */
  private Future<AbstractResponse> longPoll(KafkaRequest request, List<Part> parts, int maxWaitMs, int maxBytes) {
    Promise<AbstractResponse> answered = Promise.promise();
    int[] open = {parts.size()};
    for (Part part : parts) {
      read(request, part, maxWaitMs, 1).onComplete(done -> {
        open[0]--;
        if (part.bytes() > 0 || part.error != Errors.NONE || open[0] == 0) {
          answered.tryComplete(response(parts, maxBytes));
        }
      });
    }
    long timer = vertx.setTimer(maxWaitMs + 1_000L, t -> answered.tryComplete(response(parts, maxBytes)));
    return answered.future().andThen(done -> vertx.cancelTimer(timer));
  }

  private Future<Void> read(KafkaRequest request, Part part, int maxWaitMs, int minBytes) {
    FetchRequestData.FetchPartition asked = part.asked;
    io.brook.protocol.message.FetchRequest brook = new io.brook.protocol.message.FetchRequest(part.topic,
        asked.partition(), asked.fetchOffset(), asked.partitionMaxBytes(), minBytes, maxWaitMs,
        io.brook.protocol.message.FetchRequest.CONSUMER_REPLICA_ID, asked.currentLeaderEpoch());
    return leaders.leader(part.topic, asked.partition())
        .compose(leader -> localDoor != null && leaders.isLocal(leader)
            ? localDoor.fetch(brook, request.caller(), request.sendsFileRegions())
            : vertx.eventBus().<FetchResponse>request(Addresses.fetch(leader), brook,
                options(request, leader, maxWaitMs + 10_000L)).map(Message::body))
        .<Void>map(read -> {
          part.read = read;
          part.error = Errors.NONE;
          return null;
        })
        .recover(failure -> {
          part.error = BrookErrors.errorOf(failure);
          if (PartitionErrors.leaderMayHaveMoved(part.error)) {
            leaders.forget(part.topic);
          }
          return Future.succeededFuture();
        });
  }

  /** A leader on this node may answer with its segment's slice, which the connection sends from the file. */
  private DeliveryOptions options(KafkaRequest request, int leader, long timeoutMs) {
    DeliveryOptions options = request.onBehalfOfClient(timeoutMs);
    return leaders.isLocal(leader) && request.sendsFileRegions()
        ? options.addHeader(Addresses.FILE_RECORDS_HEADER, "") : options;
  }

  private static AbstractResponse response(List<Part> parts, int maxBytes) {
    FetchResponseData data = new FetchResponseData().setSessionId(0).setErrorCode(Errors.NONE.code());
    FetchableTopicResponse current = null;
    long budget = maxBytes <= 0 ? Long.MAX_VALUE : maxBytes;
    boolean anyRecords = false;
    for (Part part : parts) {
      if (current == null || !current.topic().equals(part.topic)) {
        current = new FetchableTopicResponse().setTopic(part.topic);
        data.responses().add(current);
      }
      PartitionData out = new PartitionData().setPartitionIndex(part.asked.partition()).setErrorCode(part.error.code())
          .setHighWatermark(-1).setLastStableOffset(-1).setLogStartOffset(-1).setPreferredReadReplica(-1)
          .setAbortedTransactions(null).setRecords(MemoryRecords.EMPTY);
      if (part.error == Errors.NONE && part.read != null) {
        out.setHighWatermark(part.read.highWatermark()).setLastStableOffset(part.read.highWatermark())
            .setLogStartOffset(part.read.logStartOffset());
        int size = part.bytes();
        if (size > 0 && (!anyRecords || size <= budget)) { // else read again by the next fetch
          out.setRecords(part.read.baseRecords());
          budget -= size;
          anyRecords = true;
        }
      }
      current.partitions().add(out);
    }
    return org.apache.kafka.common.requests.FetchResponse.of(data);
  }
}
