package io.brook.protocol.message;

import java.util.List;

/** Kafka's CreateAcls: each entry is created on its own. Answered with a {@link CreateAclsResponse}. */
public record CreateAclsRequest(List<AclEntry> acls) {
  public CreateAclsRequest {
    acls = acls == null ? null : List.copyOf(acls);
  }
}
