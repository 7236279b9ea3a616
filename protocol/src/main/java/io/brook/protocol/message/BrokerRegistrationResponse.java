package io.brook.protocol.message;

/** The broker's new epoch and the controller epoch that gave it. */
public record BrokerRegistrationResponse(long brokerEpoch, long controllerEpoch) {}
