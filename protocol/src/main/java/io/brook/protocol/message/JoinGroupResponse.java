package io.brook.protocol.message;

import java.util.List;

/**
 * The generation the member joined: its id, the chosen protocol, the leader, this member's id, and
 * for the leader only, every member's metadata to assign from ({@code skipAssignment}: a static
 * leader rejoined a stable group; the assignment stands). {@code error} is a Kafka error name or null.
 */
public record JoinGroupResponse(String error, int generationId, String protocolType, String protocolName,
    String leader, boolean skipAssignment, String memberId, List<Member> members) {

  public record Member(String memberId, String groupInstanceId, byte[] metadata) {}
}
