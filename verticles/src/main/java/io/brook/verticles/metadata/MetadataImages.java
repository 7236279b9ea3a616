package io.brook.verticles.metadata;

import io.brook.protocol.Addresses;
import io.brook.metadata.MetadataImage;
import io.brook.verticles.replica.ReplicaManagerVerticle;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;

/**
 * How a verticle follows this broker's metadata images: the ones the listener publishes from now on,
 * and the one it published before the verticle subscribed (asked for once), each delivered once and
 * in order; an older image arriving late is dropped. Call from the verticle's start, on its context.
 */
public final class MetadataImages {
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true).setSendTimeout(30_000);

  private static final String LATEST = "brook.metadata.latest-image";

  private MetadataImages() {}

  /** Holds the listener's newest image for readers that must never be behind any verticle of this broker. */
  private static final class Latest implements io.vertx.core.shareddata.Shareable {
    final java.util.concurrent.atomic.AtomicReference<MetadataImage> image =
        new java.util.concurrent.atomic.AtomicReference<>(MetadataImage.EMPTY);
  }

  private static Latest latestHolder(Vertx vertx) {
    return vertx.sharedData().<String, Latest>getLocalMap(LATEST).computeIfAbsent(LATEST, key -> new Latest());
  }

  /**
   * This broker's newest committed image, read at the moment of a check (through the supplier): set by the metadata listener
   * before it publishes the image, so it is never older than what any verticle of this broker has seen
   * (a user's new password, an ACL, answered as done by the metadata API, is in force at once for the
   * security checks of every verticle, which follow images at their own pace). Any thread.
   */
  public static java.util.function.Supplier<MetadataImage> latest(Vertx vertx) {
    return latestHolder(vertx).image::get; // the holder looked up once, not on every check
  }

  static void setLatest(Vertx vertx, MetadataImage image) {
    latestHolder(vertx).image.set(image);
  }

  /** Completes once subscribed; {@code handler} then gets every newer image. */
  public static Future<Void> follow(Vertx vertx, Handler<MetadataImage> handler) {
    long[] delivered = {Long.MIN_VALUE};
    Handler<MetadataImage> inOrder = image -> {
      if (image.lastOffset() > delivered[0]) {
        delivered[0] = image.lastOffset();
        handler.handle(image);
      }
    };
    return vertx.eventBus().<MetadataImage>localConsumer(Addresses.LOCAL_METADATA_IMAGE,
            m -> inOrder.handle(m.body())).completion()
        .onSuccess(subscribed -> vertx.eventBus().<MetadataImage>request(Addresses.LOCAL_METADATA_CURRENT_IMAGE, "", LOCAL)
            .onSuccess(current -> inOrder.handle(current.body())));
  }
}
