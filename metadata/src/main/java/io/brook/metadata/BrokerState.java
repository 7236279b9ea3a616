package io.brook.metadata;

/**
 * A registered broker's state in the image. Only an {@link #UNFENCED} broker leads partitions, joins
 * ISRs or receives new replicas.
 *
 * <pre>
 *   RegisterBroker ──► REGISTERED ──UnfenceBroker──► UNFENCED ──FenceBroker──► FENCED
 *        ▲               │  (fenced until caught up)                              │
 *        └───────────────┴──────────── RegisterBroker (new epoch) ◄───────────────┘
 * </pre>
 */
public enum BrokerState {
    /** Registered in its current epoch, fenced until its metadata log has reached its registration. */
    REGISTERED,
    /** Alive and caught up. */
    UNFENCED,
    /** Declared dead by the controller; this epoch is over and the broker must register again. */
    FENCED
}
