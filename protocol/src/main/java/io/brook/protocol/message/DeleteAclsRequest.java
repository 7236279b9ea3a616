package io.brook.protocol.message;

import java.util.List;

/** Kafka's DeleteAcls: every ACL matching each filter is removed. Answered with a {@link DeleteAclsResponse}. */
public record DeleteAclsRequest(List<AclFilter> filters) {
  public DeleteAclsRequest {
    filters = filters == null ? null : List.copyOf(filters);
  }
}
