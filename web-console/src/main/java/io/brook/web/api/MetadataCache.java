package io.brook.web.api;

import io.brook.protocol.message.MetadataRequest;
import io.brook.protocol.message.MetadataResponse;
import io.brook.protocol.message.TopicMetadata;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.protocol.Errors;

/**
 * Topic metadata (partition count and leaders) as the HTTP API last saw it, trusted for
 * {@code maxAgeMs}. Concurrent lookups of one topic share one metadata request, so a burst of
 * produce requests costs one round trip. Unknown topics are not cached: they may be created any
 * moment. Owned by the event loop of the verticle that created it; not thread-safe.
 */
final class MetadataCache {
  private record Entry(TopicMetadata metadata, long fetchedAtMs) {}

  private final Function<MetadataRequest, Future<MetadataResponse>> fetcher;
  private final LongSupplier nowMs;
  private final long maxAgeMs;
  private final Map<String, Entry> entries = new HashMap<>();
  private final Map<String, Future<TopicMetadata>> inFlight = new HashMap<>();

  MetadataCache(Function<MetadataRequest, Future<MetadataResponse>> fetcher, LongSupplier nowMs, long maxAgeMs) {
    this.fetcher = fetcher;
    this.nowMs = nowMs;
    this.maxAgeMs = maxAgeMs;
  }

  /** The topic's metadata; fails with the topic's error (e.g. UNKNOWN_TOPIC_OR_PARTITION). */
  Future<TopicMetadata> topic(String name) {
    return topic(name, maxAgeMs);
  }

  /** The topic's metadata, fetched at most {@code maxAgeMs} ago (a tighter bound than the cache's own). */
  Future<TopicMetadata> topic(String name, long maxAgeMs) {
    Entry entry = entries.get(name);
    if (entry != null && nowMs.getAsLong() - entry.fetchedAtMs() < Math.min(maxAgeMs, this.maxAgeMs)) {
      return Future.succeededFuture(entry.metadata());
    }
    Future<TopicMetadata> pending = inFlight.get(name);
    if (pending != null) {
      return pending;
    }
    Future<TopicMetadata> lookup = fetcher.apply(new MetadataRequest(List.of(name)))
        .map(response -> accept(name, response));
    inFlight.put(name, lookup);
    lookup.onComplete(done -> inFlight.remove(name));
    return lookup;
  }

  /** Forgets the topic, so the next lookup asks a broker. */
  void invalidate(String name) {
    entries.remove(name);
  }

  int size() {
    return entries.size();
  }

  private TopicMetadata accept(String name, MetadataResponse response) {
    TopicMetadata found;
    try {
      found = topicIn(name, response);
    } catch (RuntimeException e) {
      entries.remove(name);
      throw e;
    }
    entries.put(name, new Entry(found, nowMs.getAsLong()));
    return found;
  }

  /** The topic in a metadata answer; its error (e.g. UNKNOWN_TOPIC_OR_PARTITION) as the exception. */
  static TopicMetadata topicIn(String name, MetadataResponse response) {
    TopicMetadata found = response.topics().stream()
        .filter(topic -> name.equals(topic.name()))
        .findFirst()
        .orElseThrow(() -> new UnknownTopicOrPartitionException("Topic '" + name + "' does not exist"));
    if (found.error() != null && !found.error().isEmpty() && !Errors.NONE.name().equals(found.error())) {
      throw errorOf(found.error()).exception(detail(name, found.error()));
    }
    return found;
  }

  private static Errors errorOf(String name) {
    try {
      return Errors.valueOf(name);
    } catch (IllegalArgumentException unknownName) {
      return Errors.UNKNOWN_SERVER_ERROR;
    }
  }

  private static String detail(String topic, String error) {
    if (Errors.TOPIC_AUTHORIZATION_FAILED.name().equals(error)) {
      return "Not authorized to DESCRIBE topic '" + topic + "'";
    }
    return Errors.UNKNOWN_TOPIC_OR_PARTITION.name().equals(error)
        ? "Topic '" + topic + "' does not exist"
        : "topic '" + topic + "': " + error;
  }
}
