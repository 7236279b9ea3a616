package io.brook.client.internals;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Collections;
import java.util.Comparator;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.Collection;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;

/**
 * Runs the application's {@link ConsumerRebalanceListener} where Kafka's consumer runs it: inside a
 * poll (or unsubscribe, or close), on the caller's side. The caller's Vert.x context when the call
 * was made on one (the listener runs there, then the consumer goes on on its own context), else the
 * consumer's context (a plain {@code main} waiting on the poll's future). Partitions are handed over
 * sorted by topic and partition, as Kafka's. An exception from the listener does not stop the
 * rebalance: it is answered (the first one is raised from the poll afterwards, as Kafka does).
 *
 * <p>Used on the consumer's context; every future completes there.
 */
final class RebalanceListenerInvoker {
  private static final System.Logger LOG = System.getLogger(RebalanceListenerInvoker.class.getName());
  static final Comparator<TopicPartition> ORDER = Comparator.comparing(TopicPartition::topic)
      .thenComparingInt(TopicPartition::partition);

  private final SubscriptionState subscriptions;
  private final Context own;
  private final String groupId;

  RebalanceListenerInvoker(SubscriptionState subscriptions, Context own, String groupId) {
    this.subscriptions = subscriptions;
    this.own = own;
    this.groupId = groupId;
  }

  static SortedSet<TopicPartition> sorted(Collection<TopicPartition> partitions) {
    SortedSet<TopicPartition> set = new TreeSet<>(ORDER);
    set.addAll(partitions);
    return set;
  }

  /** The listener's exception, or null. */
  Future<Throwable> revoked(SortedSet<TopicPartition> partitions, Context caller) {
    return invoke("onPartitionsRevoked", ConsumerRebalanceListener::onPartitionsRevoked, partitions, caller);
  }

  Future<Throwable> assigned(SortedSet<TopicPartition> partitions, Context caller) {
    return invoke("onPartitionsAssigned", ConsumerRebalanceListener::onPartitionsAssigned, partitions, caller);
  }

  Future<Throwable> lost(SortedSet<TopicPartition> partitions, Context caller) {
    return invoke("onPartitionsLost", ConsumerRebalanceListener::onPartitionsLost, partitions, caller);
  }

  private Future<Throwable> invoke(String method, BiConsumer<ConsumerRebalanceListener, Collection<TopicPartition>> call,
      SortedSet<TopicPartition> partitions, Context caller) {
    LOG.log(System.Logger.Level.INFO, "Group " + groupId + ": " + method + " " + partitions);
    Optional<ConsumerRebalanceListener> listener = subscriptions.rebalanceListener();
    if (listener.isEmpty()) {
      return Future.succeededFuture();
    }
    SortedSet<TopicPartition> handed = Collections.unmodifiableSortedSet(partitions);
    if (caller == null) {
      return Future.succeededFuture(run(listener.get(), method, call, handed));
    }
    Promise<Throwable> done = Promise.promise();
    caller.runOnContext(v -> {
      Throwable error = run(listener.get(), method, call, handed);
      own.runOnContext(w -> done.complete(error));
    });
    return done.future();
  }

  private Throwable run(ConsumerRebalanceListener listener, String method,
      BiConsumer<ConsumerRebalanceListener, Collection<TopicPartition>> call, SortedSet<TopicPartition> partitions) {
    try {
      call.accept(listener, partitions);
      return null;
    } catch (RuntimeException | Error e) {
      LOG.log(System.Logger.Level.ERROR, "Group " + groupId + ": the rebalance listener " + listener.getClass().getName()
          + " failed in " + method + " for " + partitions, e);
      return e;
    }
  }
}
