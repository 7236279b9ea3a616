package io.brook.verticles.metadata;

import io.brook.metadata.MetadataImage;
import io.brook.metadata.MetadataImageBuilder;
import io.brook.metadata.MetadataReplayException;
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
 * applies them in order (passing over, and reporting, any that cannot be read or applied), and publishes the new image locally ({@link Addresses#LOCAL_METADATA_IMAGE})
 * for the replica manager, the metadata API and the broker's lifecycle. Only committed records are
 * applied, and committed records are never truncated, so an image never goes back.
 *
 * <p>Runs on one event loop; the only owner of this broker's current image.
 */
public final class MetadataListenerVerticle extends VerticleBase {
  private static final System.Logger LOG = System.getLogger(MetadataListenerVerticle.class.getName());
  private static final int READ_BYTES = 1 << 20;
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true).setSendTimeout(120_000);

  private final String logAddress = Addresses.localLog(MetadataTopic.NAME, 0);
  private MetadataImage image = MetadataImage.EMPTY;
  private long highWatermark;
  private boolean reading;
  private long quarantined;

  @Override
  public Future<?> start() {
    return Future.all(
        vertx.eventBus().<Long>localConsumer(Addresses.LOCAL_METADATA_HIGH_WATERMARK, m -> {
          highWatermark = Math.max(highWatermark, m.body());
          maybeRead();
        }).completion(),
        vertx.eventBus().localConsumer(Addresses.LOCAL_METADATA_CURRENT_IMAGE, m -> m.reply(image)).completion());
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
    for (MetadataTopic.Entry entry : entries) {
      if (entry.isControl()) {
        builder.skip(entry.offset());
      } else if (entry.unreadable() != null) {
        quarantine(builder, entry.offset(), entry.unreadable());
      } else {
        try {
          builder.apply(entry.record(), entry.offset());
        } catch (MetadataReplayException e) {
          quarantine(builder, entry.offset(), e.getMessage());
        }
      }
    }
    image = builder.build();
    MetadataImages.setLatest(vertx, image); // before publishing: whoever sees this image, the holder has it
    vertx.eventBus().publish(Addresses.LOCAL_METADATA_IMAGE, image, new DeliveryOptions().setLocalOnly(true));
  }

  /**
   * A committed record that cannot be read or does not fit the image is passed over, so one bad
   * record stops nothing else. Every broker replays the same log by the same rules, so every broker
   * passes over the same records and their images stay alike.
   */
  private void quarantine(MetadataImageBuilder builder, long offset, String why) {
    quarantined++;
    LOG.log(System.Logger.Level.ERROR, "Metadata record at offset " + offset + " of " + MetadataTopic.NAME
        + " is quarantined (" + quarantined + " so far): " + why);
    builder.skip(offset);
  }
}
