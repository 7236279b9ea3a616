package io.brook.protocol.message;

import java.util.List;

/** One result per filter of the request, in order: the ACLs it removed, or why it could not be used. */
public record DeleteAclsResponse(List<Result> results) {
  public record Result(String error, String message, List<AclEntry> deleted) {}
}
