package io.brook.protocol.message;

import java.util.List;

/** After a join: the leader sends every member's assignment; followers send none and wait for theirs. */
public record SyncGroupRequest(String groupId, int generationId, String memberId, @Nullable String groupInstanceId,
    @Nullable String protocolType, @Nullable String protocolName, List<Assignment> assignments) {

  public record Assignment(String memberId, byte[] assignment) {}
}
