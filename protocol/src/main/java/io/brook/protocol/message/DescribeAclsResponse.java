package io.brook.protocol.message;

import java.util.List;

/** ACLs in the listing order: resource type, name, pattern type, principal, host, operation, permission. */
public record DescribeAclsResponse(List<AclEntry> acls) {}
