package io.brook.verticles.log;

import io.brook.protocol.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;

/**
 * The broker's one scheduler for log maintenance: two periodic timers that publish the flush and
 * retention ticks to every local log verticle, instead of a timer per partition.
 */
public final class LogScheduler {
  private final Vertx vertx;
  private long flushTimer = -1;
  private long retentionTimer = -1;

  public LogScheduler(Vertx vertx) {
    this.vertx = vertx;
  }

  public void start(long flushIntervalMs, long retentionIntervalMs) {
    DeliveryOptions local = new DeliveryOptions().setLocalOnly(true);
    flushTimer = vertx.setPeriodic(flushIntervalMs, id -> vertx.eventBus().publish(Addresses.LOCAL_FLUSH_TICK, id, local));
    retentionTimer = vertx.setPeriodic(retentionIntervalMs,
        id -> vertx.eventBus().publish(Addresses.LOCAL_RETENTION_TICK, id, local));
  }

  public void stop() {
    vertx.cancelTimer(flushTimer);
    vertx.cancelTimer(retentionTimer);
  }
}
