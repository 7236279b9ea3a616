package io.brook.protocol.message;

/** Whether the broker is fenced (not serving as a replica yet, or any more) and must register again. */
public record BrokerHeartbeatResponse(boolean fenced, boolean shouldReRegister, long controllerEpoch) {}
