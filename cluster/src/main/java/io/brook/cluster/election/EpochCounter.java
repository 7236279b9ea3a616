package io.brook.cluster.election;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Counter;
import java.util.concurrent.TimeUnit;

/**
 * The cluster counter {@code brook.controller.epoch}: the last allocated controller epoch. Only the
 * holder of the lock writes it, and only with compare-and-set: in ZooKeeper mode the values returned by
 * {@code incrementAndGet} are not unique (notes §2.2), and in Hazelcast mode the counter can fall back to
 * 0 (full restart, or owner and backups dead at once).
 *
 * <p>The {@code Counter} is fetched on a worker thread: vertx-hazelcast's {@code getCounter} runs a
 * blocking {@code IMap.putIfAbsent} in the caller's thread, which can hang after a freeze until Hazelcast
 * merges. It is then reused, so the once-a-second check ties up no worker thread however long the cluster
 * hangs; it is fetched again after any failure or a missing value, which also re-creates a Hazelcast entry
 * lost with its owner and backups. Each operation fails after {@code timeoutMs}, so a hung cluster never
 * wedges the election. Used from the election's context only.
 */
final class EpochCounter {
  static final String NAME = "brook.controller.epoch";
  private static final int MAX_CAS_ATTEMPTS = 16;

  private final Vertx vertx;
  private final Context context;
  private final long timeoutMs;
  private volatile Future<Counter> counter; // null: fetch anew

  EpochCounter(Vertx vertx, Context context, long timeoutMs) {
    this.vertx = vertx;
    this.context = context;
    this.timeoutMs = timeoutMs;
  }

  /** The epoch a new controller takes: above the counter and above every epoch this broker accepted. */
  static long nextEpoch(long counter, long knownEpoch) {
    return Math.max(counter, knownEpoch) + 1;
  }

  /** Allocates {@link #nextEpoch} with {@code get} + {@code compareAndSet}, retrying if the counter moved. */
  Future<Long> allocate(long knownEpoch) {
    return guarded(counter().compose(c -> allocate(c, knownEpoch, MAX_CAS_ATTEMPTS)));
  }

  private Future<Long> allocate(Counter c, long knownEpoch, int attempts) {
    return read(c).compose(v -> {
      long next = nextEpoch(v, knownEpoch);
      return c.compareAndSet(v, next).compose(ok -> {
        if (ok) {
          return Future.succeededFuture(next);
        }
        return attempts > 1 ? allocate(c, knownEpoch, attempts - 1)
            : Future.failedFuture("counter " + NAME + " keeps moving under the lock holder");
      });
    });
  }

  /**
   * The controller's check: the counter's value, first restored to {@code epoch} if it fell below it
   * (a lost Hazelcast counter; the next winner must still go above {@code epoch}).
   */
  Future<Long> confirm(long epoch) {
    return guarded(counter().compose(c -> read(c).compose(v -> {
      if (v >= epoch) {
        return Future.succeededFuture(v);
      }
      return c.compareAndSet(v, epoch).compose(ok -> ok ? Future.succeededFuture(epoch) : read(c));
    })));
  }

  /**
   * Step-down decision: true if the lock may be released, i.e. the counter still equals {@code epoch}, so
   * nobody was elected after this node and it really still holds the lock (with Hazelcast, release() is
   * forceUnlock and would break a newer controller's lock). A higher {@code raiseTo} (an epoch some broker
   * persisted) is written first, so that the next controller allocates above it.
   */
  Future<Boolean> mayRelease(long epoch, long raiseTo) {
    return guarded(counter().compose(c -> read(c).compose(v -> {
      if (v != epoch) {
        return Future.succeededFuture(false);
      }
      return raiseTo > v ? c.compareAndSet(v, raiseTo) : Future.succeededFuture(true);
    })));
  }

  private Future<Long> read(Counter c) {
    return c.get().map(v -> {
      if (v == null) { // the Hazelcast entry was lost with its owner and backups: re-create it next time
        counter = null;
        return 0L;
      }
      return v;
    });
  }

  private <T> Future<T> guarded(Future<T> operation) {
    return operation.timeout(timeoutMs, TimeUnit.MILLISECONDS).onFailure(e -> counter = null);
  }

  private Future<Counter> counter() {
    if (counter == null) {
      counter = context.<Future<Counter>>executeBlocking(() -> vertx.sharedData().getCounter(NAME), false)
          .compose(f -> f);
    }
    return counter;
  }
}
