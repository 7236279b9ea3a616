package io.brook.protocol.message;

/** Describe the brokers and the controller; answered with a {@link ClusterDescription}. */
public record DescribeClusterRequest(boolean includeFenced) {}
