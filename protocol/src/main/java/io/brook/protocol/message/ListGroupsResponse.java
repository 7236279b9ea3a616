package io.brook.protocol.message;

import java.util.List;

/** {@code error} for the whole request (e.g. {@code COORDINATOR_LOAD_IN_PROGRESS}); groups otherwise. */
public record ListGroupsResponse(String error, List<Group> groups) {

  public record Group(String groupId, String protocolType, String state) {}
}
