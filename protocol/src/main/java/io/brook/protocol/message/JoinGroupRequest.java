package io.brook.protocol.message;

import java.util.List;

/**
 * Join (or rejoin) a group, as Kafka's JoinGroup: {@code memberId} "" for a new member (answered
 * {@code MEMBER_ID_REQUIRED} with its id, to join again with), {@code groupInstanceId} for a static
 * member, {@code protocols} in preference order with their metadata (a consumer's: ConsumerProtocol
 * subscription bytes). {@code rebalanceTimeoutMs} -1 is the session timeout. {@code clientHost} is
 * kept for cluster members; a bridge's own header of the connection's address replaces it.
 */
public record JoinGroupRequest(String groupId, int sessionTimeoutMs, int rebalanceTimeoutMs, String memberId,
    @Nullable String groupInstanceId, String protocolType, List<Protocol> protocols, String clientId,
    @Nullable String clientHost) {

  /** A protocol (for consumers, an assignor) and the member's metadata for it. */
  public record Protocol(String name, byte[] metadata) {}
}
