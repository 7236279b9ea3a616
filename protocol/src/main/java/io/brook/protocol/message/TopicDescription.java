package io.brook.protocol.message;

import java.util.List;
import java.util.Map;

/**
 * A topic in detail: the configs set on it ({@code configOverrides}), every effective config
 * ({@code configs}, defaults included) and each partition's placement, offsets and size.
 */
public record TopicDescription(String name, short replicationFactor, Map<String, String> configOverrides,
    Map<String, String> configs, List<PartitionDescription> partitions) {}
