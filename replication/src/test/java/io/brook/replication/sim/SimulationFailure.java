package io.brook.replication.sim;

/** A failed simulation run: the seed to rerun it with, the cause, and the cluster's state at the end. */
final class SimulationFailure extends AssertionError {

    final long seed;
    final String details;

    SimulationFailure(long seed, Throwable cause, String details) {
        super("seed " + seed + " failed: " + cause + " (rerun: mvn -pl replication test -Dtest=ReplicationSimulationTest"
            + " -Dbrook.sim.seed=" + seed + ")", cause);
        this.seed = seed;
        this.details = details;
    }
}
