package io.brook.cluster.election;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.cluster.election.ControllerLease.Tick;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lease, pause, probation and quarantine rules, driven by hand-set time. */
class ControllerLeaseTest {
  private static final long MS = 1_000_000L;
  private static final List<String> ALL = List.of("me", "b", "c");

  private final ControllerLease lease = new ControllerLease(ElectionConfig.defaults());
  private long now = 1_000 * MS;

  private Tick tickAfter(long ms, List<String> nodes) {
    now += ms * MS;
    return lease.tick(now, nodes, "me");
  }

  private void ticksEverySecond(long ms, List<String> nodes) {
    for (long t = 0; t < ms; t += 1000) {
      tickAfter(1000, nodes);
    }
  }

  @Test
  void actsOnlyWhileTheLastSuccessfulCheckIsYoungerThanTheLease() {
    lease.tick(now, ALL, "me");
    assertThat(lease.mayAct(now)).isFalse(); // not elected
    lease.elected(7, now);
    assertThat(lease.mayAct(now + 2499 * MS)).isTrue();
    assertThat(lease.mayAct(now + 2500 * MS)).isFalse();
    lease.confirmed(now + 2000 * MS);
    assertThat(lease.mayAct(now + 4499 * MS)).isTrue();
    assertThat(lease.mayAct(now + 4500 * MS)).isFalse();
  }

  @Test
  void anOlderCheckNeverMovesTheLeaseBack() {
    lease.elected(7, now);
    lease.confirmed(now + 2000 * MS);
    lease.confirmed(now + 500 * MS); // an answer that arrived late
    assertThat(lease.mayAct(now + 4000 * MS)).isTrue();
  }

  @Test
  void pauseStopsActingEvenIfACheckStartedBeforeItSucceedsAfterIt() {
    assertThat(tickAfter(0, ALL)).isEqualTo(Tick.NORMAL);
    lease.elected(3, now);
    long checkStartedBeforePause = now;
    assertThat(tickAfter(1000, ALL)).isEqualTo(Tick.NORMAL);
    assertThat(tickAfter(4000, ALL)).isEqualTo(Tick.PAUSED); // SIGSTOP 4 s: shorter than the step-down pause
    lease.confirmed(checkStartedBeforePause); // its answer (maybe a stale replica) arrives on waking
    assertThat(lease.mayAct(now)).isFalse();
    assertThat(lease.unsafe(now)).isTrue();
    // the timer burst after the freeze: short gaps, still on probation
    assertThat(tickAfter(1, ALL)).isEqualTo(Tick.ON_PROBATION);
    assertThat(tickAfter(1000, ALL)).isEqualTo(Tick.ON_PROBATION);
    lease.confirmed(now); // even a fresh check does not end probation
    assertThat(lease.mayAct(now)).isFalse();
    assertThat(tickAfter(2000, ALL)).isEqualTo(Tick.RESUMED);
    assertThat(lease.mayAct(now)).isTrue(); // the check above was fresh
    assertThat(tickAfter(1000, ALL)).isEqualTo(Tick.NORMAL);
    assertThat(lease.quarantined(now)).isFalse();
  }

  @Test
  void shortGapsAreNotPauses() {
    tickAfter(0, ALL);
    assertThat(tickAfter(2999, ALL)).isEqualTo(Tick.NORMAL);
    assertThat(lease.onProbation()).isFalse();
  }

  @Test
  void aMemberMissingAfterAPauseMeansQuarantine() {
    tickAfter(0, ALL);
    lease.elected(3, now);
    // the cluster manager may already have applied the removal when the first tick after the pause runs
    assertThat(tickAfter(4000, ALL)).isEqualTo(Tick.PAUSED);
    assertThat(tickAfter(600, List.of("me"))).isEqualTo(Tick.MEMBERSHIP_LOST);
    assertThat(lease.quarantined(now)).isTrue();
    assertThat(lease.quarantineRemainingMs(now)).isEqualTo(15_000);
    assertThat(lease.unsafe(now + 14_999 * MS)).isTrue();
    ticksEverySecond(15_000, List.of("me"));
    assertThat(lease.unsafe(now)).as("still alone: the split has not healed").isTrue();
    assertThat(lease.quarantineRemainingMs(now)).isPositive();
    assertThat(tickAfter(1000, ALL)).isEqualTo(Tick.NORMAL); // merged back
    assertThat(lease.unsafe(now)).isFalse();
  }

  @Test
  void aViewThatNeverHealsEndsTheQuarantineAfterFourPeriods() {
    // proves: members that really died during the pause do not keep this node out of the election forever
    tickAfter(0, ALL);
    tickAfter(4000, ALL);
    assertThat(tickAfter(600, List.of("me", "c"))).isEqualTo(Tick.MEMBERSHIP_LOST);
    long lostAt = now;
    ticksEverySecond(59_000, List.of("me", "c"));
    assertThat(lease.unsafe(lostAt + 59_999 * MS)).isTrue();
    assertThat(lease.unsafe(lostAt + 60_000 * MS)).isFalse();
  }

  @Test
  void membershipAlreadyChangedOnTheFirstTickAfterThePauseCounts() {
    tickAfter(0, ALL);
    assertThat(tickAfter(4000, List.of("me", "c"))).isEqualTo(Tick.MEMBERSHIP_LOST);
  }

  @Test
  void losingItsOwnIdMeansQuarantine() {
    // ZooKeeper: after a session expiry the node sees nodeLeft(itself)
    tickAfter(0, ALL);
    tickAfter(4000, ALL);
    assertThat(tickAfter(1500, List.of("b", "c"))).isEqualTo(Tick.MEMBERSHIP_LOST);
  }

  @Test
  void anUnreadableViewDecidesNothing() {
    tickAfter(0, ALL);
    tickAfter(4000, null);
    assertThat(tickAfter(1000, null)).isEqualTo(Tick.ON_PROBATION);
    assertThat(tickAfter(2000, ALL)).isEqualTo(Tick.RESUMED);
  }

  @Test
  void resignStopsActingAtOnce() {
    lease.elected(9, now);
    assertThat(lease.resign()).isEqualTo(9);
    assertThat(lease.mayAct(now)).isFalse();
    assertThat(lease.resign()).isZero();
  }

  @Test
  void nextEpochIsAboveTheCounterAndEveryAcceptedEpoch() {
    assertThat(EpochCounter.nextEpoch(0, 0)).isEqualTo(1);
    assertThat(EpochCounter.nextEpoch(0, 7)).isEqualTo(8); // Hazelcast counter lost, disk says 7
    assertThat(EpochCounter.nextEpoch(12, 7)).isEqualTo(13);
  }

  @Test
  void configRejectsALeaseNotLongerThanTheCheckInterval() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ElectionConfig(Map.of(
        ElectionConfig.LEASE_CHECK_INTERVAL_MS, 1000, ElectionConfig.LEASE_MS, 1000)))
        .hasMessageContaining(ElectionConfig.LEASE_MS);
    ElectionConfig defaults = ElectionConfig.defaults();
    assertThat(defaults.checkIntervalMs()).isEqualTo(1000);
    assertThat(defaults.leaseMs()).isEqualTo(2500);
    assertThat(defaults.quarantineMs()).isEqualTo(15_000);
    assertThat(defaults.lockWaitMs()).isEqualTo(2000);
  }
}
