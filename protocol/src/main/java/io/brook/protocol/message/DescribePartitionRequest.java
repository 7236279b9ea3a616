package io.brook.protocol.message;

/** Ask a partition's leader (internal, {@code brook.internal.broker.<leader>.describe-partition}) for its offsets and size. */
public record DescribePartitionRequest(String topic, int partition) {}
