package io.brook.protocol.message;

import java.util.List;

/** One result per group asked: {@code error} null when deleted. */
public record DeleteGroupsResponse(List<Result> results) {

  public record Result(String groupId, String error) {}
}
