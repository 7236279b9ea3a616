package io.brook.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Raft's safety properties of the metadata quorum hold under thousands of seeded fault schedules
 * (crashes, full-cluster crashes restarted in any order, pauses past every timeout, splits, lossy links,
 * lost, late and duplicated messages, voters added and removed), and a quorum always recovers once the
 * faults end. {@code -Dbrook.quorum.sim.seed=N} reruns one seed; {@code .seeds} and {@code .steps}
 * scale the run.
 */
class QuorumSimulationTest {
  private static final long SEEDS = Long.getLong("brook.quorum.sim.seeds", 2_000);
  private static final int STEPS = Integer.getInteger("brook.quorum.sim.steps", 1_500);

  @Test
  void threeVotersStaySafeAndLiveUnderFaults() {
    runSeeds(3, 3, 0);
  }

  @Test
  void fiveReplicasWithThreeVotersStaySafeAndLiveUnderFaults() {
    runSeeds(5, 3, 1_000_000);
  }

  @Test
  void fiveVotersStaySafeAndLiveUnderFaults() {
    runSeeds(5, 5, 2_000_000);
  }

  private void runSeeds(int nodes, int voters, long firstSeed) {
    Long only = Long.getLong("brook.quorum.sim.seed");
    long[] seeds = only != null ? new long[] {only} : LongStream.range(firstSeed, firstSeed + SEEDS / 3 + 1).toArray();
    long committed = 0;
    long epochs = 0;
    for (long seed : seeds) {
      QuorumSimulation simulation = new QuorumSimulation(seed, nodes, voters);
      simulation.run(STEPS);
      committed += simulation.committedEntries();
      epochs += simulation.epochs();
    }
    // the runs did real work: entries committed and leaders changed in each, on average
    assertThat(committed / seeds.length).isGreaterThan(20);
    assertThat(epochs / seeds.length).isGreaterThan(1);
  }
}
