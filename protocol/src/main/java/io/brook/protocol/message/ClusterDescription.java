package io.brook.protocol.message;

import java.util.List;

/** The controller, its epoch, every registered broker with its state, and the metadata quorum. */
public record ClusterDescription(int controllerId, long controllerEpoch, List<BrokerDescription> brokers,
    QuorumDescription quorum) {}
