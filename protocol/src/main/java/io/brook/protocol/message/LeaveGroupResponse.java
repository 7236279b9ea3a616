package io.brook.protocol.message;

import java.util.List;

/** The request's {@code error}, and one per member. */
public record LeaveGroupResponse(String error, List<Member> members) {

  public record Member(String memberId, String groupInstanceId, String error) {}
}
