package io.brook.web.api;

import io.brook.protocol.Addresses;
import io.brook.protocol.message.BrokerInfo;
import io.brook.protocol.message.MetadataResponse;
import io.brook.web.api.MetricsSample.Rates;
import io.brook.web.api.MetricsSample.TopicFigures;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The node's one sampler of cluster-wide metrics for the console: while anyone watches (an open
 * {@code /api/metrics/stream}, or a metrics or topic-list request in the last {@link #INTEREST_MS}) it
 * asks every live broker's {@code brook.internal.broker.<id>.metrics-snapshot} once a second, turns the
 * cumulative counters into rates ({@link MetricsSample}), keeps the cluster totals of the last
 * {@link #HISTORY_SIZE} samples (15 minutes) and hands each sample to the open streams. With nobody
 * watching it stops, and asks nobody; its history stays (bounded) but rates restart from the next pair.
 *
 * <p>Memory is bounded: the history is a ring of {@link #HISTORY_SIZE} totals, the previous snapshot
 * of each broker, the latest sample, and at most {@link #MAX_WATCHED_TOPICS} topics watched per
 * partition. One per node (kept in the node's Vert.x local data, shared by the HTTP verticle
 * instances); every method is synchronized, and listeners are called on their own event loop.
 */
final class ClusterMetricsSampler implements Shareable {
  static final long INTERVAL_MS = 1_000;
  static final int HISTORY_SIZE = 900;
  /** How long a plain request (not a stream) keeps the sampler running. */
  static final long INTEREST_MS = 30_000;
  /** How long a broker may take to answer one snapshot request: less than the interval. */
  static final long SNAPSHOT_TIMEOUT_MS = 900;
  static final long BROKERS_MAX_AGE_MS = 5_000;
  static final int MAX_WATCHED_TOPICS = 100;
  private static final String KEY = "cluster-sampler";

  private final Vertx vertx;
  private final BrokerClient brokers;
  private final Map<Integer, JsonObject> previous = new HashMap<>();
  private final Map<String, Integer> watchedTopics = new HashMap<>();
  private final Map<Object, Listener> listeners = new LinkedHashMap<>();
  private final List<Promise<MetricsSample>> waiting = new ArrayList<>();
  private final long[] historyTs = new long[HISTORY_SIZE];
  private final double[][] historyRates = new double[HISTORY_SIZE][];
  private int historyEnd;
  private int historySize;
  private MetricsSample latest;
  private long timerId = -1;
  private long interestUntilMs;
  private int streams;
  private boolean sampling;
  private List<Integer> brokerIds = List.of();
  /** When {@link #brokerIds} was learned; 0: never (an age from Long.MIN_VALUE would overflow). */
  private long brokersAtMs;

  private record Listener(Context context, Consumer<MetricsSample> action) {}

  private ClusterMetricsSampler(Vertx vertx, BrokerClient brokers) {
    this.vertx = vertx;
    this.brokers = brokers;
  }

  /** The node's sampler; {@code brokers}: the listener's own client (snapshots are asked as the node, not a caller). */
  static ClusterMetricsSampler of(Vertx vertx, BrokerClient brokers) {
    LocalMap<String, Object> map = vertx.sharedData().getLocalMap("brook.web.metrics");
    Object found = map.get(KEY);
    if (found == null) {
      ClusterMetricsSampler made = new ClusterMetricsSampler(vertx, brokers);
      Object raced = map.putIfAbsent(KEY, made);
      found = raced == null ? made : raced;
    }
    return (ClusterMetricsSampler) found;
  }

  // ---- who watches ----

  /** One more open stream: the sampler runs while any is open (their number is capped by the HTTP layer). */
  synchronized void openStream() {
    streams++;
    ensureRunning();
  }

  synchronized void closeStream() {
    streams = Math.max(0, streams - 1);
  }

  /** A stream wants {@code topic}'s partitions in its samples; false beyond {@link #MAX_WATCHED_TOPICS} topics. */
  synchronized boolean watchTopic(String topic) {
    if (!watchedTopics.containsKey(topic) && watchedTopics.size() >= MAX_WATCHED_TOPICS) {
      return false;
    }
    watchedTopics.merge(topic, 1, Integer::sum);
    return true;
  }

  synchronized void unwatchTopic(String topic) {
    watchedTopics.computeIfPresent(topic, (t, n) -> n == 1 ? null : n - 1);
  }

  /** {@code action} gets every new sample, on the caller's event loop; {@code key} removes it. */
  synchronized void listen(Object key, Consumer<MetricsSample> action) {
    listeners.put(key, new Listener(vertx.getOrCreateContext(), action));
  }

  synchronized void unlisten(Object key) {
    listeners.remove(key);
  }

  // ---- reads ----

  /**
   * The latest sample if it is at most two intervals old, else the next one (the sampler starts if
   * it was idle); after {@code maxWaitMs} whatever there is (null if never sampled). Keeps the sampler
   * running for {@link #INTEREST_MS}.
   */
  synchronized Future<MetricsSample> recent(long maxWaitMs) {
    interestUntilMs = System.currentTimeMillis() + INTEREST_MS;
    ensureRunning();
    if (latest != null && System.currentTimeMillis() - latest.ts() <= 2 * INTERVAL_MS) {
      return Future.succeededFuture(latest);
    }
    Promise<MetricsSample> next = Promise.promise();
    waiting.add(next);
    vertx.setTimer(maxWaitMs, id -> {
      MetricsSample now;
      synchronized (this) {
        waiting.remove(next);
        now = latest;
      }
      next.tryComplete(now);
    });
    return next.future();
  }

  /** {@code GET /api/metrics/history}: the cluster totals of up to the last 15 minutes, oldest first. */
  synchronized JsonObject historyJson() {
    interestUntilMs = Math.max(interestUntilMs, System.currentTimeMillis() + INTEREST_MS);
    ensureRunning();
    JsonArray samples = new JsonArray();
    for (int i = 0; i < historySize; i++) {
      int at = Math.floorMod(historyEnd - historySize + i, HISTORY_SIZE);
      double[] r = historyRates[at];
      samples.add(new Rates(r[0], r[1], r[2], r[3]).putInto(new JsonObject().put("ts", historyTs[at])));
    }
    return new JsonObject().put("intervalMs", INTERVAL_MS).put("samples", samples);
  }

  // ---- sampling ----

  private void ensureRunning() {
    if (timerId < 0) {
      timerId = vertx.setPeriodic(1, INTERVAL_MS, id -> tick());
    }
  }

  private synchronized void tick() {
    if (streams == 0 && System.currentTimeMillis() > interestUntilMs) {
      vertx.cancelTimer(timerId);
      timerId = -1;
      previous.clear(); // the next start must not take a rate over the idle gap
      return;
    }
    if (sampling) {
      return; // the previous round is still out: skip a beat rather than pile up requests
    }
    sampling = true;
    JsonObject request = new JsonObject().put("topics", new JsonArray(new ArrayList<>(watchedTopics.keySet())));
    liveBrokers().compose(ids -> {
      List<Future<JsonObject>> answers = new ArrayList<>();
      for (int id : ids) {
        answers.add(brokers.<JsonObject>request(Addresses.metricsSnapshot(id), request, SNAPSHOT_TIMEOUT_MS)
            .otherwiseEmpty());
      }
      return Future.join(answers).map(done -> answers.stream().map(Future::result).filter(a -> a != null).toList());
    }).onComplete(done -> onSnapshots(done.succeeded() ? done.result() : List.of()));
  }

  private Future<List<Integer>> liveBrokers() {
    long nowMs = System.currentTimeMillis();
    if (nowMs - brokersAtMs < BROKERS_MAX_AGE_MS) {
      return Future.succeededFuture(brokerIds);
    }
    return brokers.<MetadataResponse>request(Addresses.METADATA, HealthHandler.NO_TOPIC, SNAPSHOT_TIMEOUT_MS)
        .map(metadata -> {
          synchronized (this) {
            brokerIds = metadata.brokers().stream().map(BrokerInfo::nodeId).sorted().toList();
            brokersAtMs = nowMs;
            return brokerIds;
          }
        })
        .recover(failure -> Future.succeededFuture(brokerIds));
  }

  private void onSnapshots(List<JsonObject> snapshots) {
    MetricsSample sample;
    List<Listener> toCall;
    List<Promise<MetricsSample>> toComplete;
    synchronized (this) {
      sampling = false;
      sample = combine(snapshots);
      latest = sample;
      historyTs[historyEnd] = sample.ts();
      Rates t = sample.totals();
      historyRates[historyEnd] = new double[] {t.inRecordsPerSec(), t.inBytesPerSec(), t.outRecordsPerSec(), t.outBytesPerSec()};
      historyEnd = (historyEnd + 1) % HISTORY_SIZE;
      historySize = Math.min(HISTORY_SIZE, historySize + 1);
      toCall = List.copyOf(listeners.values());
      toComplete = List.copyOf(waiting);
      waiting.clear();
    }
    toComplete.forEach(p -> p.tryComplete(sample));
    toCall.forEach(listener -> listener.context().runOnContext(v -> listener.action().accept(sample)));
  }

  /** Rates from each broker's counters against its previous snapshot; a broker seen for the first time adds none. */
  private MetricsSample combine(List<JsonObject> snapshots) {
    Map<String, long[]> figures = new HashMap<>(); // records, sizeBytes, underReplicated
    Map<String, Rates> topicRates = new HashMap<>();
    Map<String, Map<Integer, Rates>> partitionRates = new HashMap<>();
    JsonArray brokersJson = new JsonArray();
    Map<Integer, JsonObject> seen = new HashMap<>();
    long intervalMs = 0;
    for (JsonObject snapshot : snapshots) {
      int nodeId = snapshot.getInteger("nodeId", -1);
      seen.put(nodeId, snapshot);
      brokersJson.add(new JsonObject().put("nodeId", nodeId).put("dataDirs", snapshot.getJsonArray("dataDirs", new JsonArray())));
      JsonObject before = previous.get(nodeId);
      double seconds = before == null ? 0 : (snapshot.getLong("ts", 0L) - before.getLong("ts", 0L)) / 1000.0;
      intervalMs = Math.max(intervalMs, Math.round(seconds * 1000));
      JsonObject topics = snapshot.getJsonObject("topics", new JsonObject());
      JsonObject topicsBefore = before == null ? null : before.getJsonObject("topics", new JsonObject());
      for (String topic : topics.fieldNames()) {
        JsonArray row = topics.getJsonArray(topic);
        long[] sums = figures.computeIfAbsent(topic, t -> new long[3]);
        sums[0] += row.getLong(4);
        sums[1] += row.getLong(5);
        sums[2] += row.getLong(6);
        if (seconds > 0) {
          topicRates.merge(topic, rates(row, topicsBefore.getJsonArray(topic), seconds), Rates::plus);
        }
      }
      if (seconds > 0) {
        addPartitionRates(partitionRates, snapshot.getJsonObject("partitions", new JsonObject()),
            before.getJsonObject("partitions", new JsonObject()), seconds);
      }
    }
    previous.clear();
    previous.putAll(seen);
    Map<String, TopicFigures> topics = new HashMap<>();
    Rates totals = Rates.ZERO;
    for (Map.Entry<String, long[]> entry : figures.entrySet()) {
      Rates rates = topicRates.getOrDefault(entry.getKey(), Rates.ZERO);
      totals = totals.plus(rates);
      long[] sums = entry.getValue();
      topics.put(entry.getKey(), new TopicFigures(rates, sums[0], sums[1], (int) sums[2]));
    }
    return new MetricsSample(System.currentTimeMillis(), intervalMs, totals, topics, partitionRates, brokersJson);
  }

  private static void addPartitionRates(Map<String, Map<Integer, Rates>> out, JsonObject now, JsonObject before,
      double seconds) {
    for (String topic : now.fieldNames()) {
      JsonObject rows = now.getJsonObject(topic);
      JsonObject rowsBefore = before.getJsonObject(topic, new JsonObject());
      Map<Integer, Rates> partitions = out.computeIfAbsent(topic, t -> new HashMap<>());
      for (String p : rows.fieldNames()) {
        partitions.merge(Integer.parseInt(p), rates(rows.getJsonArray(p), rowsBefore.getJsonArray(p), seconds), Rates::plus);
      }
    }
  }

  /**
   * Counters 0..3 (records in, bytes in, records out, bytes out) per second. A row that was not there
   * before counts from 0 (its partition's meters were made in between); a counter that went back (the
   * partition left and came back) counts as 0.
   */
  private static Rates rates(JsonArray now, JsonArray before, double seconds) {
    double[] r = new double[4];
    for (int i = 0; i < 4; i++) {
      long delta = now.getLong(i) - (before == null ? 0 : before.getLong(i));
      r[i] = Math.max(0, delta) / seconds;
    }
    return new Rates(r[0], r[1], r[2], r[3]);
  }

  /** The latest sample, or null (tests). */
  synchronized MetricsSample latest() {
    return latest;
  }

}
