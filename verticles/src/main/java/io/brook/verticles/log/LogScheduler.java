package io.brook.verticles.log;

import io.brook.protocol.Addresses;
import io.brook.storage.OffsetMap;
import io.brook.verticles.BrokerConfig;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The broker's one scheduler for log maintenance: periodic timers that publish the flush,
 * retention and producer expiration ({@code producer.id.expiration.check.interval.ms}) ticks to
 * every local log verticle, instead of a timer per partition, and the log
 * cleaner's scheduling.
 *
 * <p>The cleaner (Kafka's {@code LogCleanerManager} with one cleaner thread): every
 * {@code log.cleaner.backoff.ms} it publishes a cleaner tick; each compacted log that is due answers
 * with a {@link LogRequests.CleanCandidate}. At the next tick, unless a clean is still running, the
 * dirtiest candidate gets a {@link LogRequests.Clean} lending it the broker's one offset map
 * ({@code log.cleaner.dedupe.buffer.size}, allocated on first use). The clean itself runs in that
 * log's verticle, on a worker thread, in order with the log's appends, rolls, retention and
 * truncations: the partition keeps one owner and no event loop blocks. One clean at a time per
 * broker bounds the memory; a log cleaned is busy for the round (its requests wait), as Kafka's
 * cleaner holds no lock but Brook's log has one owner.
 *
 * <p>Runs on the context of whoever called {@link #start} (the broker verticle's event loop): its
 * fields are touched there only.
 */
public final class LogScheduler {
  private static final System.Logger LOG = System.getLogger(LogScheduler.class.getName());
  /** Longest a round may take before the scheduler stops waiting for its answer (the log keeps the map). */
  static final long CLEAN_TIMEOUT_MS = 30 * 60_000L;

  private final Vertx vertx;
  private final Map<TopicPartition, Double> candidates = new HashMap<>();
  private long flushTimer = -1;
  private long retentionTimer = -1;
  private long producerExpirationTimer = -1;
  private long cleanerTimer = -1;
  private MessageConsumer<LogRequests.CleanCandidate> candidateConsumer;
  private BrokerConfig.CleanerSettings cleaner;
  private OffsetMap offsetMap;
  private boolean cleaning;

  public LogScheduler(Vertx vertx) {
    this.vertx = vertx;
  }

  public void start(long flushIntervalMs, long retentionIntervalMs, long producerExpirationCheckIntervalMs,
      BrokerConfig.CleanerSettings cleaner) {
    this.cleaner = cleaner;
    DeliveryOptions local = new DeliveryOptions().setLocalOnly(true);
    flushTimer = vertx.setPeriodic(flushIntervalMs, id -> vertx.eventBus().publish(Addresses.LOCAL_FLUSH_TICK, id, local));
    retentionTimer = vertx.setPeriodic(retentionIntervalMs,
        id -> vertx.eventBus().publish(Addresses.LOCAL_RETENTION_TICK, id, local));
    producerExpirationTimer = vertx.setPeriodic(producerExpirationCheckIntervalMs,
        id -> vertx.eventBus().publish(Addresses.LOCAL_PRODUCER_EXPIRATION_TICK, id, local));
    if (cleaner.enabled()) {
      candidateConsumer = vertx.eventBus().localConsumer(Addresses.LOCAL_CLEANER,
          message -> candidates.put(message.body().partition(), message.body().dirtyRatio()));
      cleanerTimer = vertx.setPeriodic(cleaner.backoffMs(), id -> onCleanerTick(local));
    }
  }

  /** Cleans the dirtiest log that reported since the last tick, then asks every log again. */
  private void onCleanerTick(DeliveryOptions local) {
    if (!cleaning && !candidates.isEmpty()) {
      TopicPartition dirtiest = candidates.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
      candidates.clear();
      clean(dirtiest);
    }
    vertx.eventBus().publish(Addresses.LOCAL_CLEANER_TICK, System.currentTimeMillis(), local);
  }

  private void clean(TopicPartition partition) {
    if (offsetMap == null) {
      offsetMap = new OffsetMap(cleaner.dedupeBufferBytes());
    }
    cleaning = true;
    DeliveryOptions options = new DeliveryOptions().setLocalOnly(true).setSendTimeout(CLEAN_TIMEOUT_MS);
    vertx.eventBus().<LogRequests.CleanDone>request(Addresses.localLog(partition.topic(), partition.partition()),
            new LogRequests.Clean(offsetMap, cleaner.ioBufferBytes()), options)
        .onComplete(done -> {
          if (done.failed()) {
            LOG.log(System.Logger.Level.WARNING, "Cleaning " + partition + " failed: " + done.cause().getMessage());
            if (done.cause() instanceof io.vertx.core.eventbus.ReplyException reply
                && reply.failureType() == io.vertx.core.eventbus.ReplyFailure.TIMEOUT) {
              offsetMap = null; // the log may still be using it: never lend it twice
            }
          }
          cleaning = false;
        });
  }

  public void stop() {
    vertx.cancelTimer(flushTimer);
    vertx.cancelTimer(retentionTimer);
    vertx.cancelTimer(producerExpirationTimer);
    vertx.cancelTimer(cleanerTimer);
    if (candidateConsumer != null) {
      candidateConsumer.unregister();
    }
  }
}
