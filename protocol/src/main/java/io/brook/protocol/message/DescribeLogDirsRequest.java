package io.brook.protocol.message;

import java.util.List;

/**
 * Broker {@code <id>}'s log directories ({@code brook.api.broker.<id>.describe-log-dirs}, Kafka's
 * DescribeLogDirs): the partitions it hosts in each, with their sizes. {@code partitions} null: every
 * hosted partition. Needs DESCRIBE on the cluster.
 */
public record DescribeLogDirsRequest(@Nullable List<TopicPartitionRef> partitions) {
  public DescribeLogDirsRequest {
    partitions = partitions == null ? null : List.copyOf(partitions);
  }
}
