package io.brook.groups;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The group coordinator's guarantees hold under hundreds of seeded fault schedules (crashes,
 * leaves, pauses past every timeout, static restarts, lost and late messages, failed appends,
 * appends with an unknown outcome (the shard is dropped and the log replayed), coordinator moves), and the group always settles once the faults stop.
 * {@code -Dbrook.groups.sim.seed=N} reruns one seed and prints its trace; {@code .seeds} and
 * {@code .steps} scale the run.
 */
class GroupSimulationTest {
  private static final long SEEDS = Long.getLong("brook.groups.sim.seeds", 300);
  private static final int STEPS = Integer.getInteger("brook.groups.sim.steps", 1_200);
  /**
   * Seeds that once failed, kept whatever the range: 1309 moved a committed offset back when a
   * coordinator failover between JoinGroup and SyncGroup let the next coordinator hand out the same
   * generation number again (fixed by writing each generation when its join phase completes).
   */
  private static final long[] REGRESSIONS = {1309};

  @Test
  void oneOwnerPerPartitionAndNoOffsetGoesBackUnderFaults() {
    Long only = Long.getLong("brook.groups.sim.seed");
    long[] seeds = only != null ? new long[] {only}
        : LongStream.concat(LongStream.range(0, SEEDS), LongStream.of(REGRESSIONS)).toArray();
    long moves = 0;
    long generations = 0;
    long failures = 0;
    long ambiguous = 0;
    long commits = 0;
    long expired = 0;
    for (long seed : seeds) {
      GroupSimulation simulation = new GroupSimulation(seed, only != null);
      simulation.run(STEPS);
      moves += simulation.moves();
      generations += simulation.maxGeneration();
      failures += simulation.appendFailures();
      ambiguous += simulation.ambiguousAppends();
      commits += simulation.committedRecords();
      expired += simulation.tombstones();
    }
    // the runs did real work: rebalances, coordinator moves, failed appends and commits
    assertThat(generations / seeds.length).isGreaterThan(2);
    assertThat(commits / seeds.length).isGreaterThan(50);
    if (only == null) {
      assertThat(moves).isGreaterThan(seeds.length / 2);
      assertThat(failures).isGreaterThan(seeds.length / 2);
      assertThat(ambiguous).as("appends whose outcome the owner could not know").isGreaterThan(seeds.length / 4);
      assertThat(expired).as("offsets expired in some runs").isGreaterThan(0);
    }
  }
}
