package io.brook.protocol.message;

/**
 * The broker's new epoch and the controller epoch that gave it; {@code previousLogDir} is the path of
 * the data directory it was registered on before when that was another one (else empty).
 */
public record BrokerRegistrationResponse(long brokerEpoch, long controllerEpoch, String previousLogDir) {}
