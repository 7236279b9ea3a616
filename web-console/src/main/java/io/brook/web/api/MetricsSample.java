package io.brook.web.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * One sampling of the cluster's metrics ({@link ClusterMetricsSampler}): rates over the last interval
 * (from every broker's cumulative counters), each topic's records, size and under-replicated count as its
 * leaders reported them, the partitions of watched topics, and the brokers' data dirs. Immutable; shared
 * between event loops.
 */
record MetricsSample(long ts, long intervalMs, Rates totals, Map<String, TopicFigures> topics,
    Map<String, Map<Integer, Rates>> partitions, JsonArray brokers) {

  /** Records and bytes per second, in (appended for producers) and out (sent to consumers). */
  record Rates(double inRecordsPerSec, double inBytesPerSec, double outRecordsPerSec, double outBytesPerSec) {
    static final Rates ZERO = new Rates(0, 0, 0, 0);

    Rates plus(Rates other) {
      return new Rates(inRecordsPerSec + other.inRecordsPerSec, inBytesPerSec + other.inBytesPerSec,
          outRecordsPerSec + other.outRecordsPerSec, outBytesPerSec + other.outBytesPerSec);
    }

    boolean isZero() {
      return inRecordsPerSec == 0 && inBytesPerSec == 0 && outRecordsPerSec == 0 && outBytesPerSec == 0;
    }

    JsonObject toJson() {
      return putInto(new JsonObject());
    }

    JsonObject putInto(JsonObject json) {
      return json.put("inRecordsPerSec", round(inRecordsPerSec)).put("inBytesPerSec", round(inBytesPerSec))
          .put("outRecordsPerSec", round(outRecordsPerSec)).put("outBytesPerSec", round(outBytesPerSec));
    }

    private static double round(double value) {
      return Math.round(value * 1000) / 1000.0;
    }
  }

  /** A topic's rates and, from its leaders, its records (high watermark minus log start), bytes and under-replicated partitions. */
  record TopicFigures(Rates rates, long records, long sizeBytes, int underReplicated) {
    static final TopicFigures NONE = new TopicFigures(Rates.ZERO, 0, 0, 0);
  }

  TopicFigures topic(String name) {
    return topics.getOrDefault(name, TopicFigures.NONE);
  }

  /** {@code GET /api/metrics/cluster}. */
  JsonObject clusterJson() {
    JsonObject topicsJson = new JsonObject();
    topics.forEach((name, figures) -> topicsJson.put(name, figures.rates().toJson()
        .put("records", figures.records()).put("sizeBytes", figures.sizeBytes())));
    return new JsonObject().put("ts", ts).put("intervalMs", intervalMs).put("brokers", brokers.copy())
        .put("totals", totals.toJson()).put("topics", topicsJson);
  }

  /**
   * One {@code sample} event: totals, the rates of topics that moved (and of {@code topic}, moving or not),
   * and the partitions of {@code topic} if given.
   */
  JsonObject streamJson(String topic) {
    JsonObject topicsJson = new JsonObject();
    topics.forEach((name, figures) -> {
      if (!figures.rates().isZero() || name.equals(topic)) { // the watched topic always: its chart needs zeros too
        topicsJson.put(name, figures.rates().toJson());
      }
    });
    JsonObject json = new JsonObject().put("ts", ts).put("intervalMs", intervalMs).put("totals", totals.toJson())
        .put("topics", topicsJson);
    if (topic != null) {
      JsonObject partitionsJson = new JsonObject();
      partitions.getOrDefault(topic, Map.of()).forEach((p, rates) -> partitionsJson.put(Integer.toString(p), rates.toJson()));
      json.put("topic", topic).put("partitions", partitionsJson);
    }
    return json;
  }
}
