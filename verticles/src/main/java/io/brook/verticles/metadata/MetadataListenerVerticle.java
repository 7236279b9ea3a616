package io.brook.verticles.metadata;

import io.brook.metadata.MetadataImage;
import io.brook.metadata.MetadataImageBuilder;
import io.brook.protocol.Addresses;
import io.brook.verticles.log.LogRequests;
import io.brook.verticles.replica.ReplicaManagerVerticle;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.List;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * Turns the committed part of this broker's metadata log into {@link MetadataImage}s: whenever the
 * metadata partition's high watermark moves, reads the new committed records from the local log,
 * applies them in order, and publishes the new image locally ({@link ReplicaManagerVerticle#LOCAL_METADATA_IMAGE})
 * for the replica manager, the metadata API and the broker's lifecycle. Only committed records are
 * applied, and committed records are never truncated, so an image never goes back.
 *
 * <p>Runs on one event loop; the only owner of this broker's current image.
 */
public final class MetadataListenerVerticle extends VerticleBase {
  private static final int READ_BYTES = 1 << 20;
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true).setSendTimeout(120_000);

  private final String logAddress = Addresses.localLog(MetadataTopic.NAME, 0);
  private MetadataImage image = MetadataImage.EMPTY;
  private long highWatermark;
  private boolean reading;

  @Override
  public Future<?> start() {
    return Future.all(
        vertx.eventBus().<Long>localConsumer(MetadataTopic.LOCAL_HIGH_WATERMARK, m -> {
          highWatermark = Math.max(highWatermark, m.body());
          maybeRead();
        }).completion(),
        vertx.eventBus().localConsumer(MetadataImages.LOCAL_CURRENT_IMAGE, m -> m.reply(image)).completion());
  }

  private long nextOffset() {
    return image.lastOffset() + 1;
  }

  private void maybeRead() {
    if (reading || nextOffset() >= highWatermark) {
      return;
    }
    reading = true;
    long from = nextOffset();
    long to = highWatermark;
    vertx.eventBus().<LogRequests.ReadDone>request(logAddress, new LogRequests.Read(from, READ_BYTES, to), LOCAL)
        .onComplete(done -> {
          reading = false;
          if (done.succeeded()) {
            apply(MetadataTopic.entries(MemoryRecords.readableRecords(done.result().body().records()), from, to));
          }
          maybeRead();
        });
  }

  private void apply(List<MetadataTopic.Entry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    MetadataImageBuilder builder = image.toBuilder();
    entries.forEach(entry -> {
      if (entry.isControl()) {
        builder.skip(entry.offset());
      } else {
        builder.apply(entry.record(), entry.offset());
      }
    });
    image = builder.build();
    vertx.eventBus().publish(ReplicaManagerVerticle.LOCAL_METADATA_IMAGE, image, new DeliveryOptions().setLocalOnly(true));
  }
}
