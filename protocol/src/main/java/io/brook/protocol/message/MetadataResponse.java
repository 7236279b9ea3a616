package io.brook.protocol.message;

import java.util.List;

/**
 * The brokers of the cluster, the active controller ({@code -1} if none) and, per topic asked for,
 * its partitions with their leader; an unknown topic comes back with {@code error} set.
 */
public record MetadataResponse(int controllerId, List<BrokerInfo> brokers, List<TopicMetadata> topics) {}
