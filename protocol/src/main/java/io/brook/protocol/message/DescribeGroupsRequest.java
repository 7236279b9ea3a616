package io.brook.protocol.message;

import java.util.List;

/** Groups to describe; all must be coordinated by the broker asked. */
public record DescribeGroupsRequest(List<String> groupIds) {}
