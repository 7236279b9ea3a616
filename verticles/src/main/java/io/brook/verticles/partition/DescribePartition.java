package io.brook.verticles.partition;

/** Local request to a partition leader: answer a {@code PartitionDescription}. */
public record DescribePartition() {}
