package io.brook.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.protocol.message.MetadataRequest;
import io.brook.protocol.message.MetadataResponse;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.TopicMetadata;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

/** The metadata cache trusts entries for max age, shares in-flight lookups and never caches unknown topics. */
class MetadataCacheTest {
  private final AtomicLong nowMs = new AtomicLong(1_000);
  private final List<Promise<MetadataResponse>> lookups = new ArrayList<>();
  private final MetadataCache cache = new MetadataCache(this::lookUp, nowMs::get, 5_000);

  private Future<MetadataResponse> lookUp(MetadataRequest request) {
    Promise<MetadataResponse> promise = Promise.promise();
    lookups.add(promise);
    return promise.future();
  }

  private static MetadataResponse known(String name, int leader) {
    PartitionMetadata partition = new PartitionMetadata(0, leader, 0, List.of(leader), List.of(leader));
    return new MetadataResponse(leader, List.of(), List.of(new TopicMetadata(name, null, (short) 1, List.of(partition))));
  }

  @Test
  void concurrentLookupsShareOneRequestAndEntriesExpire() {
    Future<TopicMetadata> first = cache.topic("t");
    Future<TopicMetadata> second = cache.topic("t");
    assertThat(lookups).hasSize(1);
    lookups.get(0).complete(known("t", 1));
    assertThat(first.result().partitions().get(0).leader()).isEqualTo(1);
    assertThat(second.result()).isSameAs(first.result());

    nowMs.addAndGet(4_999);
    assertThat(cache.topic("t").result()).isSameAs(first.result());
    assertThat(lookups).hasSize(1);

    nowMs.addAndGet(1);
    Future<TopicMetadata> refreshed = cache.topic("t");
    assertThat(lookups).hasSize(2);
    lookups.get(1).complete(known("t", 2));
    assertThat(refreshed.result().partitions().get(0).leader()).isEqualTo(2);
  }

  @Test
  void invalidateForcesALookup() {
    cache.topic("t");
    lookups.get(0).complete(known("t", 1));
    cache.invalidate("t");
    cache.topic("t");
    assertThat(lookups).hasSize(2);
  }

  @Test
  void unknownTopicsFailAndAreNotCached() {
    Future<TopicMetadata> missing = cache.topic("gone");
    lookups.get(0).complete(new MetadataResponse(1, List.of(),
        List.of(new TopicMetadata("gone", "UNKNOWN_TOPIC_OR_PARTITION", (short) -1, List.of()))));
    assertThat(missing.cause()).isInstanceOf(UnknownTopicOrPartitionException.class).hasMessageContaining("gone");
    assertThat(cache.size()).isZero();
    cache.topic("gone");
    assertThat(lookups).hasSize(2);
  }

  @Test
  void failedLookupsAreNotShared() {
    Future<TopicMetadata> failed = cache.topic("t");
    lookups.get(0).fail(new IllegalStateException("no broker"));
    assertThat(failed.failed()).isTrue();
    cache.topic("t");
    assertThat(lookups).hasSize(2);
  }

  @Test
  void aTighterMaxAgeAsksAgainSoonerAndRefreshesTheEntry() {
    cache.topic("t");
    lookups.get(0).complete(known("t", 1));
    nowMs.addAndGet(500);
    assertThat(cache.topic("t", 1_000).result().partitions().get(0).leader()).as("fresh enough").isEqualTo(1);
    assertThat(lookups).hasSize(1);
    nowMs.addAndGet(600);
    Future<TopicMetadata> fresher = cache.topic("t", 1_000);
    assertThat(lookups).hasSize(2);
    lookups.get(1).complete(known("t", 2));
    assertThat(fresher.result().partitions().get(0).leader()).isEqualTo(2);
    assertThat(cache.topic("t").result().partitions().get(0).leader()).as("shared with normal lookups").isEqualTo(2);
  }
}
