package io.brook.verticles;

import io.brook.metadata.MetadataImage;
import io.brook.protocol.codec.BrookCodecs;
import io.brook.quorum.QuorumMessages;
import io.brook.verticles.log.LogRequests;
import io.brook.verticles.partition.DescribePartition;
import io.brook.verticles.partition.PartitionUpdate;
import io.brook.verticles.quorum.QuorumRequests;
import io.vertx.core.eventbus.EventBus;

/**
 * Registers the wire codecs, the metadata quorum's (JSON: brokers only ever exchange them among
 * themselves), and every broker-local message type's local codec. Idempotent.
 */
public final class LocalCodecs {
  /** The metadata quorum's messages between brokers. */
  public static final java.util.List<Class<?>> QUORUM_MESSAGES = java.util.List.of(
      QuorumMessages.QuorumVoteRequest.class, QuorumMessages.QuorumVoteResponse.class,
      QuorumMessages.QuorumBeginEpoch.class, QuorumMessages.QuorumFetchRequest.class,
      QuorumMessages.QuorumFetchResponse.class, QuorumMessages.QuorumStatus.class);

  private LocalCodecs() {}

  public static void register(EventBus bus) {
    BrookCodecs.register(bus);
    QUORUM_MESSAGES.forEach(type -> BrookCodecs.registerJson(bus, type));
    LogRequests.TYPES.forEach(type -> BrookCodecs.registerLocal(bus, type));
    QuorumRequests.TYPES.forEach(type -> BrookCodecs.registerLocal(bus, type));
    BrookCodecs.registerLocal(bus, DescribePartition.class);
    BrookCodecs.registerLocal(bus, io.brook.verticles.partition.DeleteRecordsOnLeader.class);
    BrookCodecs.registerLocal(bus, PartitionUpdate.class);
    BrookCodecs.registerLocal(bus, MetadataImage.class);
  }
}
