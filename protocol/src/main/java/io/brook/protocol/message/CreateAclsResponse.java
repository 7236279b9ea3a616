package io.brook.protocol.message;

import java.util.List;

/** One result per entry of the request, in order; {@code error} NONE when created (or there already). */
public record CreateAclsResponse(List<Result> results) {
  public record Result(AclEntry acl, String error, String message) {}
}
