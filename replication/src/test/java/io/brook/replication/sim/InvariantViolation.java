package io.brook.replication.sim;

/** A broken replication invariant found by the simulation. */
final class InvariantViolation extends AssertionError {

    InvariantViolation(String message) {
        super(message);
    }
}
