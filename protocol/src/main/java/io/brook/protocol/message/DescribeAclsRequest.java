package io.brook.protocol.message;

/** The ACLs matching {@code filter} (left out: all). Answered with a {@link DescribeAclsResponse}. */
public record DescribeAclsRequest(AclFilter filter) {
  public DescribeAclsRequest {
    filter = filter == null ? AclFilter.ANY : filter;
  }
}
