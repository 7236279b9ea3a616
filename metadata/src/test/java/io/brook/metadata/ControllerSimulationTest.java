package io.brook.metadata;

import org.junit.jupiter.api.Test;

/**
 * Seeded random request sequences keep the metadata invariants (see {@link MetadataInvariants}). A
 * failure names its seed; rerun just that one with {@code -Dbrook.sim.seed=<seed>}.
 */
class ControllerSimulationTest {

    private static final int SEEDS = Integer.getInteger("brook.sim.seeds", 150);
    private static final int STEPS = Integer.getInteger("brook.sim.steps", 400);

    @Test
    void randomRequestSequencesKeepTheInvariants() {
        // proves: leaders are ISR members, unfenced, with live ISRs; epochs never go back; the ISR grows only
        // when the leader vouches (or by unclean election where allowed); replay equals the controller's image
        String fixed = System.getProperty("brook.sim.seed");
        long base = fixed != null ? Long.parseLong(fixed) : 20_240_601L;
        int seeds = fixed != null ? 1 : SEEDS;
        int requests = 0;
        int refused = 0;
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        for (int i = 0; i < seeds; i++) {
            long seed = base + i;
            ControllerSimulation simulation = new ControllerSimulation(seed);
            try {
                simulation.run(STEPS);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("simulation failed with seed " + seed + " (rerun with -Dbrook.sim.seed=" + seed
                    + "); last requests:\n  " + simulation.history(), e);
            }
            requests += simulation.requests;
            refused += simulation.refused;
            simulation.counts.forEach((k, v) -> counts.merge(k, v, Integer::sum));
        }
        System.out.printf("controller simulation: %d seeds x %d steps, %d requests, %d refused with typed errors%n  %s%n",
            seeds, STEPS, requests, refused, counts);
    }
}
