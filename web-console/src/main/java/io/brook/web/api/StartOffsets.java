package io.brook.web.api;

import io.brook.protocol.message.ListOffsetsRequest;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.TopicMetadata;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.InvalidRequestException;

/**
 * Where a read starts, per partition, from the {@code offset} / {@code timestamp} query parameters:
 * {@code earliest} (default), {@code latest}, an offset {@code N} (for every partition read), a
 * list {@code P:N,P:N} (exactly those partitions, as a merged read's {@code nextOffset} gives them),
 * or a time (the first offset at or after it; the end of the partition if none is). Stateless.
 */
final class StartOffsets {
  private StartOffsets() {}

  /** A parsed offset parameter: a Kafka special timestamp, one offset, or offsets per partition. */
  record Spec(Long listOffsetsTimestamp, Long offset, Map<Integer, Long> perPartition) {}

  static Spec parse(String offset, String timestamp) {
    if (offset != null && timestamp != null) {
      throw new InvalidRequestException("give either offset or timestamp, not both");
    }
    if (timestamp != null) {
      return new Spec(Params.timestampMs("timestamp", timestamp), null, null);
    }
    if (offset == null || offset.equals("earliest")) {
      return new Spec(ListOffsetsRequest.EARLIEST, null, null);
    }
    if (offset.equals("latest")) {
      return new Spec(ListOffsetsRequest.LATEST, null, null);
    }
    if (offset.contains(":")) {
      return new Spec(null, null, perPartition(offset));
    }
    long value = Params.longValue("offset", offset);
    if (value < 0) {
      throw new InvalidRequestException("offset must be earliest, latest, P:N,... or >= 0, was " + offset);
    }
    return new Spec(null, value, null);
  }

  /** The partitions a read covers: the one asked for, those the spec names, or all. */
  static List<PartitionMetadata> partitions(TopicMetadata topic, Integer partition, Spec spec) {
    if (spec.perPartition() != null) {
      if (partition != null) {
        throw new InvalidRequestException("offset P:N,... reads several partitions; leave 'partition' out");
      }
      List<PartitionMetadata> named = new ArrayList<>();
      spec.perPartition().keySet().forEach(p -> named.add(BrokerClient.partitionOf(topic, p)));
      return named;
    }
    return partition == null ? topic.partitions() : List.of(BrokerClient.partitionOf(topic, partition));
  }

  /** The start offset of each partition, looking offsets up on the leaders where needed. */
  static Future<Map<Integer, Long>> resolve(BrokerClient brokers, String topic, List<PartitionMetadata> partitions,
      Spec spec) {
    List<Future<Long>> lookups = new ArrayList<>();
    for (PartitionMetadata p : partitions) {
      lookups.add(resolveOne(brokers, topic, p.partition(), spec));
    }
    return Future.all(lookups).map(done -> {
      Map<Integer, Long> starts = new LinkedHashMap<>();
      for (int i = 0; i < partitions.size(); i++) {
        starts.put(partitions.get(i).partition(), lookups.get(i).result());
      }
      return starts;
    });
  }

  private static Future<Long> resolveOne(BrokerClient brokers, String topic, int partition, Spec spec) {
    if (spec.perPartition() != null) {
      return Future.succeededFuture(spec.perPartition().get(partition));
    }
    if (spec.offset() != null) {
      return Future.succeededFuture(spec.offset());
    }
    long at = spec.listOffsetsTimestamp();
    return brokers.listOffsets(topic, partition, at).compose(found -> {
      if (found.offset() >= 0) {
        return Future.succeededFuture(found.offset());
      }
      // no record at or after that time: start at the end, as Kafka's consumers do
      return brokers.listOffsets(topic, partition, ListOffsetsRequest.LATEST).map(latest -> latest.offset());
    });
  }

  private static Map<Integer, Long> perPartition(String text) {
    Map<Integer, Long> offsets = new LinkedHashMap<>();
    for (String item : text.split(",")) {
      String[] parts = item.split(":", -1);
      if (parts.length != 2) {
        throw new InvalidRequestException("offset list must look like 0:12,1:40, was " + text);
      }
      int partition = Params.intValue("offset partition", parts[0], 0, Integer.MAX_VALUE);
      long offset = Params.longValue("offset", parts[1]);
      if (offset < 0 || offsets.put(partition, offset) != null) {
        throw new InvalidRequestException("offset list needs distinct partitions and offsets >= 0, was " + text);
      }
    }
    return offsets;
  }
}
