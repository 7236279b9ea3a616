package io.brook.protocol.message;

import java.util.List;

/**
 * One entry per group asked: {@code state} is Kafka's name ({@code Empty}, {@code PreparingRebalance},
 * {@code CompletingRebalance}, {@code Stable}, {@code Dead}); an unknown group is Dead with
 * {@code GROUP_ID_NOT_FOUND}. Member metadata and assignments are given only while Stable.
 */
public record DescribeGroupsResponse(List<Group> groups) {

  public record Group(String error, String groupId, String state, String protocolType, String protocol,
      List<Member> members) {}

  public record Member(String memberId, String groupInstanceId, String clientId, String clientHost,
      byte[] metadata, byte[] assignment) {}
}
