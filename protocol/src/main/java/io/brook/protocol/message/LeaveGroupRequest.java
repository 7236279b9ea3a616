package io.brook.protocol.message;

import java.util.List;

/** Members leaving at once (no wait for their session timeout), by member id or by instance id. */
public record LeaveGroupRequest(String groupId, List<Member> members) {

  public record Member(String memberId, String groupInstanceId) {}
}
