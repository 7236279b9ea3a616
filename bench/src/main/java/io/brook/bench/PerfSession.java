package io.brook.bench;

import io.brook.client.BrookAdmin;
import io.brook.client.BrookClients;
import io.brook.cluster.BrookCluster;
import io.brook.cluster.ClusterConfig;
import io.brook.cluster.MemberRole;
import io.brook.protocol.message.MetadataResponse;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.TopicMetadata;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * One perf run's connection to the cluster: a clustered Vert.x joined as a client (Hazelcast lite
 * member or ZooKeeper member), an admin client, and a shutdown hook so that Ctrl-C still leaves the
 * cluster cleanly (otherwise ZooKeeper keeps the run's registrations until its session expires and
 * requests routed to them time out).
 *
 * <p>Created and closed by the command's thread.
 */
final class PerfSession implements AutoCloseable {
  private static final long JOIN_TIMEOUT_S = 60;
  private static final long TOPIC_READY_TIMEOUT_MS = 30_000;

  final Vertx vertx;
  final BrookAdmin admin;
  private final Thread shutdownHook;
  private boolean closed;

  private PerfSession(Vertx vertx) {
    this.vertx = vertx;
    this.admin = BrookClients.admin(vertx, Map.of());
    this.shutdownHook = new Thread(this::closeVertx, "brook-perf-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  static PerfSession join(ClusterConfig config) throws Exception {
    Vertx vertx = BrookCluster.start(config, MemberRole.CLIENT).await(JOIN_TIMEOUT_S, TimeUnit.SECONDS);
    return new PerfSession(vertx);
  }

  /**
   * Creates the topic unless it exists, then waits until every partition has a leader.
   *
   * @return the topic's partition count
   */
  int ensureTopic(String topic, int partitions, short replicationFactor, Map<String, String> configs,
                  PrintWriter out) throws Exception {
    TopicMetadata existing = topicOf(admin.metadata().await(), topic);
    if (existing == null || existing.error() != null) {
      try {
        admin.createTopic(topic, partitions, replicationFactor, configs).await();
        out.printf(Locale.ROOT, "Created topic %s with %d partition(s), replication factor %d%s.%n", topic, partitions,
            replicationFactor, configs.isEmpty() ? "" : ", configs " + configs);
      } catch (TopicExistsException raced) {
        // another client created it meanwhile: fine
      }
    }
    long deadline = System.currentTimeMillis() + TOPIC_READY_TIMEOUT_MS;
    while (true) {
      TopicMetadata metadata = topicOf(admin.metadata().await(), topic);
      if (metadata != null && metadata.error() == null && !metadata.partitions().isEmpty()
          && metadata.partitions().stream().allMatch(p -> p.leader() >= 0)) {
        return metadata.partitions().stream().mapToInt(PartitionMetadata::partition).max().orElse(-1) + 1;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("Topic " + topic + " has no leader for every partition after "
            + TOPIC_READY_TIMEOUT_MS + " ms: " + metadata);
      }
      pause(100);
    }
  }

  /** The topic in {@code metadata}, or null when absent. */
  static TopicMetadata topicOf(MetadataResponse metadata, String topic) {
    return metadata.topics().stream().filter(t -> t.name().equals(topic)).findFirst().orElse(null);
  }

  /** Waits on a Vert.x timer (not a bare sleep): the wait ends with the timer or with the Vert.x. */
  void pause(long ms) {
    Promise<Void> elapsed = Promise.promise();
    vertx.setTimer(ms, id -> elapsed.tryComplete());
    elapsed.future().await();
  }

  /** A new event-loop context: clients created on it share it, and loops run on it hop no thread. */
  Context newContext() {
    return vertx.getOrCreateContext();
  }

  /** Runs {@code task} on {@code context} and answers its result. */
  static <T> T onContext(Context context, Callable<T> task) {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> {
      try {
        result.complete(task.call());
      } catch (Exception e) {
        result.fail(e);
      }
    });
    return result.future().await();
  }

  @Override
  public void close() {
    closeVertx();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // called from the hook itself
    }
  }

  private synchronized void closeVertx() {
    if (closed) {
      return;
    }
    closed = true;
    admin.close();
    try {
      vertx.close().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("Closing Vert.x failed: " + e);
    }
  }
}
