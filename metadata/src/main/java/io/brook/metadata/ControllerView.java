package io.brook.metadata;

import java.util.List;

/**
 * The cluster as the active controller sees it: the controller and every registered broker with its
 * state and the age of its last heartbeat ({@code -1} if none since this controller took over).
 */
public record ControllerView(int controllerId, int controllerEpoch, List<BrokerDescription> brokers) {

    public ControllerView {
        brokers = List.copyOf(brokers);
    }

    /** One broker: its registration and how long ago it last heartbeated. */
    public record BrokerDescription(BrokerRegistration registration, long lastHeartbeatAgeMs) {

        public int nodeId() {
            return registration.nodeId();
        }

        public boolean fenced() {
            return registration.fenced();
        }
    }
}
