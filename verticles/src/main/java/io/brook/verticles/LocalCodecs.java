package io.brook.verticles;

import io.brook.metadata.MetadataImage;
import io.brook.protocol.codec.BrookCodecs;
import io.brook.verticles.log.LogRequests;
import io.brook.verticles.partition.DescribePartition;
import io.brook.verticles.partition.PartitionUpdate;
import io.vertx.core.eventbus.EventBus;

/** Registers the wire codecs and every broker-local message type's local codec. Idempotent. */
public final class LocalCodecs {
  private LocalCodecs() {}

  public static void register(EventBus bus) {
    BrookCodecs.register(bus);
    LogRequests.TYPES.forEach(type -> BrookCodecs.registerLocal(bus, type));
    BrookCodecs.registerLocal(bus, DescribePartition.class);
    BrookCodecs.registerLocal(bus, PartitionUpdate.class);
    BrookCodecs.registerLocal(bus, MetadataImage.class);
  }
}
