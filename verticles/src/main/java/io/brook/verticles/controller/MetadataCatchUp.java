package io.brook.verticles.controller;

import io.brook.metadata.MetadataImage;
import io.brook.protocol.Addresses;
import io.brook.protocol.message.MetadataLogEnd;
import io.brook.protocol.message.MetadataLogEndRequest;
import io.brook.protocol.message.MetadataReadRequest;
import io.brook.protocol.message.ReplicaFetchResponse;
import io.brook.verticles.log.LogRequests;
import io.brook.verticles.metadata.MetadataTopic;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * A new controller's first step: make its own metadata log the best copy in the cluster before it
 * leads it. It asks every broker it knows where its metadata log ends, picks the best (highest last
 * epoch, then the longest), and if that is not its own, reads from that broker as a follower would
 * (truncating a diverging tail by epoch) until it has everything. Every committed record is on
 * every broker that was in the metadata ISR when it committed, so the best reachable copy holds
 * them all.
 */
final class MetadataCatchUp {
  private static final int READ_BYTES = 1 << 20;
  private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(2_000);
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true).setSendTimeout(60_000);

  private final Vertx vertx;
  private final int localId;
  private final long epoch;
  private final String localLog = Addresses.localLog(MetadataTopic.NAME, 0);

  MetadataCatchUp(Vertx vertx, int localId, long epoch) {
    this.vertx = vertx;
    this.localId = localId;
    this.epoch = epoch;
  }

  Future<Void> run(MetadataImage knownBrokers) {
    List<Future<MetadataLogEnd>> asked = new ArrayList<>();
    knownBrokers.brokers().keySet().stream().filter(id -> id != localId).forEach(id ->
        asked.add(vertx.eventBus().<MetadataLogEnd>request(Addresses.metadataLog(id), new MetadataLogEndRequest(epoch), ASK)
            .map(Message::body)));
    return Future.join(asked).transform(answered -> ownEnd().compose(own -> {
      MetadataLogEnd best = asked.stream().filter(Future::succeeded).map(Future::result)
          .filter(end -> better(end, own)).max(Comparator.comparingInt(MetadataLogEnd::latestEpoch)
              .thenComparingLong(MetadataLogEnd::logEndOffset)).orElse(null);
      return best == null ? Future.succeededFuture() : readFrom(best.nodeId(), own);
    }));
  }

  private static boolean better(MetadataLogEnd other, MetadataLogEnd own) {
    return other.latestEpoch() > own.latestEpoch()
        || (other.latestEpoch() == own.latestEpoch() && other.logEndOffset() > own.logEndOffset());
  }

  private Future<MetadataLogEnd> ownEnd() {
    return vertx.eventBus().<LogRequests.LogOffsets>request(localLog, new LogRequests.Describe(), LOCAL)
        .map(m -> new MetadataLogEnd(localId, m.body().latestEpoch(), m.body().logEndOffset()));
  }

  private Future<Void> readFrom(int source, MetadataLogEnd own) {
    MetadataReadRequest read = new MetadataReadRequest(own.logEndOffset(), own.latestEpoch(), READ_BYTES);
    return vertx.eventBus().<ReplicaFetchResponse>request(Addresses.metadataLog(source), read, ASK).compose(reply -> {
      ReplicaFetchResponse response = reply.body();
      if (response.errorCode() != Errors.NONE.code()) {
        return Future.failedFuture("catching up the metadata log from broker " + source + ": "
            + Errors.forCode(response.errorCode()));
      }
      Object work;
      if (response.diverging()) {
        work = new LogRequests.TruncateDiverged(response.divergingEpoch(), response.divergingEndOffset());
      } else if (response.records().hasRemaining()) {
        work = new LogRequests.FollowerAppend(MemoryRecords.readableRecords(response.records()));
      } else {
        return Future.succeededFuture(); // caught up
      }
      return vertx.eventBus().<LogRequests.LogOffsets>request(localLog, work, LOCAL)
          .compose(done -> readFrom(source, new MetadataLogEnd(localId, done.body().latestEpoch(), done.body().logEndOffset())));
    });
  }
}
