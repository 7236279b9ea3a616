package io.brook.protocol.message;

import java.util.List;

/** The controller, its epoch, and every registered broker with its state. */
public record ClusterDescription(int controllerId, long controllerEpoch, List<BrokerDescription> brokers) {}
