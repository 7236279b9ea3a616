package io.brook.protocol.message;

/** This member's assignment (opaque bytes: a consumer's are ConsumerProtocol's), or {@code error}. */
public record SyncGroupResponse(String error, String protocolType, String protocolName, byte[] assignment) {}
