package io.brook.verticles.metrics;

import io.brook.metadata.MetadataImage;
import io.brook.metadata.PartitionRegistration;
import io.brook.metadata.TopicImage;
import io.brook.protocol.Addresses;
import io.brook.protocol.GroupApi;
import io.brook.protocol.message.ListGroupsRequest;
import io.brook.protocol.message.ListGroupsResponse;
import io.brook.protocol.message.ListOffsetsRequest;
import io.brook.protocol.message.ListOffsetsResponse;
import io.brook.protocol.message.OffsetFetchRequest;
import io.brook.protocol.message.OffsetFetchResponse;
import io.brook.verticles.metadata.MetadataImages;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The {@code brook_group_lag} gauges of the consumer groups this broker coordinates: every
 * {@code metrics.group.lag.interval.ms} (30 s) it lists its coordinators' groups, fetches each group's committed offsets, asks
 * each partition's leader for its high watermark (this broker's own leaders answer from their meters)
 * and sets lag = high watermark - committed offset per group, topic and partition. Bounded: at most
 * {@link #MAX_GROUPS} groups and {@link #MAX_PARTITIONS} partitions a round, one round at a time, and
 * the round's requests are as the broker (no caller: cluster members are not checked against ACLs).
 * Gauges of a group or partition no longer committed go at the next round. Values are as fresh as the
 * last round, at most about {@code metrics.group.lag.interval.ms} (30 s) old. Runs on one event loop.
 */
public final class GroupLagVerticle extends VerticleBase {
  static final int MAX_GROUPS = 1_000;
  static final int MAX_PARTITIONS = 10_000;
  private static final long REQUEST_TIMEOUT_MS = 10_000;
  private static final System.Logger LOG = System.getLogger(GroupLagVerticle.class.getName());

  private final int nodeId;
  private final long intervalMs;
  private final Map<List<String>, Lag> lags = new HashMap<>();
  private final DeliveryOptions options = new DeliveryOptions().setSendTimeout(REQUEST_TIMEOUT_MS);
  private MeterRegistry registry;
  private BrokerMeters meters;
  private Supplier<MetadataImage> image;
  private boolean running;

  /** A gauge's value holder (read by the scrape thread). */
  private record Lag(AtomicLong value, Gauge gauge) {}

  public GroupLagVerticle(int nodeId, long intervalMs) {
    this.nodeId = nodeId;
    this.intervalMs = intervalMs;
  }

  @Override
  public Future<?> start() {
    registry = NodeMeterRegistry.of(vertx);
    meters = BrokerMeters.of(vertx);
    image = MetadataImages.latest(vertx);
    vertx.setPeriodic(intervalMs, id -> round());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    lags.values().forEach(lag -> registry.remove(lag.gauge()));
    lags.clear();
    return Future.succeededFuture();
  }

  private <T> Future<T> request(String address, Object body) {
    return vertx.eventBus().<T>request(address, body, options).map(Message::body);
  }

  void round() {
    if (running) {
      return;
    }
    running = true;
    this.<ListGroupsResponse>request(GroupApi.LIST_GROUPS.address(nodeId), new ListGroupsRequest(null))
        .compose(listed -> {
          List<Future<Committed>> committed = new ArrayList<>();
          for (ListGroupsResponse.Group group : listed.groups().subList(0, Math.min(MAX_GROUPS, listed.groups().size()))) {
            committed.add(this.<OffsetFetchResponse>request(GroupApi.OFFSET_FETCH.address(nodeId),
                new OffsetFetchRequest(group.groupId(), null)).map(r -> new Committed(group.groupId(), r))
                .otherwise(new Committed(group.groupId(), null)));
          }
          return Future.join(committed).map(done -> committed.stream().map(Future::result).toList());
        })
        .compose(this::withEnds)
        .onComplete(done -> {
          running = false;
          if (done.failed()) {
            LOG.log(System.Logger.Level.DEBUG, "Group lag round failed: " + done.cause());
          }
        });
  }

  private record Committed(String groupId, OffsetFetchResponse offsets) {}

  /** Asks each committed partition's end once, then sets the gauges. */
  private Future<Void> withEnds(List<Committed> groups) {
    Map<List<String>, Future<Long>> ends = new HashMap<>();
    for (Committed group : groups) {
      if (group.offsets() == null) {
        continue;
      }
      for (OffsetFetchResponse.Offset offset : group.offsets().offsets()) {
        List<String> tp = List.of(offset.topic(), Integer.toString(offset.partition()));
        if (!ends.containsKey(tp) && ends.size() < MAX_PARTITIONS) {
          ends.put(tp, endOffset(offset.topic(), offset.partition()));
        }
      }
    }
    return Future.join(new ArrayList<>(ends.values())).otherwiseEmpty().map(done -> {
      update(groups, ends);
      return null;
    });
  }

  private Future<Long> endOffset(String topic, int partition) {
    PartitionMeters local = meters.find(topic, partition);
    if (local != null && local.leader) {
      return Future.succeededFuture(local.highWatermark);
    }
    int leader = Optional.ofNullable(image.get()).flatMap(i -> Optional.ofNullable(i.topics().get(topic)))
        .flatMap((TopicImage t) -> t.partition(partition)).map(PartitionRegistration::leader).orElse(-1);
    if (leader < 0) {
      return Future.failedFuture("no leader");
    }
    return this.<ListOffsetsResponse>request(Addresses.listOffsets(leader),
        new ListOffsetsRequest(topic, partition, ListOffsetsRequest.LATEST)).map(ListOffsetsResponse::offset);
  }

  private void update(List<Committed> groups, Map<List<String>, Future<Long>> ends) {
    Set<List<String>> seen = new HashSet<>();
    for (Committed group : groups) {
      if (group.offsets() == null) {
        lags.keySet().stream().filter(key -> key.get(0).equals(group.groupId())).forEach(seen::add); // keep: unknown
        continue;
      }
      for (OffsetFetchResponse.Offset offset : group.offsets().offsets()) {
        Future<Long> end = ends.get(List.of(offset.topic(), Integer.toString(offset.partition())));
        if (end == null || !end.succeeded() || offset.offset() < 0) {
          continue;
        }
        List<String> key = List.of(group.groupId(), offset.topic(), Integer.toString(offset.partition()));
        seen.add(key);
        lags.computeIfAbsent(key, this::gauge).value().set(Math.max(0, end.result() - offset.offset()));
      }
    }
    lags.entrySet().removeIf(entry -> {
      if (seen.contains(entry.getKey())) {
        return false;
      }
      registry.remove(entry.getValue().gauge());
      return true;
    });
  }

  private Lag gauge(List<String> key) {
    AtomicLong value = new AtomicLong();
    Gauge gauge = Gauge.builder("brook.group.lag", value, AtomicLong::get)
        .tags("group", key.get(0), "topic", key.get(1), "partition", key.get(2))
        .description("records between the group's committed offset and the partition's high watermark, as of the last round")
        .strongReference(true)
        .register(registry);
    return new Lag(value, gauge);
  }
}
