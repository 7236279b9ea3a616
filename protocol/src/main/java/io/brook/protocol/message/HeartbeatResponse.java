package io.brook.protocol.message;

/** {@code error}: a Kafka error name, or null. */
public record HeartbeatResponse(String error) {}
