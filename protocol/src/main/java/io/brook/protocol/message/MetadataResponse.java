package io.brook.protocol.message;

import java.util.List;

/**
 * The brokers of the cluster, the active controller ({@code -1} if none) and, per topic asked for,
 * its partitions with their leader; an unknown topic comes back with {@code error} set. {@code clusterId}:
 * the cluster the answering broker belongs to (null before it founded or joined one, and from a broker
 * older than the field).
 */
public record MetadataResponse(int controllerId, List<BrokerInfo> brokers, List<TopicMetadata> topics, String clusterId) {
  public MetadataResponse(int controllerId, List<BrokerInfo> brokers, List<TopicMetadata> topics) {
    this(controllerId, brokers, topics, null);
  }
}
