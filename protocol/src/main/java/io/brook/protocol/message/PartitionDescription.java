package io.brook.protocol.message;

import java.util.List;

/** A partition's placement and its log: offsets, bytes on disk and number of segments. */
public record PartitionDescription(int partition, int leader, int leaderEpoch, List<Integer> replicas,
    List<Integer> isr, long logStartOffset, long logEndOffset, long highWatermark, long sizeBytes, int segments) {}
